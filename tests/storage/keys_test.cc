#include "storage/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace actiond::storage::keys {
namespace {

std::string I64(int64_t v) {
  std::string out;
  AppendI64(&out, v);
  return out;
}

TEST(KeysTest, I64EncodingSortsNegativeBeforePositive) {
  const std::vector<int64_t> ordered = {
      std::numeric_limits<int64_t>::min(), -86'400'001, -1, 0, 1, 255, 256, 1'700'000'000'000,
      std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(I64(ordered[i]), I64(ordered[i + 1])) << ordered[i] << " vs " << ordered[i + 1];
  }
}

TEST(KeysTest, I64EncodingPreservesOrderOfRandomValues) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    auto a = static_cast<int64_t>(rng()), b = static_cast<int64_t>(rng());
    if (i % 3 == 0) b = a + static_cast<int64_t>(rng() % 3) - 1;  // neighbours too
    EXPECT_EQ(a < b, I64(a) < I64(b)) << a << " " << b;
    EXPECT_EQ(DecodeI64(I64(a)), a);
  }
}

TEST(KeysTest, U64IsBigEndian) {
  std::string out;
  AppendU64(&out, 0x0102030405060708ULL);
  EXPECT_EQ(out, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(DecodeU64(out), 0x0102030405060708ULL);
}

TEST(KeysTest, EventKeysOrderByProjectThenTimestampThenUuid) {
  std::vector<std::string> ordered = {
      EventKey(1, -5, "b"), EventKey(1, 0, "a"),  EventKey(1, 0, "b"),
      EventKey(1, 1, "a"),  EventKey(2, -9, "a"),
  };
  EXPECT_TRUE(std::is_sorted(ordered.begin(), ordered.end()));
  int64_t project = 0, ts = 0;
  std::string_view uuid;
  ASSERT_TRUE(ParseEventKey(ordered[0], &project, &ts, &uuid));
  EXPECT_EQ(project, 1);
  EXPECT_EQ(ts, -5);
  EXPECT_EQ(uuid, "b");
}

TEST(KeysTest, MatchKeyRoundTrips) {
  std::string key = MatchKey(3, 42, -1'000, "0190b5c1-aaaa-7000-8000-000000000001");
  int64_t project = 0, action = 0, ts = 0;
  std::string_view uuid;
  ASSERT_TRUE(ParseMatchKey(key, &project, &action, &ts, &uuid));
  EXPECT_EQ(project, 3);
  EXPECT_EQ(action, 42);
  EXPECT_EQ(ts, -1'000);
  EXPECT_EQ(uuid, "0190b5c1-aaaa-7000-8000-000000000001");
  EXPECT_FALSE(ParseMatchKey(key.substr(0, 23), &project, &action, &ts, &uuid));
}

TEST(KeysTest, DayKeysSortAfterTheTotalKeyAndByDay) {
  std::string total;
  AppendActionTotalKey(&total, 1, 7);
  EXPECT_LT(total, ActionDayKey(1, 7, std::numeric_limits<int64_t>::min()));
  EXPECT_LT(ActionDayKey(1, 7, -1), ActionDayKey(1, 7, 0));
  EXPECT_LT(ActionDayKey(1, 7, 19'000), ActionDayKey(1, 8, -19'000));
  int64_t project = 0, action = 0, day = 0;
  ASSERT_TRUE(ParseActionDayKey(ActionDayKey(1, 7, -3), &project, &action, &day));
  EXPECT_EQ(day, -3);
  EXPECT_FALSE(ParseActionDayKey(total, &project, &action, &day));
}

TEST(KeysTest, DayOfFloorsNegativeTimes) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(kMsPerDay - 1), 0);
  EXPECT_EQ(DayOf(kMsPerDay), 1);
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(DayOf(-kMsPerDay), -1);
  EXPECT_EQ(DayOf(-kMsPerDay - 1), -2);
  EXPECT_EQ(DayOf(std::numeric_limits<int64_t>::min()), -106'751'991'168);
}

TEST(KeysTest, PrefixSuccessorIsTheFirstKeyPastThePrefix) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff\xff", 3)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), "");
  std::string prefix = std::string("\x00\x01", 2);
  EXPECT_LT(prefix + std::string(50, '\xff'), PrefixSuccessor(prefix));
}

TEST(KeysTest, CountersOfDifferentActionsDoNotInterleave) {
  // DeleteAllMatches range-deletes [total key of action, its successor): it must cover the
  // action's day keys and nothing of another action or counter kind.
  std::string total;
  AppendActionTotalKey(&total, 5, 9);
  std::string end = PrefixSuccessor(total);
  EXPECT_LT(ActionDayKey(5, 9, std::numeric_limits<int64_t>::max()), end);
  EXPECT_GE(ActionDayKey(5, 10, std::numeric_limits<int64_t>::min()), end);
  std::string events_total, persons_total;
  AppendEventsTotalKey(&events_total, 5);
  AppendPersonsTotalKey(&persons_total, 5);
  EXPECT_TRUE(events_total < total || events_total >= end);
  EXPECT_TRUE(persons_total < total || persons_total >= end);
}

}  // namespace
}  // namespace actiond::storage::keys
