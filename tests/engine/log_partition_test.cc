#include "engine/log_partition.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace actiond::engine {
namespace {

TEST(LogPartitionTest, IsFnv1aOfTheTokenModuloThePartitionCount) {
  // FNV-1a 64 of "" is the offset basis; of "a" it is 0xaf63dc4c8601ec8c (the published test
  // vectors), so the partition is fixed by the algorithm, not by this build.
  EXPECT_EQ(LogPartitionOfToken("", 12), static_cast<int32_t>(14695981039346656037ULL % 12));
  EXPECT_EQ(LogPartitionOfToken("a", 12), static_cast<int32_t>(0xaf63dc4c8601ec8cULL % 12));
  EXPECT_EQ(LogPartitionOfToken("a", 1), 0);
}

TEST(LogPartitionTest, SpreadsTokensOverEveryPartition) {
  std::set<int32_t> seen;
  for (int i = 0; i < 200; ++i) {
    const int32_t partition = LogPartitionOfToken("phc_project_" + std::to_string(i), 12);
    ASSERT_GE(partition, 0);
    ASSERT_LT(partition, 12);
    seen.insert(partition);
  }
  EXPECT_EQ(seen.size(), 12u);
}

}  // namespace
}  // namespace actiond::engine
