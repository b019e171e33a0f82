#include "api/resources/date_range.h"

#include <string>

#include "engine/date_time.h"
#include "engine/str_cat.h"

namespace actiond::api {
namespace {

enum class Side { kFrom, kTo };

// The bound a parameter sets: the first instant included (kFrom) or the first excluded (kTo);
// nullopt for no bound.
Result<std::optional<int64_t>> ParseBound(std::optional<std::string_view> text, Side side,
                                          int64_t now_ms) {
  if (!text || text->empty() || *text == "all") return std::optional<int64_t>();
  const std::string_view attr = side == Side::kFrom ? "date_from" : "date_to";
  if (auto parsed = engine::ParseIso8601(*text)) {
    if (side == Side::kFrom) return std::optional<int64_t>(parsed->epoch_ms);
    return std::optional<int64_t>(parsed->date_only ? parsed->epoch_ms + engine::kMillisPerDay
                                                    : parsed->epoch_ms + 1);
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
  const int64_t day_start = engine::UtcDay(instant) * engine::kMillisPerDay;
  return std::optional<int64_t>(side == Side::kFrom ? day_start
                                                    : day_start + engine::kMillisPerDay);
}

}  // namespace

Result<service::TimeRange> ParseDateRange(std::optional<std::string_view> date_from,
                                          std::optional<std::string_view> date_to, int64_t now_ms) {
  service::TimeRange range;
  ACTIOND_ASSIGN_OR_RETURN(std::optional<int64_t> from, ParseBound(date_from, Side::kFrom, now_ms));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<int64_t> to, ParseBound(date_to, Side::kTo, now_ms));
  if (from) range.from_ms = *from;
  if (to) range.to_ms = *to;
  return range;
}

}  // namespace actiond::api
