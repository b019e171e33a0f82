// Status and Result<T>: the error currency of actiond.
//
// A Status is one pointer wide; the OK status allocates nothing and an error allocates its
// message once (RocksDB's habit). Result<T> follows absl::StatusOr: ok(), status(), value(),
// operator* and operator->. Nothing here throws.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace actiond {

// The codes map one-to-one onto PostHog's error bodies (api/error_response.h holds the table).
enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalidInput,      // 400 validation_error / invalid_input
  kInvalidChoice,     // 400 validation_error / invalid_choice
  kRequired,          // 400 validation_error / required
  kUnique,            // 400 validation_error / unique
  kParseError,        // 400 parse_error (malformed request body)
  kNotAuthenticated,  // 401 not_authenticated (no credentials)
  kAuthFailed,        // 401 authentication_failed (wrong credentials)
  kPermissionDenied,  // 403 permission_denied
  kNotFound,          // 404 not_found
  kMethodNotAllowed,  // 405 method_not_allowed
  kTooLarge,          // 413 payload too large
  kUnavailable,       // 503 overloaded or shutting down; retry later
  kCorruption,        // stored data or schema cannot be read
  kIoError,           // the store failed to read or write
  kInternal,          // a bug: never caused by input
};

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;  // OK
  Status(StatusCode code, std::string_view message, std::string_view attr = {})
      : rep_(code == StatusCode::kOk
                 ? nullptr
                 : std::make_shared<Rep>(Rep{code, std::string(message), std::string(attr)})) {}

  static Status Ok() noexcept { return Status(); }

  bool ok() const noexcept { return rep_ == nullptr; }
  StatusCode code() const noexcept { return rep_ ? rep_->code : StatusCode::kOk; }
  // Human-readable detail; empty for OK.
  std::string_view message() const noexcept { return rep_ ? std::string_view(rep_->message) : ""; }
  // The field the error is about, in PostHog's path form (`steps__0__url`); may be empty.
  std::string_view attr() const noexcept { return rep_ ? std::string_view(rep_->attr) : ""; }

  // Returns a copy whose attr is `prefix` + "__" + attr (or `prefix` when attr is empty);
  // lets nested validators report paths without knowing where they sit.
  Status WithAttrPrefix(std::string_view prefix) const {
    if (ok()) return *this;
    std::string path(prefix);
    if (!rep_->attr.empty()) path.append("__").append(rep_->attr);
    return Status(rep_->code, rep_->message, path);
  }

  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string attr;
  };
  // Shared so that copying an error is cheap; the rep is immutable.
  std::shared_ptr<const Rep> rep_;
};

inline Status InvalidInput(std::string_view msg, std::string_view attr = {}) {
  return Status(StatusCode::kInvalidInput, msg, attr);
}
inline Status InvalidChoice(std::string_view msg, std::string_view attr = {}) {
  return Status(StatusCode::kInvalidChoice, msg, attr);
}
inline Status Required(std::string_view msg, std::string_view attr = {}) {
  return Status(StatusCode::kRequired, msg, attr);
}
inline Status NotFound(std::string_view msg) { return Status(StatusCode::kNotFound, msg); }
inline Status Internal(std::string_view msg) { return Status(StatusCode::kInternal, msg); }

std::string_view StatusCodeName(StatusCode code) noexcept;

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit like absl::StatusOr
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result built from an OK status has no value");
    if (status_.ok()) status_ = Internal("Result constructed from OK status without a value");
  }

  bool ok() const noexcept { return value_.has_value(); }
  const Status& status() const noexcept { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace actiond

#define ACTIOND_CONCAT_INNER(a, b) a##b
#define ACTIOND_CONCAT(a, b) ACTIOND_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::actiond::Status actiond_status_ = (expr);        \
    if (!actiond_status_.ok()) return actiond_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(ACTIOND_CONCAT(actiond_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
