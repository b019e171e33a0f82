#include "engine/status.h"

namespace actiond {

std::string_view StatusCodeName(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidInput:
      return "invalid_input";
    case StatusCode::kParseError:
      return "parse_error";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kNotSupported:
      return "not_supported";
    case StatusCode::kTooLarge:
      return "too_large";
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

std::string_view StatusReasonName(StatusReason reason) noexcept {
  switch (reason) {
    case StatusReason::kNone:
      return "";
    case StatusReason::kRequired:
      return "required";
    case StatusReason::kInvalidChoice:
      return "invalid_choice";
    case StatusReason::kNoCredentials:
      return "no_credentials";
    case StatusReason::kStoreUnwritable:
      return "store_unwritable";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code()));
  if (reason() != StatusReason::kNone) out.append("/").append(StatusReasonName(reason()));
  if (!attr().empty()) out.append(" (").append(attr()).append(")");
  out.append(": ").append(message());
  return out;
}

}  // namespace actiond
