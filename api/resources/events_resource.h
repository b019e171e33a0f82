// GET /api/projects/:project_id/events/ (personal key with event:read or action:read):
// the project's events, newest first, in PostHog's shape
//   {"next": absolute URL or null, "results": [{"id" (the uuid), "uuid", "event",
//    "distinct_id", "properties", "timestamp", "person_id" (null without a person),
//    "elements_chain" ("" when none)}]}
// Query: `limit` (default 100, at most 10,000; not a positive integer → 100), `event` and
// `distinct_id` (exact match), `after` / `before` (ISO 8601; events strictly after / before;
// anything else → 400 with attr after / before). `next` continues strictly after the page's
// last event: it keeps the query and sets `before` to that event's timestamp and `before_uuid`
// to its uuid (the position is (timestamp, uuid), so events sharing a millisecond are neither
// skipped nor repeated).
// Filters are applied while scanning the project's events newest first.
// Thread-safety: stateless handler; one field reader per thread.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterEventRoutes(Router& router, const Services& services);

}  // namespace actiond::api
