#include "api/resources/events_resource.h"

#include <string>
#include <vector>

#include "api/http/json_writer.h"
#include "api/http/page_links.h"
#include "api/http/query_params.h"
#include "api/project_access.h"
#include "api/resources/event_query_params.h"
#include "api/rest_route.h"
#include "engine/date_time.h"
#include "engine/event_record_fields.h"
#include "engine/str_cat.h"
#include "service/action_service.h"
#include "service/event_service.h"

namespace actiond::api {
namespace {

Status ListEvents(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"event:read", "action:read"}));
  ACTIOND_ASSIGN_OR_RETURN(const service::EventQuery query, ParseEventQuery(rr.query_params()));
  // matched_actions=true: the live actions are listed once, then looked up per event.
  const std::string_view matched_param = rr.query_params().GetOr("matched_actions", "false");
  if (matched_param != "true" && matched_param != "false") {
    return InvalidChoice(engine::StrCat({"\"", matched_param,
                                         "\" is not a valid choice: use true "
                                         "or false."}),
                         "matched_actions");
  }
  std::vector<service::ActionId> live_actions;
  if (matched_param == "true") {
    ACTIOND_ASSIGN_OR_RETURN(const std::vector<service::ActionRecord> actions,
                             services.actions->List(access.project.id));
    for (const service::ActionRecord& action : actions) live_actions.push_back(action.id);
  }

  thread_local engine::EventRecordFieldReader reader;
  std::string results;  // written first, placed after `next` (PostHog's member order)
  JsonWriter w(results);
  w.BeginArray();
  int64_t last_ts = 0;
  std::string last_uuid;
  Status read_status;
  ACTIOND_ASSIGN_OR_RETURN(
      const bool more,
      services.events->List(access.project.id, query, [&](const service::ListedEvent& event) {
        Result<engine::EventRecordFields> fields = reader.Read(event.record_json);
        if (!fields.ok()) {
          if (read_status.ok()) read_status = fields.status();
          return;
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
        w.Member("elements_chain", event.elements_chain);
        if (matched_param == "true") {
          Result<std::vector<service::ActionId>> matched = services.actions->MatchedActions(
              access.project.id, live_actions, event.timestamp_ms, event.uuid);
          if (!matched.ok()) {
            if (read_status.ok()) read_status = matched.status();
            return;
          }
          w.Key("matched_actions").BeginArray();
          for (const service::ActionId id : *matched) w.Int(id);
          w.EndArray();
        }
        w.EndObject();
        last_ts = event.timestamp_ms;
        last_uuid.assign(event.uuid);
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
