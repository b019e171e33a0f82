#include "api/resources/events_resource.h"

#include <limits>
#include <optional>
#include <string>

#include "api/http/json_writer.h"
#include "api/http/page_links.h"
#include "api/http/query_params.h"
#include "api/project_access.h"
#include "api/rest_route.h"
#include "engine/date_time.h"
#include "engine/event_record_fields.h"
#include "service/event_service.h"

namespace actiond::api {
namespace {

constexpr int64_t kDefaultLimit = 100;
constexpr int64_t kMaxLimit = 10'000;

Result<std::optional<int64_t>> ParseTimeParam(const QueryParams& query, std::string_view name) {
  const std::optional<std::string_view> text = query.Get(name);
  if (!text || text->empty()) return std::optional<int64_t>();
  const std::optional<engine::ParsedDateTime> parsed = engine::ParseIso8601(*text);
  if (!parsed) return InvalidInput("Enter a valid ISO 8601 date or date-time.", name);
  return std::optional<int64_t>(parsed->epoch_ms);
}

Status ListEvents(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"event:read", "action:read"}));
  const QueryParams& query = rr.query_params();
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit, kMaxLimit);
  const std::optional<std::string_view> event_filter = query.Get("event");
  const std::optional<std::string_view> distinct_id_filter = query.Get("distinct_id");
  ACTIOND_ASSIGN_OR_RETURN(const std::optional<int64_t> after, ParseTimeParam(query, "after"));
  ACTIOND_ASSIGN_OR_RETURN(const std::optional<int64_t> before, ParseTimeParam(query, "before"));
  const std::string_view before_uuid = query.GetOr("before_uuid", "");

  service::ScanOptions scan;
  scan.newest_first = true;
  if (after) scan.range.from_ms = *after + 1;
  if (before) {
    // With a uuid the cursor is (before, before_uuid): that millisecond is visited too and its
    // events at or above the uuid are skipped below.
    scan.range.to_ms = before_uuid.empty() ? *before : *before + 1;
  }
  if (scan.range.from_ms >= scan.range.to_ms) scan.range.to_ms = scan.range.from_ms;

  thread_local engine::EventRecordFieldReader reader;
  std::string results;  // written first, placed after `next` (PostHog's member order)
  JsonWriter w(results);
  w.BeginArray();
  int64_t written = 0;
  bool more = false;
  int64_t last_ts = 0;
  std::string last_uuid;
  Status read_status;
  ACTIOND_RETURN_IF_ERROR(services.events->Scan(
      access.project.id, scan, [&](int64_t ts, std::string_view uuid, std::string_view record) {
        if (before && !before_uuid.empty() && ts == *before && uuid >= before_uuid) return true;
        Result<engine::EventRecordFields> fields = reader.Read(record);
        if (!fields.ok()) {
          read_status = fields.status();
          return false;
        }
        if (event_filter && fields->event != *event_filter) return true;
        if (distinct_id_filter && fields->distinct_id != *distinct_id_filter) return true;
        if (written == limit) {
          more = true;
          return false;
        }
        w.BeginObject();
        w.Member("id", fields->uuid).Member("uuid", fields->uuid);
        w.Member("event", fields->event).Member("distinct_id", fields->distinct_id);
        w.Key("properties").Raw(fields->properties_json);
        w.Member("timestamp", fields->timestamp);
        if (fields->person_id.empty()) {
          w.MemberNull("person_id");
        } else {
          w.Member("person_id", fields->person_id);
        }
        w.Member("elements_chain", fields->elements_chain);
        w.EndObject();
        ++written;
        last_ts = ts;
        last_uuid.assign(uuid);
        return true;
      }));
  ACTIOND_RETURN_IF_ERROR(read_status);
  w.EndArray();

  JsonWriter page(reply.body);
  page.BeginObject().Key("next");
  if (more) {
    page.String(
        RewriteQuery(rr, {{"before", engine::FormatIso8601(last_ts)}, {"before_uuid", last_uuid}}));
  } else {
    page.Null();
  }
  page.Key("results").Raw(results).EndObject();
  return Status::Ok();
}

}  // namespace

void RegisterEventRoutes(Router& router, const Services& services) {
  router.Add(http::verb::get, "/api/projects/:project_id/events", RestRoute(services, ListEvents));
}

}  // namespace actiond::api
