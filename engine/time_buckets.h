// Buckets of a count series (docs/api.md §9 "Counts over time"): hours, days, weeks (starting on
// Sunday, PostHog's default week start) and calendar months of a time zone's wall clock.
//
// A bucket is named by a key: for hours the UTC instant (ms) at which that local hour starts
// (so the hour repeated when clocks go back is two buckets, told apart by their offsets); for
// days, weeks and months the local calendar day number (days since 1970-01-01) of its first
// day. Keys grow with time; NextKey steps to the following bucket.
//
// Pure; thread-safe (the TimeZone must outlive the Bucketing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/time_zone.h"

namespace actiond::engine {

enum class Interval { kHour, kDay, kWeek, kMonth };

// "hour", "day", "week", "month"; nullopt for anything else.
std::optional<Interval> ParseInterval(std::string_view text) noexcept;
std::string_view IntervalName(Interval interval) noexcept;

class Bucketing {
 public:
  Bucketing(Interval interval, const TimeZone* zone) : interval_(interval), zone_(zone) {}

  Interval interval() const noexcept { return interval_; }
  // The key of the bucket holding the UTC instant `utc_ms`.
  int64_t KeyOf(int64_t utc_ms) const noexcept;
  int64_t NextKey(int64_t key) const noexcept;
  // The bucket's `date` in the API: `YYYY-MM-DD` (its first day) for days, weeks and months;
  // `YYYY-MM-DDTHH:00:00±HH:MM` (local time and offset) for hours.
  std::string Label(int64_t key) const;
  // Day, week and month buckets in a zone that is UTC: the bucket's first instant, UTC ms.
  int64_t UtcDayBucketStartMs(int64_t key) const noexcept;

 private:
  Interval interval_;
  const TimeZone* zone_;
};

}  // namespace actiond::engine
