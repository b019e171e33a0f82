// Projects (docs/api.md §6), personal API key required:
//   POST /api/projects/ {"name"}  → 201 {"id","name","api_token","created_at"} with a fresh
//                                   `phc_…` token (scope project:write; name required, 1..200
//                                   characters, else 400 with attr `name`)
//   GET  /api/projects/           → {"count","next","previous","results"}: the projects the key
//                                   may see, ascending id; `limit` (default 100) / `offset`
//   GET  /api/projects/:id/       → the project (`@current` is project 1); 404 when absent
//   PATCH /api/projects/:id/      {"name", "slack_incoming_webhook"} → the project (scope
//                                   project:write; the URL must be http(s) with a host, else 400
//                                   with attr `slack_incoming_webhook`; "" or null clears it)
// Reads need project:read (action:read suffices too). In cluster mode POST and PATCH go through
// the meta log (service/cluster_account_writes.h; 503 with Retry-After when it cannot take
// the change in time). Thread-safety: stateless handlers.
#pragma once

#include "api/http/json_writer.h"
#include "api/http/router.h"
#include "api/services.h"
#include "service/domain_types.h"

namespace actiond::api {

void RegisterProjectRoutes(Router& router, const Services& services);

void WriteProjectJson(const service::Project& project, JsonWriter& writer);

}  // namespace actiond::api
