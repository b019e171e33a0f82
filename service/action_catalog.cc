#include "service/action_catalog.h"

#include <vector>

#include "engine/compiled_action.h"

namespace actiond::service {

ActionCatalog::ActionCatalog()
    : sets_(std::make_shared<const Sets>()), empty_(engine::ActionSet::Build({})) {}

std::shared_ptr<const engine::ActionSet> ActionCatalog::Snapshot(ProjectId project) const {
  std::shared_ptr<const Sets> sets = sets_.load(std::memory_order_acquire);
  auto it = sets->find(project);
  return it == sets->end() ? empty_ : it->second;
}

void ActionCatalog::Put(ProjectId project, std::shared_ptr<const engine::CompiledAction> action) {
  std::lock_guard lock(mutex_);
  Actions& actions = actions_[project];
  actions[action->id()] = std::move(action);
  Publish(project, actions);
}

void ActionCatalog::Remove(ProjectId project, ActionId action) {
  std::lock_guard lock(mutex_);
  Actions& actions = actions_[project];
  if (actions.erase(action) == 0) return;
  Publish(project, actions);
}

void ActionCatalog::Publish(ProjectId project, const Actions& actions) {
  std::vector<std::shared_ptr<const engine::CompiledAction>> live;
  live.reserve(actions.size());
  for (const auto& [id, action] : actions) live.push_back(action);
  auto sets = std::make_shared<Sets>(*sets_.load(std::memory_order_acquire));
  (*sets)[project] = engine::ActionSet::Build(std::move(live));
  sets_.store(std::move(sets), std::memory_order_release);
}

}  // namespace actiond::service
