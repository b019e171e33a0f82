#include "engine/status.h"

namespace actiond {

std::string_view StatusCodeName(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidInput:
      return "invalid_input";
    case StatusCode::kInvalidChoice:
      return "invalid_choice";
    case StatusCode::kRequired:
      return "required";
    case StatusCode::kUnique:
      return "unique";
    case StatusCode::kParseError:
      return "parse_error";
    case StatusCode::kNotAuthenticated:
      return "not_authenticated";
    case StatusCode::kAuthFailed:
      return "authentication_failed";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kMethodNotAllowed:
      return "method_not_allowed";
    case StatusCode::kTooLarge:
      return "payload_too_large";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code()));
  if (!attr().empty()) out.append(" (").append(attr()).append(")");
  out.append(": ").append(message());
  return out;
}

}  // namespace actiond
