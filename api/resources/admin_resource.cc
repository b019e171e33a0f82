#include "api/resources/admin_resource.h"

#include <algorithm>

#include "api/http/json_writer.h"
#include "api/http/request_body.h"
#include "api/project_access.h"
#include "api/rest_route.h"
#include "service/account_service.h"
#include "service/backup_service.h"

namespace actiond::api {
namespace {

Status RequireAdmin(const Services& services, const RouteRequest& rr) {
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal, AuthorizeScopes(services, rr, {"*"}));
  const bool everything =
      std::find(principal.scopes.begin(), principal.scopes.end(), "*") != principal.scopes.end();
  if (principal.user_id != service::kAdminUserId || !everything ||
      !principal.scoped_teams.empty()) {
    return Status(StatusCode::kPermissionDenied,
                  "Only the admin's personal API key with scope * on every project may do this.");
  }
  return Status::Ok();
}

Status Backup(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_RETURN_IF_ERROR(RequireAdmin(services, rr));
  ACTIOND_ASSIGN_OR_RETURN(const engine::JsonValue body, ParseJsonObjectBody(rr.body()));
  const engine::JsonValue* path = body.Find("path");
  if (path == nullptr || path->is_null()) return Required("This field is required.", "path");
  if (!path->is_string()) return InvalidInput("Not a valid string.", "path");
  ACTIOND_ASSIGN_OR_RETURN(const service::BackupResult result,
                           services.backup->Backup(path->string()));
  JsonWriter w(reply.body);
  w.BeginObject()
      .Member("path", result.path)
      .MemberInt("bytes", result.bytes)
      .Member("created_at", result.created_at)
      .EndObject();
  return Status::Ok();
}

}  // namespace

void RegisterAdminRoutes(Router& router, const Services& services) {
  router.Add(http::verb::post, "/api/admin/backup", RestRoute(services, Backup));
}

}  // namespace actiond::api
