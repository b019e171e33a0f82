#include "api/resources/actions_resource.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/clock.h"
#include "api/http/json_writer.h"
#include "api/http/page_links.h"
#include "api/http/query_params.h"
#include "api/project_access.h"
#include "api/resources/action_count.h"
#include "api/resources/action_json.h"
#include "api/resources/date_range.h"
#include "api/resources/explain_json.h"
#include "api/rest_route.h"
#include "engine/action_definition.h"
#include "engine/explain_request.h"
#include "engine/str_cat.h"
#include "engine/time_buckets.h"
#include "service/account_service.h"
#include "service/action_service.h"
#include "service/cluster_action_writes.h"
#include "service/time_zones.h"

namespace actiond::api {
namespace {

constexpr int64_t kDefaultLimit = 100;
constexpr size_t kMaxCountIds = 200;
constexpr std::string_view kReadScope = "action:read";
constexpr std::string_view kWriteScope = "action:write";
constexpr std::string_view kHardDeleteDetail =
    "Hard delete of this model is not allowed. Use a patch API call to set \"deleted\" to true";

// DRF's BooleanField spellings, for form-encoded bodies.
std::optional<bool> FormBool(std::string_view value) {
  for (std::string_view t :
       {"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"}) {
    if (value == t) return true;
  }
  for (std::string_view f : {"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off",
                             "Off", "OFF", "0"}) {
    if (value == f) return false;
  }
  return std::nullopt;
}

// A form-encoded body (`curl -d name=…`, as PostHog's curl examples send; docs/api.md §9.1) as the
// JSON object DRF's FormParser would hand the serializer: strings, booleans where the field is one,
// `tags` as a list of its repeated values.
std::string FormToJson(std::string_view body) {
  const QueryParams form = QueryParams::Parse(body);
  std::string json;
  JsonWriter w(json);
  w.BeginObject();
  std::vector<std::string_view> written;
  for (const auto& [key, unused] : form.items()) {
    if (std::find(written.begin(), written.end(), key) != written.end()) continue;
    written.push_back(key);
    const std::string_view value = *form.Get(key);
    w.Key(key);
    if (key == "tags") {
      w.BeginArray();
      for (std::string_view tag : form.GetAll(key)) w.String(tag);
      w.EndArray();
    } else if (key == "post_to_slack" || key == "deleted") {
      if (std::optional<bool> b = FormBool(value)) {
        w.Bool(*b);
      } else {
        w.String(value);
      }
    } else {
      w.String(value);
    }
  }
  w.EndObject();
  return json;
}

Result<engine::ActionRequest> ParseBody(const RouteRequest& request) {
  const std::string_view content_type = request.header(http::field::content_type);
  if (content_type.starts_with("application/x-www-form-urlencoded")) {
    return engine::ParseActionRequest(FormToJson(request.body()));
  }
  // An empty body is an empty object, as DRF reads it.
  const bool blank = request.body().find_first_not_of(" \t\r\n") == std::string::npos;
  return engine::ParseActionRequest(blank ? std::string_view("{}") : request.body());
}

std::optional<service::ActionCreator> Creator(const Services& services, int64_t user_id) {
  auto user = services.accounts->FindUser(user_id);
  if (!user.ok()) return std::nullopt;
  return std::move(*user);
}

Status ReplyCsv(Result<std::string> csv, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(reply.body, std::move(csv));
  reply.content_type = kCsvContentType;
  return Status::Ok();
}

bool WantsCsv(const RouteRequest& request) {
  return request.query_params().GetOr("format", "") == "csv";
}

// The `:id` path parameter; a path that names no action id is 404, as for a missing action.
Result<service::ActionId> PathActionId(const RouteRequest& request) {
  const std::optional<service::ActionId> id = ParseDecimalId(request.Param("id"));
  if (!id) return NotFound("Not found.");
  return *id;
}

// The action as the API shows it: with its backfill's progress while one runs. The record and
// the progress are two reads; a backfill that finishes between them (its last commit clears
// both) is seen by reading the record again, so `is_calculating: true` always comes with
// `progress`.
Result<std::string> ActionBody(const Services& s, const service::ActionRecord& record) {
  ACTIOND_ASSIGN_OR_RETURN(const std::optional<service::BackfillProgress> progress,
                           s.actions->Progress(record.team_id, record.id));
  if (record.is_calculating && !progress) {
    ACTIOND_ASSIGN_OR_RETURN(const service::ActionRecord now,
                             s.actions->Get(record.team_id, record.id));
    return ActionJson(now, std::nullopt);
  }
  return ActionJson(record, record.is_calculating ? progress : std::nullopt);
}

Status List(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kReadScope}));
  ACTIOND_ASSIGN_OR_RETURN(std::vector<service::ActionRecord> actions,
                           s.actions->List(access.project.id));
  const QueryParams& query = req.query_params();
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit);
  const int64_t offset = ParseNonNegativeInt(query.Get("offset"), 0);
  const int64_t count = static_cast<int64_t>(actions.size());
  std::vector<service::ActionRecord> page;
  for (int64_t i = offset; i < count && i - offset < limit; ++i) {
    page.push_back(std::move(actions[static_cast<size_t>(i)]));
  }
  if (WantsCsv(req)) return ReplyCsv(ActionListCsv(page), reply);
  std::vector<std::string> bodies;
  for (const service::ActionRecord& record : page) {
    ACTIOND_ASSIGN_OR_RETURN(bodies.emplace_back(), ActionBody(s, record));
  }
  reply.body = ActionListJson(count, LimitOffsetLinks(req, limit, offset, count), bodies);
  return Status::Ok();
}

Status Create(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kWriteScope}));
  ACTIOND_ASSIGN_OR_RETURN(const engine::ActionRequest request, ParseBody(req));
  const std::optional<service::ActionCreator> creator = Creator(s, access.principal.user_id);
  // Cluster mode: through the project's partition of the event log, so that every node that
  // applies it has the action (docs/cluster.md §Actions).
  ACTIOND_ASSIGN_OR_RETURN(
      const service::ActionRecord created,
      s.cluster != nullptr
          ? service::CreateActionInCluster(*s.cluster, *s.actions, access.project, request, creator)
          : s.actions->Create(access.project.id, request, creator));
  // The record as committed, without progress: the backfill may already be done by now, and
  // a create's answer should not depend on that race (GET shows the progress).
  reply.body = service::EncodeActionRecord(created);
  return Status::Ok();
}

Status Retrieve(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kReadScope}));
  ACTIOND_ASSIGN_OR_RETURN(const service::ActionId id, PathActionId(req));
  ACTIOND_ASSIGN_OR_RETURN(const service::ActionRecord record,
                           s.actions->Get(access.project.id, id));
  if (WantsCsv(req)) return ReplyCsv(ActionListCsv({record}), reply);
  ACTIOND_ASSIGN_OR_RETURN(reply.body, ActionBody(s, record));
  return Status::Ok();
}

Status Update(const Services& s, const RouteRequest& req, RouteReply& reply, bool partial) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kWriteScope}));
  ACTIOND_ASSIGN_OR_RETURN(const service::ActionId id, PathActionId(req));
  ACTIOND_ASSIGN_OR_RETURN(const engine::ActionRequest request, ParseBody(req));
  ACTIOND_ASSIGN_OR_RETURN(const service::ActionRecord updated,
                           s.cluster != nullptr
                               ? service::UpdateActionInCluster(
                                     *s.cluster, *s.actions, access.project, id, request, partial)
                               : s.actions->Update(access.project.id, id, request, partial));
  reply.body = service::EncodeActionRecord(updated);  // without progress, as Create
  return Status::Ok();
}

Status Patch(const Services& s, const RouteRequest& req, RouteReply& reply) {
  return Update(s, req, reply, /*partial=*/true);
}

Status Put(const Services& s, const RouteRequest& req, RouteReply& reply) {
  return Update(s, req, reply, /*partial=*/false);
}

Status Destroy(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_RETURN_IF_ERROR(AuthorizeProject(s, req, {kWriteScope}).status());
  // What this route serves (RegisterActionRoutes; DELETE is left out of it): PostHog's list
  // adds HEAD and OPTIONS, which actiond does not serve here.
  reply.headers.emplace_back(http::field::allow, "GET, PATCH, PUT");
  return Status(StatusCode::kNotSupported, kHardDeleteDetail);
}

// `{"count"[, "interval", "timezone"], "is_calculating"[, "progress"][, "series"]}`
// (docs/api.md §9 "Count").
Status Count(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kReadScope}));
  ACTIOND_ASSIGN_OR_RETURN(const service::ActionId id, PathActionId(req));
  ACTIOND_ASSIGN_OR_RETURN(const CountQuery query, ParseCountQuery(req.query_params(), NowMs()));
  JsonWriter w(reply.body);
  w.BeginObject();
  ACTIOND_RETURN_IF_ERROR(WriteCountMembers(s, access.project.id, id, query, w));
  w.EndObject();
  return Status::Ok();
}

// Many actions' counts in one request: `{"results": [{"id", …the count's members…}]}` for the
// `ids` that exist, in the order given (docs/api.md §9 "Counts of many actions"). A page listing
// actions asks once per refresh instead of once per action.
Status Counts(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kReadScope}));
  const QueryParams& params = req.query_params();
  ACTIOND_ASSIGN_OR_RETURN(const CountQuery query, ParseCountQuery(params, NowMs(), "ids"));
  const std::optional<std::string_view> ids_text = params.Get("ids");
  if (!ids_text || ids_text->empty()) return Required("This field is required.", "ids");
  std::vector<service::ActionId> ids;
  std::string_view rest = *ids_text;
  while (true) {
    const size_t comma = rest.find(',');
    const std::optional<service::ActionId> id = ParseDecimalId(rest.substr(0, comma));
    if (!id) return InvalidInput("Enter action ids separated by commas.", "ids");
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // Each id costs a few counter reads: the cap bounds one request's work.
  if (ids.size() > kMaxCountIds) {
    return InvalidInput(
        engine::StrCat({"Ensure ids has at most ", std::to_string(kMaxCountIds), " actions."}),
        "ids");
  }
  JsonWriter w(reply.body);
  w.BeginObject().Key("results").BeginArray();
  for (const service::ActionId id : ids) {
    // A deleted or unknown action is left out: the list it came from may be older than this.
    std::string one;
    JsonWriter item(one);
    item.BeginObject().MemberInt("id", id);
    const Status status = WriteCountMembers(s, access.project.id, id, query, item);
    if (status.code() == StatusCode::kNotFound) continue;
    ACTIOND_RETURN_IF_ERROR(status);
    item.EndObject();
    w.Raw(one);
  }
  w.EndArray().EndObject();
  return Status::Ok();
}

// The action of a people request: from the path (`/:id/people/`) or from `entity_id`.
Result<service::ActionId> PeopleActionId(const RouteRequest& req) {
  if (!req.Param("id").empty()) return PathActionId(req);
  const QueryParams& query = req.query_params();
  const std::optional<std::string_view> type = query.Get("entity_type");
  if (type && *type != "actions") {
    return InvalidChoice(engine::StrCat({"\"", *type, "\" is not a valid choice: use actions."}),
                         "entity_type");
  }
  const std::optional<std::string_view> entity = query.Get("entity_id");
  if (!entity || entity->empty()) return Required("This field is required.", "entity_id");
  const std::optional<service::ActionId> id = ParseDecimalId(*entity);
  if (!id) return InvalidInput("A valid integer is required.", "entity_id");
  return *id;
}

// Both people routes.
Status People(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kReadScope}));
  ACTIOND_ASSIGN_OR_RETURN(const service::ActionId id, PeopleActionId(req));
  const QueryParams& query = req.query_params();
  ACTIOND_ASSIGN_OR_RETURN(const service::TimeRange range,
                           ParseDateRange(query.Get("date_from"), query.Get("date_to"), NowMs()));
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit);
  const int64_t offset = ParseNonNegativeInt(query.Get("offset"), 0);
  ACTIOND_ASSIGN_OR_RETURN(
      const service::PeoplePage page,
      s.actions->People(access.project.id, id, range, static_cast<size_t>(limit),
                        static_cast<size_t>(offset)));
  if (WantsCsv(req)) return ReplyCsv(ActionPeopleCsv(page.people), reply);
  const PageLinks links = LimitOffsetLinksWithNext(req, limit, offset, page.has_more);
  reply.body = ActionPeopleJson(page.people, links);
  return Status::Ok();
}

// Explain (docs/api.md §Explain): reading scope, as it changes nothing. The subject (`uuid` or
// `event`) is read first, so a body that is not JSON is a parse error before anything else.
Status ExplainSaved(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kReadScope}));
  ACTIOND_ASSIGN_OR_RETURN(const service::ActionId id, PathActionId(req));
  ACTIOND_ASSIGN_OR_RETURN(const engine::ExplainSubject subject,
                           engine::ParseExplainSubject(req.body()));
  ACTIOND_ASSIGN_OR_RETURN(const engine::ActionExplanation explanation,
                           s.actions->Explain(access.project.id, id, subject));
  AppendExplanationJson(explanation, &reply.body);
  return Status::Ok();
}

// An unsaved definition: `steps` are parsed and validated as a create's are.
Status ExplainUnsaved(const Services& s, const RouteRequest& req, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access, AuthorizeProject(s, req, {kReadScope}));
  ACTIOND_ASSIGN_OR_RETURN(const engine::ExplainSubject subject,
                           engine::ParseExplainSubject(req.body()));
  ACTIOND_ASSIGN_OR_RETURN(const engine::ActionRequest request, ParseBody(req));
  ACTIOND_ASSIGN_OR_RETURN(
      const engine::ActionExplanation explanation,
      s.actions->ExplainSteps(access.project.id,
                              request.steps.value_or(std::vector<engine::ActionStep>{}), subject));
  AppendExplanationJson(explanation, &reply.body);
  return Status::Ok();
}

}  // namespace

void RegisterActionRoutes(Router& router, const Services& services) {
  constexpr std::string_view kBase = "/api/projects/:project_id/actions";
  constexpr std::string_view kOne = "/api/projects/:project_id/actions/:id";
  router.Add(http::verb::get, kBase, RestRoute(services, List));
  router.Add(http::verb::post, kBase, RestRoute(services, Create, http::status::created));
  router.Add(http::verb::get, kOne, RestRoute(services, Retrieve));
  router.Add(http::verb::patch, kOne, RestRoute(services, Patch));
  router.Add(http::verb::put, kOne, RestRoute(services, Put));
  router.Add(http::verb::delete_, kOne, RestRoute(services, Destroy), /*in_allow=*/false);
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id/count",
             RestRoute(services, Count));
  router.Add(http::verb::get, "/api/projects/:project_id/actions/counts",
             RestRoute(services, Counts));
  router.Add(http::verb::post, "/api/projects/:project_id/actions/explain",
             RestRoute(services, ExplainUnsaved));
  router.Add(http::verb::post, "/api/projects/:project_id/actions/:id/explain",
             RestRoute(services, ExplainSaved));
  router.Add(http::verb::get, "/api/projects/:project_id/actions/people",
             RestRoute(services, People));
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id/people",
             RestRoute(services, People));
}

}  // namespace actiond::api
