// WebhookService: what the webhook endpoints do (docs/webhooks.md, docs/api.md) — REST-hook
// subscriptions (PostHog's hooks API, as its Zapier integration uses it) and the outbox's
// deliveries (the pending ones, and the dead-letter list with retry and discard) — and, at
// start-up, publishing every project's webhook URL and hooks to the WebhookCatalog.
//
// Hooks: `event` must be `action_performed` (actiond has no other hook event);
// `target` an http(s) URL with a host ("Enter a valid URL.", attr `target`); `resource_id` the
// id of a live action of the project, or null for every action. A hook is stored and published
// under the project's lock, so every event committed after the answer sees it.
//
// Errors: kNotFound for an unknown project, action, hook or delivery; kInvalidInput with the
// attr of the bad field; the store's.
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/domain_types.h"
#include "service/project_locks.h"
#include "service/webhook_catalog.h"
#include "service/webhook_dispatcher.h"

namespace actiond::service {

struct HookRequest {
  std::optional<std::string> event;
  std::optional<std::string> target;
  std::optional<int64_t> resource_id;  // nullopt: every action
};

// One page of a project's deliveries in one state.
struct DeliveryPage {
  std::vector<Delivery> deliveries;  // ascending id
  bool has_more = false;
};

class WebhookService {
 public:
  WebhookService(storage::Store* store, ProjectLocks* locks, WebhookCatalog* catalog,
                 WebhookDispatcher* dispatcher, ClockFunction clock);

  // Start-up: every project's slack_incoming_webhook and hooks into the catalog.
  Status LoadAll();

  Result<Hook> CreateHook(ProjectId project, int64_t user_id, const HookRequest& request);
  // Ascending id; only those on `resource_id` when given.
  Result<std::vector<Hook>> ListHooks(ProjectId project, std::optional<int64_t> resource_id) const;
  Result<Hook> GetHook(ProjectId project, const std::string& hook_id) const;
  Status DeleteHook(ProjectId project, const std::string& hook_id);

  Result<DeliveryPage> ListDeliveries(ProjectId project, DeliveryState state, size_t offset,
                                      size_t limit) const;
  Result<Delivery> RetryDelivery(ProjectId project, int64_t delivery_id);
  Status DiscardDelivery(ProjectId project, int64_t delivery_id);

  const WebhookDispatcher& dispatcher() const noexcept { return *dispatcher_; }

 private:
  storage::Store* store_;
  ProjectLocks* locks_;
  WebhookCatalog* catalog_;
  WebhookDispatcher* dispatcher_;
  ClockFunction clock_;
};

// The rule for every webhook URL a user configures (a project's slack_incoming_webhook, a
// hook's target): http or https with a host (engine/http_url.h). kInvalidInput "Enter a valid
// URL." with `attr` otherwise, as PostHog's URL fields answer.
Status ValidateWebhookUrl(std::string_view url, std::string_view attr);

}  // namespace actiond::service
