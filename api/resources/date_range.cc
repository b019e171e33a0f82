#include "api/resources/date_range.h"

#include <string>

#include "engine/date_time.h"
#include "engine/str_cat.h"

namespace actiond::api {
namespace {

enum class Side { kFrom, kTo };

// The bound a parameter sets: the first instant included (kFrom) or the first excluded (kTo);
// nullopt for no bound.
// The first instant of the local day `day` (days since 1970-01-01 on the zone's calendar).
int64_t DayStart(int64_t day, const engine::TimeZone* zone) {
  const int64_t local = day * engine::kMillisPerDay;
  return zone ? zone->LocalToUtcMs(local) : local;
}

Result<std::optional<int64_t>> ParseBound(std::optional<std::string_view> text, Side side,
                                          int64_t now_ms, const engine::TimeZone* zone) {
  if (!text || text->empty() || *text == "all") return std::optional<int64_t>();
  const std::string_view attr = side == Side::kFrom ? "date_from" : "date_to";
  if (auto parsed = engine::ParseIso8601(*text)) {
    if (parsed->date_only) {
      const int64_t day = engine::UtcDay(parsed->epoch_ms);
      return std::optional<int64_t>(DayStart(side == Side::kFrom ? day : day + 1, zone));
    }
    return std::optional<int64_t>(side == Side::kFrom ? parsed->epoch_ms : parsed->epoch_ms + 1);
  }
  std::optional<engine::RelativeDate> relative = engine::ParseRelativeDate(*text);
  if (!relative && text->front() != '-') {
    relative = engine::ParseRelativeDate(engine::StrCat({"-", *text}));
  }
  if (!relative) {
    return InvalidInput("Invalid date: '" + std::string(*text) +
                            "'. Use an ISO 8601 date or date-time, a relative date such as "
                            "-7d, or all.",
                        attr);
  }
  const int64_t instant = engine::SubtractRelative(now_ms, *relative);
  if (relative->unit == engine::RelativeDate::Unit::kHour) {
    return std::optional<int64_t>(side == Side::kFrom ? instant : instant + 1);
  }
  const int64_t day = engine::UtcDay(instant + (zone ? zone->OffsetMs(instant) : 0));
  return std::optional<int64_t>(DayStart(side == Side::kFrom ? day : day + 1, zone));
}

}  // namespace

Result<service::TimeRange> ParseDateRange(std::optional<std::string_view> date_from,
                                          std::optional<std::string_view> date_to, int64_t now_ms,
                                          const engine::TimeZone* zone) {
  service::TimeRange range;
  ACTIOND_ASSIGN_OR_RETURN(std::optional<int64_t> from,
                           ParseBound(date_from, Side::kFrom, now_ms, zone));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<int64_t> to, ParseBound(date_to, Side::kTo, now_ms, zone));
  if (from) range.from_ms = *from;
  if (to) range.to_ms = *to;
  return range;
}

}  // namespace actiond::api
