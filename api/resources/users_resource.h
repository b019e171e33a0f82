// GET /api/users/@me/ (any valid personal API key): the key's user,
// {"id","uuid","distinct_id","first_name","email","is_email_verified"} (service/account_service.h).
// Only `@me` is served; other ids are 404. Thread-safety: stateless handler.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterUserRoutes(Router& router, const Services& services);

}  // namespace actiond::api
