// The one table from a Status to an HTTP status and PostHog's error body
// `{"type","code","detail","attr"}`: the REST API's (the shape drf-exceptions-hog gives every
// DRF error) and, where it differs, the capture endpoints' (PostHog's capture service).
//
// REST API:
// | StatusCode (StatusReason)         | HTTP | type                 | code                  |
// |-----------------------------------|------|----------------------|-----------------------|
// | kInvalidInput                     | 400  | validation_error     | invalid_input         |
// | kInvalidInput (kInvalidChoice)    | 400  | validation_error     | invalid_choice        |
// | kInvalidInput (kRequired)         | 400  | validation_error     | required              |
// | kAlreadyExists                    | 400  | validation_error     | unique                |
// | kParseError                       | 400  | invalid_request      | parse_error           |
// | kUnauthenticated (kNoCredentials) | 401  | authentication_error | not_authenticated     |
// | kUnauthenticated                  | 401  | authentication_error | authentication_failed |
// | kPermissionDenied                 | 403  | authentication_error | permission_denied     |
// | kNotFound                         | 404  | invalid_request      | not_found             |
// | kNotSupported                     | 405  | invalid_request      | method_not_allowed    |
// | kTooLarge                         | 413  | invalid_request      | payload_too_large     |
// | kUnavailable (+ Retry-After: 1)   | 503  | server_error         | unavailable           |
// | kUnavailable (kStoreUnwritable)   | 503  | server_error         | store_unwritable      |
// |   (+ Retry-After: 5, always the default detail: the cause names paths on the server)     |
// | kInternal, kIoError, kCorruption  | 500  | server_error         | error                 |
//
// Capture endpoints (everything else as the REST API; attr is always null in these rows):
// clang-format off
// | kParseError                         | 400 | validation_error     | invalid_payload (detail "Malformed request data: " + message) |
// | kInvalidInput, kAlreadyExists       | 400 | validation_error     | invalid_payload                                              |
// | kUnauthenticated (kNoCredentials)   | 401 | authentication_error | missing_api_key (always the default detail)                  |
// | kUnauthenticated, kPermissionDenied | 401 | authentication_error | invalid_api_key                                              |
// clang-format on
//
// DRF maps its ParseError (malformed JSON) to type invalid_request, so kParseError does too.
// `detail` is the status message (the row's default when it is empty); for a 500 it is always
// "A server error occurred." so that internals never leak to clients (log the status instead);
// a 503 says what is unavailable.
// `attr` is status.attr(), or null when empty. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "api/http/http_message.h"
#include "engine/status.h"

namespace actiond::api {

// Who answers: PostHog's REST API, or its capture endpoints (/batch, /e, /i/v0/e, …).
enum class ErrorSurface : unsigned char { kRest, kCapture };

struct ErrorShape {
  http::status http_status;
  std::string_view type;
  std::string_view code;
  std::string_view default_detail;
  std::string_view detail_prefix = {};  // put before the status message
  bool always_default_detail = false;   // never the status message (5xx, missing_api_key)
  bool shows_attr = true;               // false: attr is null whatever the status says
  std::string_view retry_after = {};    // the Retry-After value (seconds), for 503s
};

// The table row for `status`. OK has no row and yields the kInternal one.
ErrorShape ErrorShapeFor(const Status& status, ErrorSurface surface = ErrorSurface::kRest) noexcept;

// The JSON error body for a non-OK status.
std::string ErrorBody(const Status& status, ErrorSurface surface = ErrorSurface::kRest);

// Fills `res` with the error: HTTP status, Content-Type and body, plus the row's Retry-After for
// a 503.
// Other header fields already on `res` (CORS, Allow) are kept.
void WriteError(const Status& status, HttpResponse& res,
                ErrorSurface surface = ErrorSurface::kRest);

// An error the table has no row for (431 from the HTTP parser): the body is
// `{"type": type, "code": code, "detail": detail, "attr": null}`.
void WriteCustomError(http::status http_status, std::string_view type, std::string_view code,
                      std::string_view detail, HttpResponse& res);

// 405 with the `Allow` header (e.g. "GET, POST") and DRF's detail `Method "DELETE" not allowed.`.
void WriteMethodNotAllowed(std::string_view method, std::string_view allow, HttpResponse& res);

}  // namespace actiond::api
