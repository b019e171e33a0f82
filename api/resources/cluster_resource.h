// Cluster mode in the API (docs/cluster.md): the settings the flags make, GET /_cluster (this
// node's partitions and how far it has applied each), and the refusal of the writes the
// cluster does not carry yet.
#pragma once

#include <optional>
#include <string_view>

#include "api/app_config.h"
#include "api/http/router.h"
#include "api/services.h"
#include "engine/status.h"
#include "service/cluster_settings.h"

namespace actiond::api {

// nullopt without --kafka. kInvalidInput for a --kafka-config that is not KEY=VALUE.
Result<std::optional<service::ClusterSettings>> ClusterSettingsFrom(const AppConfig& config);

// GET /_cluster, unauthenticated like /_readyz (it holds offsets and names, no secret):
//   {"mode":"embedded"}, or {"mode":"cluster","node_id","advertise","topic","partitions",
//   "caught_up", "assigned":[{"partition","applied","end","caught_up_at"}…],
//   "members":[{"node_id","url","partitions","at"}…]}.
void RegisterClusterRoutes(Router& router, const Services& services);

}  // namespace actiond::api
