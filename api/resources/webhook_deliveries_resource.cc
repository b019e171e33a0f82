#include "api/resources/webhook_deliveries_resource.h"

#include "api/http/json_writer.h"
#include "api/http/page_links.h"
#include "api/http/query_params.h"
#include "api/project_access.h"
#include "api/rest_route.h"
#include "engine/date_time.h"
#include "engine/str_cat.h"
#include "service/webhook_service.h"

namespace actiond::api {
namespace {

constexpr int64_t kDefaultLimit = 100;

void WriteDeliveryJson(const service::Delivery& d, service::DeliveryState state, JsonWriter& w) {
  w.BeginObject()
      .MemberInt("id", d.id)
      .Member("status", state == service::DeliveryState::kFailed ? "failed" : "pending")
      .MemberInt("action_id", d.action_id);
  if (d.hook_id.empty()) {
    w.MemberNull("hook_id");
  } else {
    w.Member("hook_id", d.hook_id);
  }
  w.Member("event_uuid", d.event_uuid).Member("target", d.target).MemberInt("attempts", d.attempts);
  if (d.last_status == 0) {
    w.MemberNull("last_status");
  } else {
    w.MemberInt("last_status", d.last_status);
  }
  if (d.last_error.empty()) {
    w.MemberNull("last_error");
  } else {
    w.Member("last_error", d.last_error);
  }
  if (state == service::DeliveryState::kPending) {
    w.Member("next_attempt_at", engine::FormatIso8601(d.next_attempt_ms));
  } else {
    w.MemberNull("next_attempt_at");
  }
  w.Member("created_at", engine::FormatIso8601(d.created_ms)).EndObject();
}

Result<int64_t> DeliveryId(const RouteRequest& rr) {
  const int64_t id = ParseNonNegativeInt(rr.Param("delivery_id"), -1);
  if (id < 0) return NotFound("Not found.");
  return id;
}

Status ListDeliveries(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"action:read"}));
  ACTIOND_ASSIGN_OR_RETURN(service::WebhookService * webhooks, RequireWebhooks(services));
  service::DeliveryState state = service::DeliveryState::kFailed;
  if (auto status = rr.query_params().Get("status")) {
    if (*status == "pending") {
      state = service::DeliveryState::kPending;
    } else if (*status != "failed") {
      return InvalidChoice(engine::StrCat({"Select a valid choice. ", *status,
                                           " is not one of the available choices: failed, "
                                           "pending."}),
                           "status");
    }
  }
  const int64_t limit = ParsePositiveInt(rr.query_params().Get("limit"), kDefaultLimit, 1000);
  const int64_t offset = ParseNonNegativeInt(rr.query_params().Get("offset"), 0, 1'000'000);
  ACTIOND_ASSIGN_OR_RETURN(
      const service::DeliveryPage page,
      webhooks->ListDeliveries(access.project.id, state, static_cast<size_t>(offset),
                               static_cast<size_t>(limit)));
  const PageLinks links = LimitOffsetLinksWithNext(rr, limit, offset, page.has_more);
  JsonWriter w(reply.body);
  w.BeginObject().Key("next");
  WriteLink(w, links.next);
  w.Key("previous");
  WriteLink(w, links.previous);
  w.MemberInt("dropped_total", webhooks->dispatcher().dropped());
  w.Key("results").BeginArray();
  for (const service::Delivery& d : page.deliveries) WriteDeliveryJson(d, state, w);
  w.EndArray().EndObject();
  return Status::Ok();
}

Status RetryDelivery(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"action:write"}));
  ACTIOND_ASSIGN_OR_RETURN(service::WebhookService * webhooks, RequireWebhooks(services));
  ACTIOND_ASSIGN_OR_RETURN(const int64_t id, DeliveryId(rr));
  ACTIOND_ASSIGN_OR_RETURN(const service::Delivery d,
                           webhooks->RetryDelivery(access.project.id, id));
  JsonWriter w(reply.body);
  WriteDeliveryJson(d, service::DeliveryState::kPending, w);
  return Status::Ok();
}

Status DiscardDelivery(const Services& services, const RouteRequest& rr, RouteReply&) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"action:write"}));
  ACTIOND_ASSIGN_OR_RETURN(service::WebhookService * webhooks, RequireWebhooks(services));
  ACTIOND_ASSIGN_OR_RETURN(const int64_t id, DeliveryId(rr));
  return webhooks->DiscardDelivery(access.project.id, id);
}

}  // namespace

void RegisterWebhookDeliveryRoutes(Router& router, const Services& services) {
  router.Add(http::verb::get, "/api/projects/:project_id/webhook_deliveries",
             RestRoute(services, ListDeliveries));
  router.Add(http::verb::post, "/api/projects/:project_id/webhook_deliveries/:delivery_id/retry",
             RestRoute(services, RetryDelivery));
  router.Add(http::verb::delete_, "/api/projects/:project_id/webhook_deliveries/:delivery_id",
             RestRoute(services, DiscardDelivery, http::status::no_content));
}

}  // namespace actiond::api
