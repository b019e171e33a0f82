// Project and personal key writes in cluster mode (docs/cluster.md §Projects, §Personal keys):
// instead of changing this node's store, a change becomes one record of the meta topic, which
// every node applies (service/cluster_meta_applier.h). The call returns once THIS node has applied
// the record, so that the answer — and the next request to this node — already shows the change,
// exactly as in embedded mode.
//
// The wait blocks the calling thread (an I/O thread of the server) for at most
// message.timeout.ms for the log to take the record, then at most 10 s for this node to apply
// it. Project writes are rare, so a bounded blocking wait is simpler than an asynchronous
// handler and costs little.
//
// Errors: the name is the caller's to validate; the webhook URL is checked here, before the
// record is produced (kInvalidInput, attr `slack_incoming_webhook`), so that a change every node
// would refuse never reaches the log. kUnavailable (503, Retry-After) when the log does not
// take the record, or when this node has not applied it within the wait — the change is then in
// the log and takes effect on every node all the same.
//
// Thread-safety: may be called from any thread at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/status.h"
#include "service/account_service.h"
#include "service/domain_types.h"

namespace actiond::service {

class ClusterNode;

// A new project named `name` with a fresh random token, as this node applied it.
Result<Project> CreateProjectInCluster(ClusterNode& node, const AccountService& accounts,
                                       std::string name);

// `project` with `update` applied, as this node applied it. An update that changes nothing
// answers the project as it is, without a record.
Result<Project> UpdateProjectInCluster(ClusterNode& node, const AccountService& accounts,
                                       const Project& project, const ProjectUpdate& update);

// A new personal key, as this node applied it, with its value (known to this node alone: the
// log carries only its hash). Scopes and teams are the caller's to validate.
Result<CreatedPersonalKey> CreatePersonalKeyInCluster(
    ClusterNode& node, const AccountService& accounts, std::string label,
    std::vector<std::string> scopes, std::vector<int64_t> scoped_teams, int64_t user_id);

// Revokes `key` on every node; returns once this node has applied the revocation.
Status RevokePersonalKeyInCluster(ClusterNode& node, const ApiKey& key);

}  // namespace actiond::service
