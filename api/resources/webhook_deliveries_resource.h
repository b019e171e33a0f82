// The webhook outbox as the API shows it (docs/webhooks.md §6):
//   GET    /api/projects/:id/webhook_deliveries/?status=failed|pending  (default failed)
//          → {"count","next","previous","results": [delivery…], "dropped_total"}, ascending id,
//          `limit` (default 100) / `offset` (scope action:read)
//   POST   /api/projects/:id/webhook_deliveries/:delivery_id/retry/ → the delivery, pending
//          again with its attempts reset (scope action:write); 404 unless it is failed
//   DELETE /api/projects/:id/webhook_deliveries/:delivery_id/ → 204: discards a failed one
// A delivery: {"id","status","action_id","hook_id","event_uuid","target","attempts",
// "last_status","last_error","next_attempt_at","created_at"}.
// Thread-safety: stateless handlers.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterWebhookDeliveryRoutes(Router& router, const Services& services);

}  // namespace actiond::api
