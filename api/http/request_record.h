// What the router tells about each request it answered, for metrics and the access log
// (api/metrics.h, api/access_log.h; docs/operations.md). Every view lives only during the
// observer's call.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace actiond::api {

struct RequestRecord {
  std::string_view method;      // "GET"
  std::string_view route;       // the matched pattern ("/api/projects/:project_id/actions/:id"),
                                // or kUnmatchedRoute: never the raw path
  unsigned status = 0;          // the HTTP status answered
  size_t body_bytes = 0;        // the response body's size
  double seconds = 0;           // from the router's first look at the request to its answer
  std::string_view project_id;  // the :project_id path parameter when the route has one
};

// The route label of a request that matched no pattern (404), so that a client choosing paths
// cannot create new label values.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

// Called once per request on the connection's I/O thread; must be thread-safe and must not
// throw (the router catches and drops what it throws).
using RequestObserver = std::function<void(const RequestRecord&)>;

}  // namespace actiond::api
