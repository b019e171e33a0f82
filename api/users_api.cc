#include "api/users_api.h"

#include "api/account_records.h"
#include "api/auth.h"
#include "api/error_response.h"

namespace actiond::api {

void RegisterUserRoutes(Router& router, const Services& services) {
  router.Add(http::verb::get, "/api/users/:id",
             [&services](const RouteRequest& rr, HttpResponse& res) {
               Result<Principal> principal = services.auth->Authenticate(rr);
               if (!principal.ok()) return WriteError(principal.status(), res);
               if (rr.Param("id") != "@me") return WriteError(NotFound("Not found."), res);
               Result<std::optional<std::string>> user =
                   LoadUserJson(*services.store, principal->user_id);
               if (!user.ok()) return WriteError(user.status(), res);
               if (!user->has_value()) return WriteError(NotFound("Not found."), res);
               SetJson(res, http::status::ok, std::move(**user));
             });
}

}  // namespace actiond::api
