#include "service/webhook_catalog.h"

#include <algorithm>
#include <utility>

namespace actiond::service {

std::shared_ptr<const ProjectWebhooks> WebhookCatalog::Snapshot(ProjectId project) const {
  std::lock_guard lock(mutex_);
  auto it = projects_.find(project);
  return it == projects_.end() ? empty_ : it->second;
}

template <typename Change>
void WebhookCatalog::Edit(ProjectId project, Change&& change) {
  std::lock_guard lock(mutex_);
  auto it = projects_.find(project);
  auto copy =
      std::make_shared<ProjectWebhooks>(it == projects_.end() ? ProjectWebhooks() : *it->second);
  change(*copy);
  projects_[project] = std::move(copy);
}

void WebhookCatalog::SetSlackUrl(ProjectId project, std::string url) {
  Edit(project, [&](ProjectWebhooks& rules) { rules.slack_url = std::move(url); });
}

void WebhookCatalog::PutAction(ProjectId project, const ActionRecord& action) {
  Edit(project, [&](ProjectWebhooks& rules) {
    if (action.post_to_slack && !action.deleted) {
      rules.messages.insert_or_assign(
          action.id, ActionMessage{action.name,
                                   engine::MessageTemplate::Compile(action.slack_message_format)});
    } else {
      rules.messages.erase(action.id);
    }
  });
}

void WebhookCatalog::RemoveAction(ProjectId project, ActionId action) {
  Edit(project, [&](ProjectWebhooks& rules) { rules.messages.erase(action); });
}

void WebhookCatalog::PutHook(const Hook& hook) {
  RemoveHook(hook.project, hook.id);
  Edit(hook.project, [&](ProjectWebhooks& rules) {
    if (hook.resource_id == Hook::kEveryAction) {
      rules.every_action_hooks.push_back(hook);
    } else {
      rules.action_hooks.emplace(hook.resource_id, hook);
    }
  });
}

void WebhookCatalog::RemoveHook(ProjectId project, const std::string& hook_id) {
  Edit(project, [&](ProjectWebhooks& rules) {
    std::erase_if(rules.every_action_hooks, [&](const Hook& h) { return h.id == hook_id; });
    std::erase_if(rules.action_hooks,
                  [&](const auto& entry) { return entry.second.id == hook_id; });
  });
}

}  // namespace actiond::service
