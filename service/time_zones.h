// IANA time zones by name, for the count series (docs/api.md §9 "Counts over time"): read from
// the system's compiled tz database, $TZDIR or else /usr/share/zoneinfo (Debian's `tzdata`),
// once per name per process, and kept. Why not std::chrono's tzdb: engine/time_zone.h.
//
// "UTC" needs no file. A name that is not a valid IANA name (engine::TimeZone::IsValidName;
// nothing outside the directory can be named) or has no readable TZif file there is
// kInvalidInput with attr `timezone`.
// Thread-safety: safe from any thread; the zones handed out are immutable and live forever.
#pragma once

#include <memory>
#include <string_view>

#include "engine/status.h"
#include "engine/time_zone.h"

namespace actiond::service {

Result<std::shared_ptr<const engine::TimeZone>> FindTimeZone(std::string_view name);

}  // namespace actiond::service
