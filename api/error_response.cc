#include "api/error_response.h"

#include "api/http/json_writer.h"

namespace actiond::api {

ErrorShape ErrorShapeFor(StatusCode code) noexcept {
  using S = http::status;
  switch (code) {
    case StatusCode::kInvalidInput:
      return {S::bad_request, "validation_error", "invalid_input", "Invalid input."};
    case StatusCode::kInvalidChoice:
      return {S::bad_request, "validation_error", "invalid_choice", "Invalid choice."};
    case StatusCode::kRequired:
      return {S::bad_request, "validation_error", "required", "This field is required."};
    case StatusCode::kUnique:
      return {S::bad_request, "validation_error", "unique", "This field must be unique."};
    case StatusCode::kParseError:
      return {S::bad_request, "invalid_request", "parse_error", "Malformed request."};
    case StatusCode::kNotAuthenticated:
      return {S::unauthorized, "authentication_error", "not_authenticated",
              "Authentication credentials were not provided."};
    case StatusCode::kAuthFailed:
      return {S::unauthorized, "authentication_error", "authentication_failed",
              "Incorrect authentication credentials."};
    case StatusCode::kPermissionDenied:
      return {S::forbidden, "authentication_error", "permission_denied",
              "You do not have permission to perform this action."};
    case StatusCode::kNotFound:
      return {S::not_found, "invalid_request", "not_found", "Not found."};
    case StatusCode::kMethodNotAllowed:
      return {S::method_not_allowed, "invalid_request", "method_not_allowed",
              "Method not allowed."};
    case StatusCode::kTooLarge:
      return {S::payload_too_large, "invalid_request", "payload_too_large",
              "Request body too large."};
    case StatusCode::kUnavailable:
      return {S::service_unavailable, "server_error", "unavailable",
              "Service temporarily unavailable, try again later."};
    case StatusCode::kOk:
    case StatusCode::kCorruption:
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      break;
  }
  return {S::internal_server_error, "server_error", "error", "A server error occurred."};
}

namespace {

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

std::string ErrorBody(const Status& status) {
  const ErrorShape shape = ErrorShapeFor(status.code());
  const bool server_side = static_cast<unsigned>(shape.http_status) >= 500 &&
                           shape.http_status != http::status::service_unavailable;
  std::string_view detail = status.message();
  if (server_side || detail.empty()) detail = shape.default_detail;
  return Body(shape, detail, status.attr());
}

void WriteError(const Status& status, HttpResponse& res) {
  const ErrorShape shape = ErrorShapeFor(status.code());
  if (shape.http_status == http::status::service_unavailable) {
    res.set(http::field::retry_after, "1");
  }
  SetJson(res, shape.http_status, ErrorBody(status));
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
          Body(ErrorShapeFor(StatusCode::kMethodNotAllowed), detail, {}));
}

}  // namespace actiond::api
