#include "engine/time_buckets.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace actiond::engine {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kNov1 = 1'793'491'200'000;  // 2026-11-01T00:00:00Z, a Sunday (day 20758)

std::optional<TimeZone> SystemZone(const std::string& name) {
  std::ifstream file("/usr/share/zoneinfo/" + name, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream bytes;
  bytes << file.rdbuf();
  auto zone = TimeZone::FromTzif(name, bytes.str());
  if (!zone.ok()) return std::nullopt;
  return std::move(*zone);
}

TEST(TimeBucketsTest, ParsesTheFourIntervalsOnly) {
  EXPECT_EQ(ParseInterval("hour"), Interval::kHour);
  EXPECT_EQ(ParseInterval("day"), Interval::kDay);
  EXPECT_EQ(ParseInterval("week"), Interval::kWeek);
  EXPECT_EQ(ParseInterval("month"), Interval::kMonth);
  EXPECT_EQ(ParseInterval("Day"), std::nullopt);
  EXPECT_EQ(ParseInterval("minute"), std::nullopt);
  EXPECT_EQ(ParseInterval(""), std::nullopt);
  EXPECT_EQ(IntervalName(Interval::kWeek), "week");
}

TEST(TimeBucketsTest, UtcDaysWeeksMonths) {
  const TimeZone utc = TimeZone::Utc();
  const Bucketing day(Interval::kDay, &utc);
  EXPECT_EQ(day.KeyOf(kNov1), 20758);
  EXPECT_EQ(day.KeyOf(kNov1 - 1), 20757);
  EXPECT_EQ(day.Label(20758), "2026-11-01");
  EXPECT_EQ(day.NextKey(20758), 20759);
  EXPECT_EQ(day.UtcDayBucketStartMs(20758), kNov1);

  const Bucketing week(Interval::kWeek, &utc);           // weeks start on Sunday
  EXPECT_EQ(week.KeyOf(kNov1 + 3 * 86'400'000), 20758);  // Wednesday 11-04
  EXPECT_EQ(week.KeyOf(kNov1 - 1), 20751);               // Saturday 10-31: the week before
  EXPECT_EQ(week.Label(week.NextKey(20758)), "2026-11-08");

  const Bucketing month(Interval::kMonth, &utc);
  EXPECT_EQ(month.Label(month.KeyOf(kNov1 + 20 * 86'400'000)), "2026-11-01");
  EXPECT_EQ(month.Label(month.NextKey(month.KeyOf(kNov1))), "2026-12-01");
  const int64_t dec = month.NextKey(month.KeyOf(kNov1));
  EXPECT_EQ(month.Label(month.NextKey(dec)), "2027-01-01");  // across the year
}

TEST(TimeBucketsTest, UtcHoursAreLabelledWithTheirOffset) {
  const TimeZone utc = TimeZone::Utc();
  const Bucketing hour(Interval::kHour, &utc);
  EXPECT_EQ(hour.KeyOf(kNov1 + 90 * 60'000), kNov1 + kHour);
  EXPECT_EQ(hour.Label(kNov1 + kHour), "2026-11-01T01:00:00+00:00");
  EXPECT_EQ(hour.NextKey(kNov1), kNov1 + kHour);
}

TEST(TimeBucketsTest, LocalDaysFollowTheZone) {
  const std::optional<TimeZone> tokyo = SystemZone("Asia/Tokyo");  // +09:00, no DST
  if (!tokyo) GTEST_SKIP() << "no tzdata";
  const Bucketing day(Interval::kDay, &*tokyo);
  // 2026-11-01T15:00Z is already 11-02 in Tokyo.
  EXPECT_EQ(day.Label(day.KeyOf(kNov1 + 15 * kHour)), "2026-11-02");
  EXPECT_EQ(day.Label(day.KeyOf(kNov1 + 14 * kHour + 59 * 60'000)), "2026-11-01");
}

TEST(TimeBucketsTest, TheRepeatedHourIsTwoBuckets) {
  const std::optional<TimeZone> ny = SystemZone("America/New_York");
  if (!ny) GTEST_SKIP() << "no tzdata";
  const Bucketing hour(Interval::kHour, &*ny);
  // 2026-11-01: 01:00 EDT (05:00Z), then 01:00 EST (06:00Z), then 02:00 EST (07:00Z).
  const int64_t first = kNov1 + 5 * kHour;
  EXPECT_EQ(hour.KeyOf(first + 1), first);
  EXPECT_EQ(hour.Label(first), "2026-11-01T01:00:00-04:00");
  EXPECT_EQ(hour.NextKey(first), first + kHour);
  EXPECT_EQ(hour.Label(first + kHour), "2026-11-01T01:00:00-05:00");
  EXPECT_EQ(hour.Label(hour.NextKey(first + kHour)), "2026-11-01T02:00:00-05:00");
  // That day has 25 hours: 04:00Z (00:00 EDT) to 05:00Z the next day (00:00 EST).
  const Bucketing day(Interval::kDay, &*ny);
  EXPECT_EQ(day.KeyOf(kNov1 + 4 * kHour), day.KeyOf(kNov1 + 28 * kHour + kHour - 1));
  EXPECT_NE(day.KeyOf(kNov1 + 4 * kHour), day.KeyOf(kNov1 + 29 * kHour));
}

TEST(TimeBucketsTest, HalfHourZonesKeepTheirHours) {
  const std::optional<TimeZone> kolkata = SystemZone("Asia/Kolkata");  // +05:30
  if (!kolkata) GTEST_SKIP() << "no tzdata";
  const Bucketing hour(Interval::kHour, &*kolkata);
  const int64_t key = hour.KeyOf(kNov1);  // 05:30 local: its hour began at 05:00 local
  EXPECT_EQ(key, kNov1 - 30 * 60'000);
  EXPECT_EQ(hour.Label(key), "2026-11-01T05:00:00+05:30");
  EXPECT_EQ(hour.NextKey(key), key + kHour);
}

}  // namespace
}  // namespace actiond::engine
