// CounterAdditions: a WriteBatch's per-counter sums (storage/counter_additions.h).
#include "storage/counter_additions.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace actiond::storage {
namespace {

using Emitted = std::vector<std::pair<std::string, int64_t>>;

auto Recorder(Emitted* out) {
  return [out](std::string_view key, int64_t sum) { out->emplace_back(key, sum); };
}

TEST(CounterAdditionsTest, AdditionsToOneKeyAreSummedAndDrainedOnceInFirstSeenOrder) {
  CounterAdditions additions;
  Emitted emitted;
  additions.Add("events", 1, Recorder(&emitted));
  additions.Add("persons", 1, Recorder(&emitted));
  additions.Add("events", 1, Recorder(&emitted));
  additions.Add("persons", -1, Recorder(&emitted));
  additions.Add("events", 5, Recorder(&emitted));
  EXPECT_TRUE(emitted.empty()) << "nothing is recorded while slots are free";
  EXPECT_EQ(additions.pending(), 2u);
  additions.Drain(Recorder(&emitted));
  EXPECT_EQ(emitted, (Emitted{{"events", 7}, {"persons", 0}}));
  EXPECT_EQ(additions.pending(), 0u);
}

TEST(CounterAdditionsTest, AFullTableRecordsItsOldestSumAndReusesTheSlot) {
  CounterAdditions additions;
  Emitted emitted;
  for (size_t i = 0; i < CounterAdditions::kSlots; ++i) {
    std::string key = "k";  // not "k" + …: GCC 12 warns wrongly (-Wrestrict) about that
    key += std::to_string(i);
    additions.Add(key, 1, Recorder(&emitted));
  }
  additions.Add("k0", 1, Recorder(&emitted));  // still pending: folded
  EXPECT_TRUE(emitted.empty());
  additions.Add("new", 3, Recorder(&emitted));
  EXPECT_EQ(emitted, (Emitted{{"k0", 2}}));
  additions.Add("k0", 4, Recorder(&emitted));  // k0 left: a fresh sum, evicting k1
  EXPECT_EQ(emitted, (Emitted{{"k0", 2}, {"k1", 1}}));
  emitted.clear();
  additions.Drain(Recorder(&emitted));
  ASSERT_EQ(emitted.size(), CounterAdditions::kSlots);
  EXPECT_EQ(emitted.front(), (std::pair<std::string, int64_t>{"k2", 1}));
  EXPECT_EQ(emitted[emitted.size() - 2], (std::pair<std::string, int64_t>{"new", 3}));
  EXPECT_EQ(emitted.back(), (std::pair<std::string, int64_t>{"k0", 4}));
}

TEST(CounterAdditionsTest, ClearForgetsEverySum) {
  CounterAdditions additions;
  Emitted emitted;
  additions.Add("a", 1, Recorder(&emitted));
  additions.Clear();
  additions.Drain(Recorder(&emitted));
  EXPECT_TRUE(emitted.empty());
  additions.Add("a", 2, Recorder(&emitted));
  additions.Drain(Recorder(&emitted));
  EXPECT_EQ(emitted, (Emitted{{"a", 2}}));
}

}  // namespace
}  // namespace actiond::storage
