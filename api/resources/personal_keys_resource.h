// Personal API keys (docs/api.md §7), managed with a personal API key holding
// personal_api_key:write (or "*") for changes and personal_api_key:read for listings:
//   POST   /api/personal_api_keys/ {"label", "scopes", "scoped_teams"}
//          → 201 the key with its `value`, shown this once (only its SHA-256 is stored).
//            label: required string, 1..40 characters; scopes: a non-empty list of "*" or
//            "<object>:read" / "<object>:write"; scoped_teams: project ids (default [] = every
//            project), each an existing project — a key scoped to some projects can only make
//            keys scoped within them. Errors 400 with attr label / scopes / scoped_teams.
//   GET    /api/personal_api_keys/       → [key…] of the caller's user, ascending id, no values
//   GET    /api/personal_api_keys/:id/   → the key, no value; 404 when not the caller's
//   DELETE /api/personal_api_keys/:id/   → 204; the key stops working at once
// A key: {"id","label","mask_value","created_at","last_used_at" (null or ISO-8601, noted at most
// once a minute per key),"user_id","scopes",
// "scoped_teams","scoped_organizations":[],"last_rolled_at":null} (+ "value" on create).
// Thread-safety: stateless handlers.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterPersonalKeyRoutes(Router& router, const Services& services);

}  // namespace actiond::api
