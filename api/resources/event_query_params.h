// The query parameters of GET /api/projects/:id/events/ (docs/api.md §4) → a service::EventQuery.
//
//   limit        1 to kMaxEventsLimit (default 100); anything else is a 400 that names the maximum
//   event, distinct_id   exact match
//   person_id    a person's uuid: the events of its distinct ids
//   action_id    an action's id: the events it matched, from the match index
//   properties   a JSON list of property filters, compiled as action steps' are
//   after, before        ISO 8601; events strictly after / before (empty: no bound)
//   before_uuid  with `before`: the cursor `next` links carry ((timestamp, uuid) order)
//   personal_api_key     the key, when sent in the query (docs/api.md §3)
//   format       `json` only (the default; PostHog's `csv` is not offered)
// `offset`, which PostHog deprecates here, is refused with a pointer to `next`.
// Any other parameter, a repeated one with two different values, or a malformed value is a 400
// whose attr names it: a filter is never silently dropped.
//
// Pure; thread-safe. The result owns its strings.
#pragma once

#include <cstdint>

#include "api/http/query_params.h"
#include "engine/status.h"
#include "service/event_service.h"

namespace actiond::api {

inline constexpr int64_t kDefaultEventsLimit = 100;
inline constexpr int64_t kMaxEventsLimit = 10'000;

Result<service::EventQuery> ParseEventQuery(const QueryParams& query);

}  // namespace actiond::api
