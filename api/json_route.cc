#include "api/json_route.h"

#include <utility>

#include "api/error_response.h"

namespace actiond::api {

RouteHandler JsonRoute(const Services& services, JsonEndpoint endpoint, http::status success) {
  return [&services, endpoint, success](const RouteRequest& request, HttpResponse& res) {
    std::string body;
    if (const Status status = endpoint(services, request, body); !status.ok()) {
      return WriteError(status, res);
    }
    SetJson(res, success, std::move(body));
  };
}

RouteHandler NoContentRoute(const Services& services, EmptyEndpoint endpoint) {
  return [&services, endpoint](const RouteRequest& request, HttpResponse& res) {
    if (const Status status = endpoint(services, request); !status.ok()) {
      return WriteError(status, res);
    }
    res.result(http::status::no_content);
    res.body().clear();
  };
}

}  // namespace actiond::api
