#include "api/error_response.h"

#include "api/http/json_writer.h"

namespace actiond::api {
namespace {

// Django capture's opening words, which SDK users search for, then where actiond's own token
// is: actiond has no project settings page (docs/operations.md §First start).
constexpr std::string_view kInvalidTokenDetail =
    "Project API key invalid. actiond's project tokens (phc_...) are the api_token of each "
    "project in GET /api/projects/, and the default project's was printed at first start.";
constexpr std::string_view kMissingTokenDetail =
    "API key not provided. actiond's project tokens (phc_...) are the api_token of each project "
    "in GET /api/projects/, and the default project's was printed at first start.";

ErrorShape RestShape(StatusCode code, StatusReason reason) noexcept {
  using S = http::status;
  switch (code) {
    case StatusCode::kInvalidInput:
      if (reason == StatusReason::kInvalidChoice) {
        return {S::bad_request, "validation_error", "invalid_choice", "Invalid choice."};
      }
      if (reason == StatusReason::kRequired) {
        return {S::bad_request, "validation_error", "required", "This field is required."};
      }
      return {S::bad_request, "validation_error", "invalid_input", "Invalid input."};
    case StatusCode::kAlreadyExists:
      return {S::bad_request, "validation_error", "unique", "This field must be unique."};
    case StatusCode::kParseError:
      return {S::bad_request, "invalid_request", "parse_error", "Malformed request."};
    case StatusCode::kUnauthenticated:
      if (reason == StatusReason::kNoCredentials) {
        return {S::unauthorized, "authentication_error", "not_authenticated",
                "Authentication credentials were not provided."};
      }
      return {S::unauthorized, "authentication_error", "authentication_failed",
              "Incorrect authentication credentials."};
    case StatusCode::kPermissionDenied:
      return {S::forbidden, "authentication_error", "permission_denied",
              "You do not have permission to perform this action."};
    case StatusCode::kNotFound:
      return {S::not_found, "invalid_request", "not_found", "Not found."};
    case StatusCode::kNotSupported:
      return {S::method_not_allowed, "invalid_request", "method_not_allowed",
              "Method not allowed."};
    case StatusCode::kTooLarge:
      return {S::payload_too_large, "invalid_request", "payload_too_large",
              "Request body too large."};
    case StatusCode::kUnavailable:
      if (reason == StatusReason::kStoreUnwritable) {
        // Disk full or an I/O error: it lasts until an operator makes room, so clients wait
        // longer than for an overload (docs/operations.md §Disk full).
        return {S::service_unavailable,
                "server_error",
                "store_unwritable",
                "The server cannot write to its disk right now (disk full or I/O error); "
                "nothing of this request was stored. Reads still work. Retry later.",
                {},
                /*always_default_detail=*/true,
                /*shows_attr=*/false,
                /*retry_after=*/"5"};
      }
      return {S::service_unavailable,
              "server_error",
              "unavailable",
              "Service temporarily unavailable, try again later.",
              {},
              false,
              true,
              /*retry_after=*/"1"};
    case StatusCode::kOk:
    case StatusCode::kCorruption:
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      break;
  }
  return {S::internal_server_error,      "server_error", "error", "A server error occurred.", {},
          /*always_default_detail=*/true};
}

ErrorShape CaptureShape(StatusCode code, StatusReason reason) noexcept {
  using S = http::status;
  switch (code) {
    case StatusCode::kParseError:
      return {S::bad_request,
              "validation_error",
              "invalid_payload",
              "Malformed request data.",
              "Malformed request data: ",
              false,
              false};
    case StatusCode::kInvalidInput:
    case StatusCode::kAlreadyExists:
      return {S::bad_request, "validation_error", "invalid_payload", "", {}, false, false};
    case StatusCode::kUnauthenticated:
      if (reason == StatusReason::kNoCredentials) {
        return {S::unauthorized,
                "authentication_error",
                "missing_api_key",
                kMissingTokenDetail,
                {},
                true,
                false};
      }
      [[fallthrough]];
    case StatusCode::kPermissionDenied:
      return {S::unauthorized,
              "authentication_error",
              "invalid_api_key",
              kInvalidTokenDetail,
              {},
              false,
              false};
    default:
      return RestShape(code, reason);
  }
}

std::string Body(const ErrorShape& shape, std::string_view detail, std::string_view attr) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Member("type", shape.type).Member("code", shape.code);
  w.Member("detail", detail);
  if (attr.empty()) {
    w.MemberNull("attr");
  } else {
    w.Member("attr", attr);
  }
  w.EndObject();
  return body;
}

}  // namespace

ErrorShape ErrorShapeFor(const Status& status, ErrorSurface surface) noexcept {
  return surface == ErrorSurface::kCapture ? CaptureShape(status.code(), status.reason())
                                           : RestShape(status.code(), status.reason());
}

std::string ErrorBody(const Status& status, ErrorSurface surface) {
  const ErrorShape shape = ErrorShapeFor(status, surface);
  const std::string_view attr = shape.shows_attr ? status.attr() : std::string_view();
  if (shape.always_default_detail) return Body(shape, shape.default_detail, attr);
  if (!shape.detail_prefix.empty()) {
    return Body(shape, std::string(shape.detail_prefix).append(status.message()), attr);
  }
  return Body(shape, status.message().empty() ? shape.default_detail : status.message(), attr);
}

void WriteError(const Status& status, HttpResponse& res, ErrorSurface surface) {
  const ErrorShape shape = ErrorShapeFor(status, surface);
  if (!shape.retry_after.empty()) res.set(http::field::retry_after, shape.retry_after);
  SetJson(res, shape.http_status, ErrorBody(status, surface));
}

void WriteCustomError(http::status http_status, std::string_view type, std::string_view code,
                      std::string_view detail, HttpResponse& res) {
  SetJson(res, http_status, Body({http_status, type, code, detail}, detail, {}));
}

void WriteMethodNotAllowed(std::string_view method, std::string_view allow, HttpResponse& res) {
  std::string detail;
  detail.append("Method \"").append(method).append("\" not allowed.");
  res.set(http::field::allow, allow);
  SetJson(res, http::status::method_not_allowed,
          Body(RestShape(StatusCode::kNotSupported, StatusReason::kNone), detail, {}));
}

}  // namespace actiond::api
