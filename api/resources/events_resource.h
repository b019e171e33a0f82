// GET /api/projects/:project_id/events/ (personal key with event:read or action:read):
// the project's events, newest first, in PostHog's shape
//   {"next": absolute URL or null, "results": [{"id" (the uuid), "uuid", "event",
//    "distinct_id", "properties", "timestamp", "person_id" (null without a person),
//    "elements_chain" ("" when none)}]}
// Query parameters: api/resources/event_query_params.h (every filter PostHog's events API
// takes, each unknown or malformed one a 400 naming it); filtering: service/event_service.h.
// `next` continues strictly after the page's last event: it keeps the query and sets `before`
// to that event's timestamp and `before_uuid` to its uuid (the position is (timestamp, uuid), so
// events sharing a millisecond are neither skipped nor repeated). `elements_chain` is the
// event's chain, or one written from its `$elements` array (engine/elements_chain_writer.h).
// Thread-safety: stateless handler; one field reader per thread.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterEventRoutes(Router& router, const Services& services);

}  // namespace actiond::api
