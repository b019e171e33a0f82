// CORS for the capture endpoints, which browsers call from any site (posthog-js).
//
// AddCorsHeaders goes on EVERY capture response (success and error alike): the request's Origin
// is mirrored in Access-Control-Allow-Origin with `Vary: Origin` and
// `Access-Control-Allow-Credentials: true`; without an Origin (not a browser) the origin is `*`
// and no credentials header is sent. WritePreflight answers an OPTIONS preflight: 200, the same
// headers, `Access-Control-Allow-Methods: GET, POST, OPTIONS`, Access-Control-Allow-Headers
// mirroring Access-Control-Request-Headers (or `X-Requested-With, Content-Type` when absent),
// and a max-age of one day. Pure functions of the request; thread-safe.
#pragma once

#include "api/http/http_message.h"

namespace actiond::api {

void AddCorsHeaders(const HttpRequest& req, HttpResponse& res);

void WritePreflight(const HttpRequest& req, HttpResponse& res);

}  // namespace actiond::api
