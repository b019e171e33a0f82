// REST hooks (PostHog's hooks API, as its Zapier integration uses it; docs/webhooks.md §4):
//   POST   /api/projects/:id/hooks/  {"target", "event": "action_performed", "resource_id"}
//                                    → 201 {"id","event","target","resource_id","team",
//                                    "created_at"} (scope action:write)
//   GET    /api/projects/:id/hooks/  `?resource_id=` → {"count","next","previous","results"}
//   GET    /api/projects/:id/hooks/:hook_id/   → the hook (scope action:read)
//   DELETE /api/projects/:id/hooks/:hook_id/   → 204 (scope action:write)
// Thread-safety: stateless handlers.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterHookRoutes(Router& router, const Services& services);

}  // namespace actiond::api
