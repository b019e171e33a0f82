// Route handlers for endpoints whose whole job is "authorise, do it, answer JSON".
//
// Such an endpoint is a plain function that writes its answer's body, or returns the Status to
// answer with instead; JsonRoute turns it into a RouteHandler that sends the body as JSON with
// the success status, or the error in PostHog's shape (api/error_response.h). Keeping the HTTP
// plumbing here leaves each *_api.cc with only what its endpoints do.
//
// Thread-safety: the handlers hold a reference to `services`, which must outlive the router.
#pragma once

#include <string>

#include "api/router.h"
#include "api/services.h"
#include "engine/status.h"

namespace actiond::api {

// Writes the JSON body of a successful answer into `body`; an error Status is answered instead.
using JsonEndpoint = Status (*)(const Services& services, const RouteRequest& request,
                                std::string& body);
// An endpoint that answers 204 No Content on success.
using EmptyEndpoint = Status (*)(const Services& services, const RouteRequest& request);

RouteHandler JsonRoute(const Services& services, JsonEndpoint endpoint,
                       http::status success = http::status::ok);
RouteHandler NoContentRoute(const Services& services, EmptyEndpoint endpoint);

}  // namespace actiond::api
