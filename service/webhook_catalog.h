// WebhookCatalog: what a live match of each project must send (docs/webhooks.md) — the project's
// `slack_incoming_webhook`, its `post_to_slack` actions with their compiled message formats,
// and its REST-hook subscriptions — as immutable per-project snapshots.
//
// Ingestion takes one snapshot per request (Snapshot(project), under the project's lock, like
// the ActionSet), so that every event of a request sees one consistent set of rules. Writers
// (the action, project and hook services) change the stored record and then publish here while
// still holding the project's lock (service/project_locks.h), so that no event committed after
// a change is judged by the rules from before it.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/message_template.h"
#include "service/domain_types.h"

namespace actiond::service {

using storage::Hook;

// One post_to_slack action: its name (for `[action.name]`) and its compiled message format.
struct ActionMessage {
  std::string name;
  engine::MessageTemplate format;
};

struct ProjectWebhooks {
  std::string slack_url;                       // "" when the project has none
  std::map<ActionId, ActionMessage> messages;  // live actions with post_to_slack: true
  std::multimap<ActionId, Hook> action_hooks;  // hooks on one action, by its id
  std::vector<Hook> every_action_hooks;        // hooks without a resource_id

  // Nothing to send for any match: ingestion skips all webhook work.
  bool empty() const noexcept {
    return (slack_url.empty() || messages.empty()) && action_hooks.empty() &&
           every_action_hooks.empty();
  }
};

class WebhookCatalog {
 public:
  // The project's rules; never null (an empty ProjectWebhooks when it has none).
  std::shared_ptr<const ProjectWebhooks> Snapshot(ProjectId project) const;

  void SetSlackUrl(ProjectId project, std::string url);
  // Publishes a live action's message rule: kept when post_to_slack, dropped otherwise.
  void PutAction(ProjectId project, const ActionRecord& action);
  // A soft-deleted action sends nothing.
  void RemoveAction(ProjectId project, ActionId action);
  void PutHook(const Hook& hook);
  void RemoveHook(ProjectId project, const std::string& hook_id);

 private:
  // Copies the project's rules, lets `change` edit the copy and publishes it.
  template <typename Change>
  void Edit(ProjectId project, Change&& change);

  mutable std::mutex mutex_;
  std::map<ProjectId, std::shared_ptr<const ProjectWebhooks>> projects_;  // guarded by mutex_
  const std::shared_ptr<const ProjectWebhooks> empty_ = std::make_shared<ProjectWebhooks>();
};

}  // namespace actiond::service
