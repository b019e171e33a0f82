// The `date_from` / `date_to` query parameters of the count and people endpoints → a time range
// (docs/api.md §9 "Dates").
//
//   absent, "" or "all"       no bound
//   YYYY-MM-DD                date_from: that day's start; date_to: through that whole day
//   ISO date-time             that instant, inclusive on both sides
//   -N{h,d,w,m,y} (or N…)     counted back from `now_ms`; hours are exact, the other units name
//                             a UTC day: date_from starts at its beginning, date_to runs through
//                             its end (PostHog's habit of truncating relative dates to the day)
// With a `zone` (the count series' `timezone`), dates and relative days name that zone's days
// instead of UTC's.
// Anything else is kInvalidInput with attr `date_from` / `date_to`. A range whose start is not
// before its end is returned as it is (empty: it counts nothing).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/status.h"
#include "engine/time_zone.h"
#include "service/domain_types.h"

namespace actiond::api {

Result<service::TimeRange> ParseDateRange(std::optional<std::string_view> date_from,
                                          std::optional<std::string_view> date_to, int64_t now_ms,
                                          const engine::TimeZone* zone = nullptr);

}  // namespace actiond::api
