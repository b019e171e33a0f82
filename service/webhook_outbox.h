// WebhookOutbox: the ingestion side of webhooks (docs/webhooks.md). For an event that matched
// live, it renders what each matched action owes — the chat message of a `post_to_slack` action
// to the project's `slack_incoming_webhook`, and the REST-hook payload to each hook on the
// action — and writes each as a pending Delivery into the request's own WriteBatch, so that a
// delivery exists exactly when its match does. After the commit, Committed() hands the
// deliveries to the dispatcher; when the request fails instead, Abandoned() gives back their
// places in the outbox bound.
//
// Backfills never come here: only live matches send.
//
// Thread-safety: Stage may run on several threads at once (each request its own OutboxStage);
// delivery ids come from the store's "delivery" sequence in blocks, handed out under a mutex,
// so ids grow in commit order within a project (its requests hold the project's lock).
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "engine/capture_payload.h"
#include "engine/status.h"
#include "service/domain_types.h"
#include "service/webhook_catalog.h"
#include "service/webhook_dispatcher.h"

namespace actiond::service {

// The deliveries one request has staged.
struct OutboxStage {
  struct Entry {
    ProjectId project = 0;
    int64_t id = 0;
    std::string target;
  };
  std::vector<Entry> entries;
  int64_t dropped = 0;  // deliveries refused by the outbox bound
};

class WebhookOutbox {
 public:
  // The pointees must outlive the outbox.
  WebhookOutbox(storage::Store* store, WebhookDispatcher* dispatcher, ClockFunction clock);

  // Stages the deliveries that `event` (stored with `person`, null when personless) owes for
  // each action in `matched`, under `rules`. Errors: the store's (reserving ids).
  Status Stage(ProjectId project, const ProjectWebhooks& rules, const engine::CapturedEvent& event,
               const Person* person, std::span<const ActionId> matched, storage::WriteBatch* batch,
               OutboxStage* stage);

  void Committed(const OutboxStage& stage);
  void Abandoned(const OutboxStage& stage);

 private:
  Result<int64_t> NextId();
  Status Add(ProjectId project, ActionId action, const engine::CapturedEvent& event,
             std::string_view hook_id, const std::string& target, std::string body,
             storage::WriteBatch* batch, OutboxStage* stage);

  storage::Store* store_;
  WebhookDispatcher* dispatcher_;
  ClockFunction clock_;
  std::mutex ids_mutex_;
  int64_t next_id_ = 0, end_id_ = 0;  // guarded by ids_mutex_: the reserved block [next, end)
};

}  // namespace actiond::service
