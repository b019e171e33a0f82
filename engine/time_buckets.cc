#include "engine/time_buckets.h"

#include <cstdio>

#include "engine/date_time.h"

namespace actiond::engine {
namespace {

constexpr int64_t kMsPerHour = 3'600'000;

int64_t FloorDiv(int64_t a, int64_t b) noexcept {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t FloorMod(int64_t a, int64_t b) noexcept { return a - FloorDiv(a, b) * b; }

// Sunday-based weekday of a day number: 1970-01-01 was a Thursday (4).
int64_t WeekdayFromSunday(int64_t day) noexcept { return FloorMod(day + 4, 7); }

}  // namespace

std::optional<Interval> ParseInterval(std::string_view text) noexcept {
  if (text == "hour") return Interval::kHour;
  if (text == "day") return Interval::kDay;
  if (text == "week") return Interval::kWeek;
  if (text == "month") return Interval::kMonth;
  return std::nullopt;
}

std::string_view IntervalName(Interval interval) noexcept {
  switch (interval) {
    case Interval::kHour:
      return "hour";
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
  }
  return "day";
}

int64_t Bucketing::KeyOf(int64_t utc_ms) const noexcept {
  const int64_t local_ms = utc_ms + zone_->OffsetMs(utc_ms);
  if (interval_ == Interval::kHour) return utc_ms - FloorMod(local_ms, kMsPerHour);
  const int64_t day = FloorDiv(local_ms, kMillisPerDay);
  switch (interval_) {
    case Interval::kWeek:
      return day - WeekdayFromSunday(day);
    case Interval::kMonth: {
      CivilDate date = CivilFromDays(day);
      date.day = 1;
      return DaysFromCivil(date);
    }
    default:
      return day;
  }
}

int64_t Bucketing::NextKey(int64_t key) const noexcept {
  switch (interval_) {
    case Interval::kHour: {
      // Re-snapped, so that a zone whose offset moves by less than an hour stays on its hours.
      const int64_t next = KeyOf(key + kMsPerHour);
      return next > key ? next : key + kMsPerHour;
    }
    case Interval::kDay:
      return key + 1;
    case Interval::kWeek:
      return key + 7;
    case Interval::kMonth: {
      CivilDate date = CivilFromDays(key);
      date.day = 1;
      if (++date.month > 12) {
        date.month = 1;
        ++date.year;
      }
      return DaysFromCivil(date);
    }
  }
  return key + 1;
}

std::string Bucketing::Label(int64_t key) const {
  char buffer[128];
  if (interval_ != Interval::kHour) {
    const CivilDate date = CivilFromDays(key);
    std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02d", static_cast<long long>(date.year),
                  date.month, date.day);
    return buffer;
  }
  const int64_t offset_ms = zone_->OffsetMs(key);
  const int64_t local_ms = key + offset_ms;
  const CivilDate date = CivilFromDays(FloorDiv(local_ms, kMillisPerDay));
  const int64_t hour = FloorMod(local_ms, kMillisPerDay) / kMsPerHour;
  const int64_t offset_minutes = (offset_ms < 0 ? -offset_ms : offset_ms) / 60'000;
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02dT%02lld:00:00%c%02lld:%02lld",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(hour), offset_ms < 0 ? '-' : '+',
                static_cast<long long>(offset_minutes / 60),
                static_cast<long long>(offset_minutes % 60));
  return buffer;
}

int64_t Bucketing::UtcDayBucketStartMs(int64_t key) const noexcept { return key * kMillisPerDay; }

}  // namespace actiond::engine
