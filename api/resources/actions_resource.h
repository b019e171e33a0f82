// The Actions REST API (docs/api.md §9; PostHog's seven endpoints), under
// /api/projects/:project_id/actions/ (`@current` = project 1; trailing slash optional):
//
//   GET    /                 list (limit/offset, default 100; deleted left out; format=csv)
//   POST   /                 create → 201
//   GET    /:id/             retrieve (also soft-deleted)
//   PATCH  /:id/, PUT /:id/  update → 200; {"deleted": true} is the soft delete
//   DELETE /:id/             405: hard delete is not allowed
//   GET    /:id/count/       {"count": N} over date_from / date_to (api/resources/date_range.h)
//   GET    /people/?entity_id=ID&entity_type=actions, GET /:id/people/
//                            the persons who performed the action (limit/offset; format=csv)
//   POST   /:id/explain/     why the action does or does not match one event (docs/api.md
//                            §Explain): {"uuid"} or {"event", "person_properties"}
//   POST   /explain/         the same for unsaved `steps`, validated as a create's
//
// Every route checks the personal API key first (api/project_access.h): `action:read` for GET
// and explain (it changes nothing), `action:write` for the rest. Bodies are JSON, or form-encoded
// as PostHog's curl examples send them. The logic is service::ActionService's; this file only moves
// bytes.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

// Registers every route above. `services` (auth, accounts, actions) must outlive the router.
void RegisterActionRoutes(Router& router, const Services& services);

}  // namespace actiond::api
