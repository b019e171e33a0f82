// The one table from StatusCode to an HTTP status and PostHog's error body
// `{"type","code","detail","attr"}` (the shape drf-exceptions-hog gives every DRF error).
//
// | StatusCode                        | HTTP | type                 | code                  |
// |-----------------------------------|------|----------------------|-----------------------|
// | kInvalidInput                     | 400  | validation_error     | invalid_input         |
// | kInvalidChoice                    | 400  | validation_error     | invalid_choice        |
// | kRequired                         | 400  | validation_error     | required              |
// | kUnique                           | 400  | validation_error     | unique                |
// | kParseError                       | 400  | invalid_request      | parse_error           |
// | kNotAuthenticated                 | 401  | authentication_error | not_authenticated     |
// | kAuthFailed                       | 401  | authentication_error | authentication_failed |
// | kPermissionDenied                 | 403  | authentication_error | permission_denied     |
// | kNotFound                         | 404  | invalid_request      | not_found             |
// | kMethodNotAllowed                 | 405  | invalid_request      | method_not_allowed    |
// | kTooLarge                         | 413  | invalid_request      | payload_too_large     |
// | kUnavailable (+ Retry-After: 1)   | 503  | server_error         | unavailable           |
// | kInternal, kIoError, kCorruption  | 500  | server_error         | error                 |
//
// DRF maps its ParseError (malformed JSON) to type invalid_request, so kParseError does too.
// `detail` is the status message (a per-code default when it is empty); for 5xx it is always
// "A server error occurred." so that internals never leak to clients (log the status instead).
// `attr` is status.attr(), or null when empty. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "api/http/http_message.h"
#include "engine/status.h"

namespace actiond::api {

struct ErrorShape {
  http::status http_status;
  std::string_view type;
  std::string_view code;
  std::string_view default_detail;
};

// The table row for `code`. kOk has no row and yields the kInternal one.
ErrorShape ErrorShapeFor(StatusCode code) noexcept;

// The JSON error body for a non-OK status.
std::string ErrorBody(const Status& status);

// Fills `res` with the error: HTTP status, Content-Type and body, plus `Retry-After: 1` for 503.
// Other header fields already on `res` (CORS) are kept.
void WriteError(const Status& status, HttpResponse& res);

// An error the status-code table has no row for (431 from the HTTP parser): the body is
// `{"type": type, "code": code, "detail": detail, "attr": null}`.
void WriteCustomError(http::status http_status, std::string_view type, std::string_view code,
                      std::string_view detail, HttpResponse& res);

// 405 with the `Allow` header (e.g. "GET, POST") and DRF's detail `Method "DELETE" not allowed.`.
void WriteMethodNotAllowed(std::string_view method, std::string_view allow, HttpResponse& res);

}  // namespace actiond::api
