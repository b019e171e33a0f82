// Action writes in cluster mode (docs/cluster.md §Actions). A create, PATCH or PUT reaches the
// node that holds the project's partition (api/cluster_routing.h forwards it there), which
// validates it exactly as embedded mode does, chooses the action's id, its steps' ids and its
// creation time, and writes the change to the partition as one record
// (engine/action_log_record.h). Every node applying the partition — this one, a replica, the
// next holder after a rebalance, a node replaying the log from its start — applies the change
// at the same place among the project's events, so all reach the same actions and counts.
//
// The call returns the change as THIS node applied it — the action, or the refusal the stored
// state gave (a name another action took meanwhile: 400; an action deleted meanwhile: 404) —
// so that the answer, and the next request, see it as in embedded mode. It blocks the calling
// thread (an I/O thread) for at most message.timeout.ms for the log to take the record, then
// at most 10 s for this node to apply it: action writes are rare, and a bounded wait is simpler
// than an asynchronous handler. kUnavailable (503, Retry-After) when the log does not take the
// record, or when it is not applied here in time (the partition moved, or this node is far
// behind) — the change is then in the log and takes effect all the same.
//
// Thread-safety: may be called from any thread at once.
#pragma once

#include <optional>

#include "engine/action_definition.h"
#include "engine/status.h"
#include "service/domain_types.h"

namespace actiond::service {

class ActionService;
class ClusterNode;

Result<ActionRecord> CreateActionInCluster(ClusterNode& node, ActionService& actions,
                                           const Project& project,
                                           const engine::ActionRequest& request,
                                           const std::optional<ActionCreator>& creator);

// PATCH when `partial`, PUT otherwise.
Result<ActionRecord> UpdateActionInCluster(ClusterNode& node, ActionService& actions,
                                           const Project& project, ActionId id,
                                           const engine::ActionRequest& request, bool partial);

}  // namespace actiond::service
