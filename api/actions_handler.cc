#include "api/actions_handler.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/action_json.h"
#include "api/clock.h"
#include "api/date_range.h"
#include "api/error_response.h"
#include "api/json_writer.h"
#include "api/log.h"
#include "api/page_links.h"
#include "api/project_access.h"
#include "api/query_params.h"
#include "engine/action_definition.h"
#include "service/account_service.h"
#include "service/action_service.h"

namespace actiond::api {
namespace {

constexpr int64_t kDefaultLimit = 100;
constexpr std::string_view kReadScope = "action:read";
constexpr std::string_view kWriteScope = "action:write";
constexpr std::string_view kHardDeleteDetail =
    "Hard delete of this model is not allowed. Use a patch API call to set \"deleted\" to true";

void Fail(const Status& status, const RouteRequest& request, HttpResponse& res) {
  const http::status http_status = ErrorShapeFor(status.code()).http_status;
  if (static_cast<int>(http_status) >= 500) {
    ACTIOND_LOG(ERROR) << request.method() << " " << request.path() << ": " << status.ToString();
  }
  WriteError(status, res);
}

void ReplyCsv(Result<std::string> csv, const RouteRequest& request, HttpResponse& res) {
  if (!csv.ok()) return Fail(csv.status(), request, res);
  res.result(http::status::ok);
  res.set(http::field::content_type, "text/csv; charset=utf-8");
  res.body() = std::move(*csv);
}

bool WantsCsv(const RouteRequest& request) {
  return request.query_params().GetOr("format", "") == "csv";
}

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

// A form-encoded body (`curl -d name=…`, as the seed's examples send) as the JSON object DRF's
// FormParser would hand the serializer: strings, booleans where the field is one, `tags` as a
// list of its repeated values.
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

void ReplyAction(http::status status, const service::ActionRecord& record, HttpResponse& res) {
  SetJson(res, status, service::EncodeActionRecord(record));
}

void List(const Services& s, const RouteRequest& req, HttpResponse& res) {
  auto access = AuthorizeProject(s, req, {kReadScope});
  if (!access.ok()) return Fail(access.status(), req, res);
  auto actions = s.actions->List(access->project.id);
  if (!actions.ok()) return Fail(actions.status(), req, res);
  const QueryParams& query = req.query_params();
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit);
  const int64_t offset = ParseNonNegativeInt(query.Get("offset"), 0);
  const int64_t count = static_cast<int64_t>(actions->size());
  std::vector<service::ActionRecord> page;
  for (int64_t i = offset; i < count && i - offset < limit; ++i) {
    page.push_back(std::move((*actions)[static_cast<size_t>(i)]));
  }
  if (WantsCsv(req)) return ReplyCsv(ActionListCsv(page), req, res);
  SetJson(res, http::status::ok,
          ActionListJson(count, LimitOffsetLinks(req, limit, offset, count), page));
}

void Create(const Services& s, const RouteRequest& req, HttpResponse& res) {
  auto access = AuthorizeProject(s, req, {kWriteScope});
  if (!access.ok()) return Fail(access.status(), req, res);
  auto request = ParseBody(req);
  if (!request.ok()) return Fail(request.status(), req, res);
  auto created =
      s.actions->Create(access->project.id, *request, Creator(s, access->principal.user_id));
  if (!created.ok()) return Fail(created.status(), req, res);
  ReplyAction(http::status::created, *created, res);
}

void Retrieve(const Services& s, const RouteRequest& req, HttpResponse& res) {
  auto access = AuthorizeProject(s, req, {kReadScope});
  if (!access.ok()) return Fail(access.status(), req, res);
  const std::optional<service::ActionId> id = ParseDecimalId(req.Param("id"));
  if (!id) return Fail(NotFound("Not found."), req, res);
  auto record = s.actions->Get(access->project.id, *id);
  if (!record.ok()) return Fail(record.status(), req, res);
  if (WantsCsv(req)) return ReplyCsv(ActionListCsv({*record}), req, res);
  ReplyAction(http::status::ok, *record, res);
}

void Update(const Services& s, const RouteRequest& req, HttpResponse& res, bool partial) {
  auto access = AuthorizeProject(s, req, {kWriteScope});
  if (!access.ok()) return Fail(access.status(), req, res);
  const std::optional<service::ActionId> id = ParseDecimalId(req.Param("id"));
  if (!id) return Fail(NotFound("Not found."), req, res);
  auto request = ParseBody(req);
  if (!request.ok()) return Fail(request.status(), req, res);
  auto updated = s.actions->Update(access->project.id, *id, *request, partial);
  if (!updated.ok()) return Fail(updated.status(), req, res);
  ReplyAction(http::status::ok, *updated, res);
}

void Destroy(const Services& s, const RouteRequest& req, HttpResponse& res) {
  auto access = AuthorizeProject(s, req, {kWriteScope});
  if (!access.ok()) return Fail(access.status(), req, res);
  res.set(http::field::allow, "GET, PUT, PATCH, HEAD, OPTIONS");
  Fail(Status(StatusCode::kMethodNotAllowed, kHardDeleteDetail), req, res);
}

void Count(const Services& s, const RouteRequest& req, HttpResponse& res) {
  auto access = AuthorizeProject(s, req, {kReadScope});
  if (!access.ok()) return Fail(access.status(), req, res);
  const std::optional<service::ActionId> id = ParseDecimalId(req.Param("id"));
  if (!id) return Fail(NotFound("Not found."), req, res);
  const QueryParams& query = req.query_params();
  auto range = ParseDateRange(query.Get("date_from"), query.Get("date_to"), NowMs());
  if (!range.ok()) return Fail(range.status(), req, res);
  auto count = s.actions->Count(access->project.id, *id, *range);
  if (!count.ok()) return Fail(count.status(), req, res);
  std::string body;
  JsonWriter(body).BeginObject().MemberInt("count", *count).EndObject();
  SetJson(res, http::status::ok, std::move(body));
}

// Both people routes: the action comes from the path (`/:id/people/`) or from `entity_id`.
void People(const Services& s, const RouteRequest& req, HttpResponse& res) {
  auto access = AuthorizeProject(s, req, {kReadScope});
  if (!access.ok()) return Fail(access.status(), req, res);
  const QueryParams& query = req.query_params();
  std::optional<service::ActionId> id;
  if (!req.Param("id").empty()) {
    id = ParseDecimalId(req.Param("id"));
    if (!id) return Fail(NotFound("Not found."), req, res);
  } else {
    const std::optional<std::string_view> type = query.Get("entity_type");
    if (type && *type != "actions") {
      return Fail(
          InvalidChoice("\"" + std::string(*type) + "\" is not a valid choice.", "entity_type"),
          req, res);
    }
    const std::optional<std::string_view> entity = query.Get("entity_id");
    if (!entity || entity->empty()) {
      return Fail(Required("This field is required.", "entity_id"), req, res);
    }
    id = ParseDecimalId(*entity);
    if (!id) return Fail(InvalidInput("A valid integer is required.", "entity_id"), req, res);
  }
  auto range = ParseDateRange(query.Get("date_from"), query.Get("date_to"), NowMs());
  if (!range.ok()) return Fail(range.status(), req, res);
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit);
  const int64_t offset = ParseNonNegativeInt(query.Get("offset"), 0);
  auto page = s.actions->People(access->project.id, *id, *range, static_cast<size_t>(limit),
                                static_cast<size_t>(offset));
  if (!page.ok()) return Fail(page.status(), req, res);
  if (WantsCsv(req)) return ReplyCsv(ActionPeopleCsv(page->people), req, res);
  const PageLinks links = LimitOffsetLinksWithNext(req, limit, offset, page->has_more);
  SetJson(res, http::status::ok, ActionPeopleJson(page->people, links));
}

}  // namespace

void RegisterActionRoutes(Router& router, const Services& services) {
  const Services s = services;
  constexpr std::string_view kBase = "/api/projects/:project_id/actions";
  constexpr std::string_view kOne = "/api/projects/:project_id/actions/:id";
  router.Add(http::verb::get, kBase,
             [s](const RouteRequest& req, HttpResponse& res) { List(s, req, res); });
  router.Add(http::verb::post, kBase,
             [s](const RouteRequest& req, HttpResponse& res) { Create(s, req, res); });
  router.Add(http::verb::get, kOne,
             [s](const RouteRequest& req, HttpResponse& res) { Retrieve(s, req, res); });
  router.Add(http::verb::patch, kOne,
             [s](const RouteRequest& req, HttpResponse& res) { Update(s, req, res, true); });
  router.Add(http::verb::put, kOne,
             [s](const RouteRequest& req, HttpResponse& res) { Update(s, req, res, false); });
  router.Add(http::verb::delete_, kOne,
             [s](const RouteRequest& req, HttpResponse& res) { Destroy(s, req, res); });
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id/count",
             [s](const RouteRequest& req, HttpResponse& res) { Count(s, req, res); });
  router.Add(http::verb::get, "/api/projects/:project_id/actions/people",
             [s](const RouteRequest& req, HttpResponse& res) { People(s, req, res); });
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id/people",
             [s](const RouteRequest& req, HttpResponse& res) { People(s, req, res); });
}

}  // namespace actiond::api
