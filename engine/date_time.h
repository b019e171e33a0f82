// Calendar and ISO 8601 arithmetic on epoch milliseconds (UTC), for date filters (docs/semantics.md
// §6, §8.6) and for timestamps elsewhere. Pure functions: no clock, no locale, no time zone
// database; proleptic Gregorian calendar. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace actiond::engine {

inline constexpr int64_t kMillisPerSecond = 1000;
inline constexpr int64_t kMillisPerDay = 86'400'000;
// The range of JavaScript dates (±10^8 days around the epoch); parsers reject anything beyond.
inline constexpr int64_t kMaxEpochMillis = 8'640'000'000'000'000;

struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 of a (valid) civil date, and back (H. Hinnant's algorithms).
int64_t DaysFromCivil(CivilDate date) noexcept;
CivilDate CivilFromDays(int64_t days) noexcept;
int DaysInMonth(int64_t year, int month) noexcept;

// The UTC calendar day of an instant, as days since 1970-01-01 (floor: negative instants too).
int64_t UtcDay(int64_t epoch_ms) noexcept;

inline constexpr int64_t kMicrosPerMilli = 1000;

struct ParsedDateTime {
  int64_t epoch_ms = 0;    // the instant floored to its millisecond
  int64_t epoch_us = 0;    // the instant in microseconds (date filters compare these)
  bool date_only = false;  // `YYYY-MM-DD` alone: 00:00:00.000 UTC of that day
};

// Parses ISO 8601 as docs/semantics.md §8.6 allows, nothing more:
//   YYYY-MM-DD
//   YYYY-MM-DD(T|t|space)HH:MM[:SS[.fraction]][Z|z|±HH:MM|±HHMM|±HH]
// Four-digit years; fields range-checked (no 24:00, no leap second, day within its month);
// the fraction takes any number of digits and is truncated to microseconds (ClickHouse's
// DateTime64(6)); no offset means UTC. No surrounding whitespace. Returns nullopt for anything
// else.
std::optional<ParsedDateTime> ParseIso8601(std::string_view text) noexcept;

// Epoch seconds when |n| < 10^11 (rounded to the millisecond), else epoch milliseconds
// (floored). nullopt when not finite or outside ±kMaxEpochMillis.
std::optional<int64_t> EpochNumberToMillis(double n) noexcept;
// The same instant in microseconds: seconds or milliseconds as above, a fraction kept to the
// microsecond (rounded, so that binary noise does not shift it).
std::optional<int64_t> EpochNumberToMicros(double n) noexcept;

// A relative date `-N<unit>`: unit h (hours), d (days), w (weeks), m (calendar months),
// y (calendar years). N is 1 to 6 digits (so that every result stays representable).
struct RelativeDate {
  enum class Unit : unsigned char { kHour, kDay, kWeek, kMonth, kYear };
  int64_t amount = 0;
  Unit unit = Unit::kDay;
};
std::optional<RelativeDate> ParseRelativeDate(std::string_view text) noexcept;

// `reference_ms` moved back by `relative`. Months and years are calendar steps that keep the
// time of day and clamp the day to the target month's end (03-31 −1m → 02-28 or 02-29).
int64_t SubtractRelative(int64_t reference_ms, RelativeDate relative) noexcept;

// SubtractRelative in microseconds, for comparing with microsecond dates. A result beyond the
// date range (−999999y reaches ±3·10¹⁶ ms, which overflows int64 in µs) is clamped to a day past
// ±kMaxEpochMillis: every date that can be stored compares with it as with the exact bound, and
// none falls on its day.
int64_t SubtractRelativeMicros(int64_t reference_ms, RelativeDate relative) noexcept;

// `YYYY-MM-DDTHH:MM:SS.mmmZ` (years outside 0000..9999 as ±YYYYYY, as JavaScript does).
void AppendIso8601(int64_t epoch_ms, std::string* out);
std::string FormatIso8601(int64_t epoch_ms);

}  // namespace actiond::engine
