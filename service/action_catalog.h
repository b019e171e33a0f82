// ActionCatalog: the compiled, live actions of every project, as immutable snapshots.
//
// Ingestion takes one snapshot per request (Snapshot(project): an atomic load, no lock) and
// matches every event of the request against it. An action change builds a new ActionSet for
// that project and publishes it with an atomic store; requests already matching keep the
// snapshot they took. Writers (Put/Remove/Load) serialise among themselves on a mutex; the
// caller holds the project's ProjectLocks stripe around a change so that no event of the
// project is matched against the old set once the change has been committed.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "engine/action_set.h"
#include "service/domain_types.h"

namespace actiond::service {

class ActionCatalog {
 public:
  ActionCatalog();

  // The project's live set; an empty set (never null) when it has no live action.
  std::shared_ptr<const engine::ActionSet> Snapshot(ProjectId project) const;

  // Adds or replaces one action of the project and publishes the rebuilt set.
  void Put(ProjectId project, std::shared_ptr<const engine::CompiledAction> action);
  // Removes the action (soft delete); a no-op when it is not live.
  void Remove(ProjectId project, ActionId action);

 private:
  using Actions = std::map<ActionId, std::shared_ptr<const engine::CompiledAction>>;
  using Sets = std::map<ProjectId, std::shared_ptr<const engine::ActionSet>>;

  void Publish(ProjectId project, const Actions& actions);  // requires mutex_

  std::mutex mutex_;                      // serialises writers
  std::map<ProjectId, Actions> actions_;  // guarded by mutex_
  // Copy-on-write map of every project's set: readers load it atomically, writers replace it.
  std::atomic<std::shared_ptr<const Sets>> sets_;
  std::shared_ptr<const engine::ActionSet> empty_;
};

}  // namespace actiond::service
