// Persons of a project (personal key with person:read or action:read), in PostHog's shape
// (api/resources/person_json.h):
//   GET /api/projects/:project_id/persons/        → {"count","next","previous","results"},
//       newest person first; `limit` (default 100, at most 1,000) / `offset` as DRF's
//       LimitOffsetPagination; `distinct_id` → just the person with that distinct id (or none)
//   GET /api/projects/:project_id/persons/:uuid/  → the person; 404 when absent
// Thread-safety: stateless handlers.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterPersonRoutes(Router& router, const Services& services);

}  // namespace actiond::api
