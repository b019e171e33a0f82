// The one adapter every REST route (everything under /api/ and /_health) is registered through.
//
// An endpoint is a plain function: it authorises, calls a service and fills a RouteReply, or
// returns the Status to answer with instead. RestRoute turns it into a RouteHandler that sends
// the reply with the route's success status, or the error in PostHog's shape
// (api/error_response.h: the one table from Status to HTTP), logging 5xx causes. Keeping the
// HTTP plumbing here leaves each resource file with only what its endpoints do.
//
// Capture and flags (api/resources/capture_resource.h, flags_resource.h) speak PostHog's
// ingestion protocol instead (CORS on every answer, the capture error shapes) and register
// their own handlers.
//
// Thread-safety: the handlers hold a reference to `services`, which must outlive the router.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/router.h"
#include "api/services.h"
#include "engine/status.h"

namespace actiond::api {

inline constexpr std::string_view kCsvContentType = "text/csv; charset=utf-8";

// What a successful endpoint answers.
struct RouteReply {
  std::string body;               // JSON unless content_type says otherwise
  std::string_view content_type;  // empty: application/json
  // Header fields sent with the answer, also when the endpoint fails (`Allow` on a 405).
  std::vector<std::pair<http::field, std::string>> headers;
};

// Fills `reply` on success; an error Status is answered instead.
using RestEndpoint = Status (*)(const Services& services, const RouteRequest& request,
                                RouteReply& reply);

// `success` is the answer's status; with http::status::no_content the body is left empty.
RouteHandler RestRoute(const Services& services, RestEndpoint endpoint,
                       http::status success = http::status::ok);

}  // namespace actiond::api
