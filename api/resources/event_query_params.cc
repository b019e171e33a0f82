#include "api/resources/event_query_params.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "engine/date_time.h"
#include "engine/str_cat.h"

namespace actiond::api {
namespace {

constexpr std::array<std::string_view, 12> kKnown = {
    "limit", "event",  "distinct_id", "person_id",        "action_id", "properties",
    "after", "before", "before_uuid", "personal_api_key", "format",    "matched_actions"};

Status CheckNames(const QueryParams& query) {
  for (const auto& [key, value] : query.items()) {
    if (key == "offset") {
      return InvalidInput(
          "offset is not supported: follow `next`, which pages by timestamp (PostHog deprecates "
          "offset on this endpoint too).",
          key);
    }
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      return InvalidInput(
          engine::StrCat({"Unknown parameter '", key,
                          "'. Known: limit, event, distinct_id, person_id, action_id, "
                          "properties, after, before, format, matched_actions."}),
          key);
    }
    // A filter sent twice with different values would silently keep one of them.
    for (std::string_view other : query.GetAll(key)) {
      if (other != value) {
        return InvalidInput(engine::StrCat({"Parameter '", key, "' is given twice."}), key);
      }
    }
  }
  return Status::Ok();
}

Result<int64_t> ParseLimit(std::optional<std::string_view> text) {
  if (!text) return kDefaultEventsLimit;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  const std::string message = engine::StrCat(
      {"Ensure limit is an integer from 1 to ", std::to_string(kMaxEventsLimit), "."});
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || value < 1 ||
      value > kMaxEventsLimit) {
    return InvalidInput(message, "limit");
  }
  return value;
}

Result<std::optional<int64_t>> ParseTime(const QueryParams& query, std::string_view name) {
  const std::optional<std::string_view> text = query.Get(name);
  if (!text || text->empty()) return std::optional<int64_t>();
  const std::optional<engine::ParsedDateTime> parsed = engine::ParseIso8601(*text);
  if (!parsed) return InvalidInput("Enter a valid ISO 8601 date or date-time.", name);
  return std::optional<int64_t>(parsed->epoch_ms);
}

std::optional<std::string> Optional(const QueryParams& query, std::string_view name) {
  const std::optional<std::string_view> text = query.Get(name);
  if (!text) return std::nullopt;
  return std::string(*text);
}

}  // namespace

Result<service::EventQuery> ParseEventQuery(const QueryParams& query) {
  ACTIOND_RETURN_IF_ERROR(CheckNames(query));
  if (const std::optional<std::string_view> format = query.Get("format");
      format && *format != "json") {
    return InvalidChoice(engine::StrCat({"\"", *format, "\" is not a valid choice: only json."}),
                         "format");
  }
  service::EventQuery out;
  ACTIOND_ASSIGN_OR_RETURN(const int64_t limit, ParseLimit(query.Get("limit")));
  out.limit = static_cast<size_t>(limit);
  out.event = Optional(query, "event");
  out.distinct_id = Optional(query, "distinct_id");
  out.person_uuid = Optional(query, "person_id");
  if (out.person_uuid && out.person_uuid->empty()) {
    return InvalidInput("Enter a person's id (its uuid).", "person_id");
  }
  if (const std::optional<std::string_view> action = query.Get("action_id")) {
    const std::optional<int64_t> id = ParseDecimalId(*action);
    if (!id) return InvalidInput("A valid integer is required.", "action_id");
    out.action = *id;
  }
  if (const std::optional<std::string_view> properties = query.Get("properties")) {
    ACTIOND_ASSIGN_OR_RETURN(out.properties, engine::PropertyFilterList::Compile(*properties));
  }
  ACTIOND_ASSIGN_OR_RETURN(const std::optional<int64_t> after, ParseTime(query, "after"));
  ACTIOND_ASSIGN_OR_RETURN(const std::optional<int64_t> before, ParseTime(query, "before"));
  if (after) out.range.from_ms = *after + 1;
  const std::string_view before_uuid = query.GetOr("before_uuid", "");
  if (!before_uuid.empty() && !before) {
    return InvalidInput("before_uuid needs before (it is the cursor of next links).",
                        "before_uuid");
  }
  if (before && before_uuid.empty()) out.range.to_ms = *before;
  if (before && !before_uuid.empty()) {
    out.before = service::EventCursor{*before, std::string(before_uuid)};
  }
  return out;
}

}  // namespace actiond::api
