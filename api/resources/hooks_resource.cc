#include "api/resources/hooks_resource.h"

#include "api/http/json_writer.h"
#include "api/http/page_links.h"
#include "api/http/query_params.h"
#include "api/http/request_body.h"
#include "api/project_access.h"
#include "api/rest_route.h"
#include "service/webhook_service.h"

namespace actiond::api {
namespace {

void WriteHookJson(const service::Hook& hook, JsonWriter& w) {
  w.BeginObject().Member("id", hook.id).Member("event", hook.event).Member("target", hook.target);
  if (hook.resource_id == service::Hook::kEveryAction) {
    w.MemberNull("resource_id");
  } else {
    w.MemberInt("resource_id", hook.resource_id);
  }
  w.MemberInt("team", hook.project).Member("created_at", hook.created_at).EndObject();
}

// DRF's IntegerField: a JSON integer, or a string of one ("66", as form posts send it).
Result<std::optional<int64_t>> ResourceId(const engine::JsonValue& body) {
  const engine::JsonValue* value = body.Find("resource_id");
  if (value == nullptr || value->is_null()) return std::optional<int64_t>();
  if (value->is_number()) {
    if (auto exact = value->int_value(); exact && *exact >= 0) return std::optional(*exact);
  } else if (value->is_string()) {
    const int64_t parsed = ParseNonNegativeInt(value->string(), -1);
    if (parsed >= 0) return std::optional(parsed);
  }
  return InvalidInput("A valid integer is required.", "resource_id");
}

Result<std::optional<std::string>> StringField(const engine::JsonValue& body,
                                               std::string_view key) {
  const engine::JsonValue* value = body.Find(key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return InvalidInput("Not a valid string.", key);
  return std::optional(value->string());
}

Status CreateHook(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"action:write"}));
  ACTIOND_ASSIGN_OR_RETURN(service::WebhookService * webhooks, RequireWebhooks(services));
  ACTIOND_ASSIGN_OR_RETURN(const engine::JsonValue body, ParseJsonObjectBody(rr.body()));
  service::HookRequest request;
  ACTIOND_ASSIGN_OR_RETURN(request.target, StringField(body, "target"));
  ACTIOND_ASSIGN_OR_RETURN(request.event, StringField(body, "event"));
  ACTIOND_ASSIGN_OR_RETURN(request.resource_id, ResourceId(body));
  ACTIOND_ASSIGN_OR_RETURN(
      const service::Hook hook,
      webhooks->CreateHook(access.project.id, access.principal.user_id, request));
  JsonWriter w(reply.body);
  WriteHookJson(hook, w);
  return Status::Ok();
}

Status ListHooks(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"action:read"}));
  ACTIOND_ASSIGN_OR_RETURN(service::WebhookService * webhooks, RequireWebhooks(services));
  std::optional<int64_t> resource_id;
  if (auto text = rr.query_params().Get("resource_id")) {
    const int64_t parsed = ParseNonNegativeInt(*text, -1);
    if (parsed < 0) return InvalidInput("A valid integer is required.", "resource_id");
    resource_id = parsed;
  }
  ACTIOND_ASSIGN_OR_RETURN(const std::vector<service::Hook> hooks,
                           webhooks->ListHooks(access.project.id, resource_id));
  const int64_t count = static_cast<int64_t>(hooks.size());
  const int64_t limit = ParsePositiveInt(rr.query_params().Get("limit"), 100);
  const int64_t offset = ParseNonNegativeInt(rr.query_params().Get("offset"), 0);
  JsonWriter w(reply.body);
  BeginLimitOffsetPage(w, count, LimitOffsetLinks(rr, limit, offset, count));
  for (int64_t i = offset; i < count && i - offset < limit; ++i) {
    WriteHookJson(hooks[static_cast<size_t>(i)], w);
  }
  w.EndArray().EndObject();
  return Status::Ok();
}

Status GetHook(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"action:read"}));
  ACTIOND_ASSIGN_OR_RETURN(service::WebhookService * webhooks, RequireWebhooks(services));
  ACTIOND_ASSIGN_OR_RETURN(const service::Hook hook,
                           webhooks->GetHook(access.project.id, std::string(rr.Param("hook_id"))));
  JsonWriter w(reply.body);
  WriteHookJson(hook, w);
  return Status::Ok();
}

Status DeleteHook(const Services& services, const RouteRequest& rr, RouteReply&) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"action:write"}));
  ACTIOND_ASSIGN_OR_RETURN(service::WebhookService * webhooks, RequireWebhooks(services));
  return webhooks->DeleteHook(access.project.id, std::string(rr.Param("hook_id")));
}

}  // namespace

void RegisterHookRoutes(Router& router, const Services& services) {
  router.Add(http::verb::post, "/api/projects/:project_id/hooks",
             RestRoute(services, CreateHook, http::status::created));
  router.Add(http::verb::get, "/api/projects/:project_id/hooks", RestRoute(services, ListHooks));
  router.Add(http::verb::get, "/api/projects/:project_id/hooks/:hook_id",
             RestRoute(services, GetHook));
  router.Add(http::verb::delete_, "/api/projects/:project_id/hooks/:hook_id",
             RestRoute(services, DeleteHook, http::status::no_content));
}

}  // namespace actiond::api
