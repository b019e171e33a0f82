#include "api/rest_route.h"

#include <utility>

#include "api/cluster_routing.h"
#include "api/error_response.h"
#include "api/log.h"

namespace actiond::api {

RouteHandler RestRoute(const Services& services, RestEndpoint endpoint, http::status success) {
  return [&services, endpoint, success](const RouteRequest& request, HttpResponse& res) {
    // Cluster mode: a project's requests are answered where its partition is applied.
    if (RouteToHolder(services, request, res)) return;
    RouteReply reply;
    const Status status = endpoint(services, request, reply);
    for (auto& [field, value] : reply.headers) res.set(field, std::move(value));
    if (!status.ok()) {
      // A store that cannot write logged its one line when it stopped (docs/operations.md
      // §Disk full): its 503s are not logged one by one.
      if (static_cast<int>(ErrorShapeFor(status).http_status) >= 500 &&
          status.reason() != StatusReason::kStoreUnwritable) {
        ACTIOND_LOG(ERROR) << request.method() << " " << request.path() << ": "
                           << status.ToString();
      }
      return WriteError(status, res);
    }
    if (success == http::status::no_content) {
      res.result(success);
      res.body().clear();
      return;
    }
    if (!reply.content_type.empty()) {
      res.result(success);
      res.set(http::field::content_type, reply.content_type);
      res.body() = std::move(reply.body);
      return;
    }
    SetJson(res, success, std::move(reply.body));
  };
}

}  // namespace actiond::api
