#include "engine/date_time.h"

#include <gtest/gtest.h>

#include <string>

namespace actiond::engine {
namespace {

// 2024-01-15T00:00:00Z
constexpr int64_t kJan15 = 1705276800000;

int64_t Parse(std::string_view text) {
  auto parsed = ParseIso8601(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? parsed->epoch_ms : INT64_MIN;
}

TEST(DateTimeTest, CivilDaysRoundTrip) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({0, 1, 1}), -719528);
  for (int64_t day = -800000; day <= 3000000; day += 997) {
    CivilDate date = CivilFromDays(day);
    EXPECT_EQ(DaysFromCivil(date), day);
    EXPECT_GE(date.day, 1);
    EXPECT_LE(date.day, DaysInMonth(date.year, date.month));
  }
}

TEST(DateTimeTest, DaysInMonthKnowsLeapYears) {
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 4), 30);
  EXPECT_EQ(DaysInMonth(2023, 12), 31);
}

TEST(DateTimeTest, ParsesDateOnlyAsUtcMidnight) {
  auto parsed = ParseIso8601("2024-01-15");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->epoch_ms, kJan15);
  EXPECT_TRUE(parsed->date_only);
}

TEST(DateTimeTest, ParsesDateTimesWithSeparatorsFractionsAndOffsets) {
  EXPECT_EQ(Parse("2024-01-15T12:00:00Z"), kJan15 + 12 * 3600000);
  EXPECT_FALSE(ParseIso8601("2024-01-15T12:00:00Z")->date_only);
  EXPECT_EQ(Parse("2024-01-15 12:00:00"), kJan15 + 12 * 3600000);  // no offset: UTC
  EXPECT_EQ(Parse("2024-01-15t12:00z"), kJan15 + 12 * 3600000);
  EXPECT_EQ(Parse("2024-01-15T12:00"), kJan15 + 12 * 3600000);
  EXPECT_EQ(Parse("2024-01-15T00:00:00.5Z"), kJan15 + 500);
  EXPECT_EQ(Parse("2024-01-15T00:00:00.123456789Z"), kJan15 + 123);
  EXPECT_EQ(Parse("2024-01-15T00:00:00.999999"), kJan15 + 999);  // truncated, not rounded
  EXPECT_EQ(Parse("2021-03-10T21:30:00-05:00"), Parse("2021-03-11T02:30:00Z"));
  EXPECT_EQ(Parse("2021-03-12T01:00:00+02:00"), Parse("2021-03-11T23:00:00Z"));
  EXPECT_EQ(Parse("2021-03-12T01:00:00+0200"), Parse("2021-03-11T23:00:00Z"));
  EXPECT_EQ(Parse("2021-03-12T01:00:00.250+05:30"), Parse("2021-03-11T19:30:00.250Z"));
  EXPECT_EQ(Parse("1969-12-31T23:59:59.999Z"), -1);
  EXPECT_EQ(Parse("2024-02-29"), kJan15 + 45LL * 86400000);
}

TEST(DateTimeTest, KeepsMicrosecondsAndTruncatesPastTheSixthDigit) {
  constexpr int64_t kJan15Us = kJan15 * 1000;
  EXPECT_EQ(ParseIso8601("2024-01-15T00:00:00.0005Z")->epoch_us, kJan15Us + 500);
  EXPECT_EQ(ParseIso8601("2024-01-15T00:00:00.0005Z")->epoch_ms, kJan15);
  EXPECT_EQ(ParseIso8601("2024-01-15T00:00:00.123456789Z")->epoch_us, kJan15Us + 123456);
  EXPECT_EQ(ParseIso8601("2024-01-15T00:00:00.9999999")->epoch_us, kJan15Us + 999999);
  EXPECT_EQ(ParseIso8601("2024-01-15")->epoch_us, kJan15Us);
  EXPECT_EQ(ParseIso8601("1969-12-31T23:59:59.9999995Z")->epoch_us, -1);
  EXPECT_EQ(ParseIso8601("1969-12-31T23:59:59.9999995Z")->epoch_ms, -1);
  EXPECT_EQ(EpochNumberToMicros(1705276800.000123), kJan15Us + 123);
  EXPECT_EQ(EpochNumberToMicros(1705276800000.5), kJan15Us + 500);
  EXPECT_EQ(EpochNumberToMicros(1705276800), kJan15Us);
}

TEST(DateTimeTest, AcceptsTheCommonIso8601Variants) {
  const int64_t noon = kJan15 + 12 * 3600000;
  EXPECT_EQ(Parse("2024-01-15T12:00:00+05"), noon - 5 * 3600000);
  EXPECT_EQ(Parse("2024-01-15T12:00-05"), noon + 5 * 3600000);
  EXPECT_EQ(Parse("2024-01-15T12:00+0530"), noon - 330 * 60000);
  EXPECT_EQ(Parse("2024-01-15t12:00:00.5z"), noon + 500);
  EXPECT_EQ(Parse("2024-01-15 10:30"), kJan15 + 630 * 60000);
}

TEST(DateTimeTest, RejectsTextOutsideTheGrammar) {
  for (std::string_view text : {"",
                                "2024",
                                "2024-01",
                                "2024-1-15",
                                "24-01-15",
                                "20240115",
                                "2024/01/15",
                                "2024-13-01",
                                "2024-00-10",
                                "2024-02-30",
                                "2023-02-29",
                                "2024-04-31",
                                "2024-01-00",
                                " 2024-01-15",
                                "2024-01-15 ",
                                "2024-01-15T",
                                "2024-01-15T12",
                                "2024-01-15T1:00",
                                "2024-01-15T24:00:00",
                                "2024-01-15T12:60:00",
                                "2024-01-15T12:00:60",
                                "2024-01-15T12:00:00.",
                                "2024-01-15T12:00:00,5",
                                "2024-01-15T12:00:00+5",
                                "2024-01-15T12:00:00+053",
                                "2024-01-15T12:00:00+5:00",
                                "2024-01-15T12:00:00+24:00",
                                "2024-01-15T12:00:00+05:60",
                                "2024-01-15T12:00:00ZZ",
                                "2024-01-15T12:00:00 Z",
                                "2024-01-15T12:00:00UTC",
                                "2024-01-15X12:00:00",
                                "2024-01-15T12:00:00.5.5",
                                "Mon, 15 Jan 2024 12:00:00 GMT",
                                "1705320000",
                                "-7d",
                                "+2024-01-15",
                                "2024-01-15Z"}) {
    EXPECT_FALSE(ParseIso8601(text).has_value()) << "'" << text << "'";
  }
}

TEST(DateTimeTest, EpochNumbersAreSecondsBelow1e11ElseMilliseconds) {
  EXPECT_EQ(EpochNumberToMillis(1705320000), 1705320000000);
  EXPECT_EQ(EpochNumberToMillis(1705320000000), 1705320000000);
  EXPECT_EQ(EpochNumberToMillis(99999999999), 99999999999000);
  EXPECT_EQ(EpochNumberToMillis(100000000000), 100000000000);
  EXPECT_EQ(EpochNumberToMillis(-99999999999), -99999999999000);
  EXPECT_EQ(EpochNumberToMillis(0), 0);
  EXPECT_EQ(EpochNumberToMillis(1705320000.123), 1705320000123);
  EXPECT_EQ(EpochNumberToMillis(1705320000000.9), 1705320000000);
  EXPECT_FALSE(EpochNumberToMillis(1e300).has_value());
  EXPECT_FALSE(EpochNumberToMillis(std::numeric_limits<double>::infinity()).has_value());
  EXPECT_FALSE(EpochNumberToMillis(std::numeric_limits<double>::quiet_NaN()).has_value());
}

TEST(DateTimeTest, ParsesRelativeDates) {
  auto d = ParseRelativeDate("-7d");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->amount, 7);
  EXPECT_EQ(d->unit, RelativeDate::Unit::kDay);
  EXPECT_EQ(ParseRelativeDate("-24h")->unit, RelativeDate::Unit::kHour);
  EXPECT_EQ(ParseRelativeDate("-2w")->unit, RelativeDate::Unit::kWeek);
  EXPECT_EQ(ParseRelativeDate("-3m")->unit, RelativeDate::Unit::kMonth);
  EXPECT_EQ(ParseRelativeDate("-1y")->unit, RelativeDate::Unit::kYear);
  EXPECT_EQ(ParseRelativeDate("-999999y")->amount, 999999);
  EXPECT_EQ(ParseRelativeDate("-0d")->amount, 0);
  for (std::string_view text : {"", "-", "-d", "7d", "+7d", "-7", "-7D", "-7q", "-7M", "-1.5d",
                                "- 7d", "-7d ", "-1000000d", "-7dd", "-x7d", "all"}) {
    EXPECT_FALSE(ParseRelativeDate(text).has_value()) << "'" << text << "'";
  }
}

TEST(DateTimeTest, SubtractsFixedUnits) {
  const int64_t ref = Parse("2021-03-10T12:00:00Z");
  EXPECT_EQ(SubtractRelative(ref, {7, RelativeDate::Unit::kDay}), Parse("2021-03-03T12:00:00Z"));
  EXPECT_EQ(SubtractRelative(ref, {36, RelativeDate::Unit::kHour}), Parse("2021-03-09T00:00:00Z"));
  EXPECT_EQ(SubtractRelative(ref, {2, RelativeDate::Unit::kWeek}), Parse("2021-02-24T12:00:00Z"));
}

TEST(DateTimeTest, CalendarMonthsAndYearsClampToMonthEnd) {
  EXPECT_EQ(SubtractRelative(Parse("2021-03-10T12:00:00Z"), {1, RelativeDate::Unit::kMonth}),
            Parse("2021-02-10T12:00:00Z"));
  EXPECT_EQ(SubtractRelative(Parse("2023-03-31T08:15:00.250Z"), {1, RelativeDate::Unit::kMonth}),
            Parse("2023-02-28T08:15:00.250Z"));
  EXPECT_EQ(SubtractRelative(Parse("2024-03-31T00:00:00Z"), {1, RelativeDate::Unit::kMonth}),
            Parse("2024-02-29T00:00:00Z"));
  EXPECT_EQ(SubtractRelative(Parse("2024-01-31T00:00:00Z"), {2, RelativeDate::Unit::kMonth}),
            Parse("2023-11-30T00:00:00Z"));
  EXPECT_EQ(SubtractRelative(Parse("2024-01-15T00:00:00Z"), {13, RelativeDate::Unit::kMonth}),
            Parse("2022-12-15T00:00:00Z"));
  EXPECT_EQ(SubtractRelative(Parse("2024-02-29T23:59:59Z"), {1, RelativeDate::Unit::kYear}),
            Parse("2023-02-28T23:59:59Z"));
  EXPECT_EQ(SubtractRelative(Parse("2024-02-29T00:00:00Z"), {4, RelativeDate::Unit::kYear}),
            Parse("2020-02-29T00:00:00Z"));
  EXPECT_EQ(SubtractRelative(Parse("1970-01-01T00:00:00Z"), {1, RelativeDate::Unit::kMonth}),
            Parse("1969-12-01T00:00:00Z"));
}

TEST(DateTimeTest, UtcDayFloorsNegativeInstants) {
  EXPECT_EQ(UtcDay(0), 0);
  EXPECT_EQ(UtcDay(86399999), 0);
  EXPECT_EQ(UtcDay(86400000), 1);
  EXPECT_EQ(UtcDay(-1), -1);
  EXPECT_EQ(UtcDay(-86400000), -1);
  EXPECT_EQ(UtcDay(-86400001), -2);
}

TEST(DateTimeTest, FormatsIso8601WithMilliseconds) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(1705312800500), "2024-01-15T10:00:00.500Z");
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(Parse("9999-12-31T23:59:59.999Z")), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(Parse("0000-01-01")), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(Parse("0000-01-01") - 86400000), "-000001-12-31T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(kMaxEpochMillis), "+275760-09-13T00:00:00.000Z");
  std::string out = "at ";
  AppendIso8601(kJan15, &out);
  EXPECT_EQ(out, "at 2024-01-15T00:00:00.000Z");
}

TEST(DateTimeTest, FormatAndParseRoundTrip) {
  for (int64_t ms = -62167219200000; ms < 253402300800000; ms += 7777777777) {
    EXPECT_EQ(Parse(FormatIso8601(ms)), ms);
  }
}

}  // namespace
}  // namespace actiond::engine
