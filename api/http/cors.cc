#include "api/http/cors.h"

namespace actiond::api {

void AddCorsHeaders(const HttpRequest& req, HttpResponse& res) {
  const std::string_view origin = req[http::field::origin];
  if (origin.empty()) {
    res.set(http::field::access_control_allow_origin, "*");
  } else {
    res.set(http::field::access_control_allow_origin, origin);
    res.set(http::field::access_control_allow_credentials, "true");
  }
  // Even for `*`: a cache must not hand a response for one origin to another.
  res.set(http::field::vary, "Origin");
}

void WritePreflight(const HttpRequest& req, HttpResponse& res) {
  res.result(http::status::ok);
  AddCorsHeaders(req, res);
  res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
  const std::string_view requested = req[http::field::access_control_request_headers];
  res.set(http::field::access_control_allow_headers,
          requested.empty() ? std::string_view("X-Requested-With, Content-Type") : requested);
  res.set(http::field::access_control_max_age, "86400");
  res.body().clear();
}

}  // namespace actiond::api
