#include "api/resources/users_resource.h"

#include <optional>
#include <string>
#include <utility>

#include "api/auth.h"
#include "api/rest_route.h"
#include "service/account_service.h"

namespace actiond::api {

namespace {

// Only `@me` exists: the user behind the key.
Status GetUser(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal, services.auth->Authenticate(rr));
  if (rr.Param("id") != "@me") return NotFound("Not found.");
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> user,
                           services.accounts->FindUserJson(principal.user_id));
  if (!user) return NotFound("Not found.");
  reply.body = std::move(*user);
  return Status::Ok();
}

}  // namespace

void RegisterUserRoutes(Router& router, const Services& services) {
  router.Add(http::verb::get, "/api/users/:id", RestRoute(services, GetUser));
}

}  // namespace actiond::api
