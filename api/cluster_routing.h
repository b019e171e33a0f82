// Cluster routing for the REST API (docs/cluster.md §Routing): a request for a project is
// answered by the node that holds the project's partition. RestRoute asks here first; when the
// partition is held elsewhere the request is forwarded there (one hop, api/http/forward_client.h)
// and its answer relayed; while the partition has no caught-up holder the answer is 503 with
// Retry-After. Requests without a project (/api/projects/, keys, users) and every request in
// embedded mode are answered where they arrive.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

// True when the request was answered here (forwarded, or refused with 503): the caller stops.
// False: answer it on this node.
bool RouteToHolder(const Services& services, const RouteRequest& request, HttpResponse& res);

}  // namespace actiond::api
