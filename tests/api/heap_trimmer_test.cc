#include "api/heap_trimmer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace actiond::api {
namespace {

using std::chrono::milliseconds;

TEST(HeapTrimmerTest, TrimsEveryInterval) {
  std::atomic<int> trims{0};
  HeapTrimmer trimmer(milliseconds(5), [&] { ++trims; });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (trims.load() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_GE(trims.load(), 3);
}

TEST(HeapTrimmerTest, StopsWithoutWaitingForTheNextInterval) {
  std::atomic<int> trims{0};
  const auto start = std::chrono::steady_clock::now();
  {
    HeapTrimmer trimmer(std::chrono::hours(1), [&] { ++trims; });
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(trims.load(), 0);
}

TEST(HeapTrimmerTest, AZeroIntervalNeverTrims) {
  std::atomic<int> trims{0};
  {
    HeapTrimmer trimmer(milliseconds(0), [&] { ++trims; });
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(trims.load(), 0);
}

}  // namespace
}  // namespace actiond::api
