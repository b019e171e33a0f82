#include "api/resources/date_range.h"

#include <gtest/gtest.h>

#include <limits>

namespace actiond::api {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMar18 = 1'710'720'000'000;             // 2024-03-18T00:00:00Z
constexpr int64_t kNow = kMar18 + 13 * 3'600'000 + 1234;  // 2024-03-18T13:00:01.234Z

service::TimeRange Range(std::optional<std::string_view> from, std::optional<std::string_view> to) {
  auto range = ParseDateRange(from, to, kNow);
  EXPECT_TRUE(range.ok()) << range.status().ToString();
  return range.ok() ? *range : service::TimeRange{};
}

TEST(DateRangeTest, AbsentEmptyAndAllAreUnbounded) {
  EXPECT_TRUE(Range(std::nullopt, std::nullopt).unbounded());
  EXPECT_TRUE(Range("", "").unbounded());
  EXPECT_TRUE(Range("all", "all").unbounded());
}

TEST(DateRangeTest, DateOnlyToIncludesTheWholeDay) {
  service::TimeRange r = Range("2024-03-18", "2024-03-18");
  EXPECT_EQ(r.from_ms, kMar18);
  EXPECT_EQ(r.to_ms, kMar18 + kDay);
}

TEST(DateRangeTest, DateTimesAreInclusiveInstants) {
  service::TimeRange r = Range("2024-03-18T01:00:00Z", "2024-03-18T02:00:00.500+01:00");
  EXPECT_EQ(r.from_ms, kMar18 + 3'600'000);
  EXPECT_EQ(r.to_ms, kMar18 + 3'600'000 + 500 + 1);
}

TEST(DateRangeTest, RelativeDaysStartAtTheDayAndHoursAreExact) {
  EXPECT_EQ(Range("-7d", std::nullopt).from_ms, kMar18 - 7 * kDay);
  EXPECT_EQ(Range("7d", std::nullopt).from_ms, kMar18 - 7 * kDay);
  EXPECT_EQ(Range("-1m", std::nullopt).from_ms, kMar18 - 29 * kDay);  // 2024-02-18
  EXPECT_EQ(Range("-12h", std::nullopt).from_ms, kNow - 12 * 3'600'000);
  EXPECT_EQ(Range(std::nullopt, "-1d").to_ms, kMar18);  // through the end of yesterday
  EXPECT_EQ(Range(std::nullopt, "-1h").to_ms, kNow - 3'600'000 + 1);
  EXPECT_EQ(Range("-1y", std::nullopt).from_ms, kMar18 - 366 * kDay);  // 2023-03-18 (leap day)
  EXPECT_EQ(Range("-1y", std::nullopt).to_ms, kMax);
  EXPECT_EQ(Range(std::nullopt, "-1d").from_ms, kMin);
}

TEST(DateRangeTest, GarbageIsAValidationErrorNamingTheParameter) {
  auto from = ParseDateRange("yesterday", std::nullopt, kNow);
  EXPECT_EQ(from.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(from.status().attr(), "date_from");
  auto to = ParseDateRange(std::nullopt, "2024-02-30", kNow);
  EXPECT_EQ(to.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(to.status().attr(), "date_to");
}

TEST(DateRangeTest, ReversedRangeIsKeptAsIs) {
  service::TimeRange r = Range("2024-03-19", "2024-03-17");
  EXPECT_GE(r.from_ms, r.to_ms);
}

}  // namespace
}  // namespace actiond::api
