// Status and Result<T>: the error currency of actiond.
//
// A Status is a std::shared_ptr to an immutable rep: two pointers wide (16 bytes on x86-64),
// cheap to copy (a reference count, no allocation). The OK status holds no rep and allocates
// nothing; an error allocates its rep (code, reason, message, attr) once (RocksDB's habit).
// Result<T> follows absl::StatusOr: ok(), status(), value(), operator* and operator->. Nothing
// here throws.
//
// The codes say what went wrong in the domain's words, never how a protocol shows it: api/ maps
// them to HTTP statuses and PostHog's error bodies in one table (api/error_response.h). Where
// PostHog tells apart kinds of one domain error (a missing field vs. an invalid one, no
// credentials vs. wrong ones), the Status carries that as its StatusReason.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace actiond {

enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalidInput,      // the caller's input breaks a rule; attr names the field (`steps__0__url`)
  kParseError,        // the caller's input cannot be read at all (malformed JSON, bad encoding)
  kAlreadyExists,     // it conflicts with something that exists (a unique name taken)
  kUnauthenticated,   // the caller is not known: no credentials, or wrong ones (see reason)
  kPermissionDenied,  // the caller is known but may not do this
  kNotFound,          // what the caller names does not exist (or is not theirs to see)
  kNotSupported,      // the operation is never offered (e.g. hard-deleting an action)
  kTooLarge,          // the input exceeds a size limit
  kUnavailable,       // overloaded or shutting down; retry later
  kCorruption,        // stored data or schema cannot be read
  kIoError,           // the store failed to read or write
  kInternal,          // a bug: never caused by input
};

// The finer kind of an error, where a client can tell them apart (PostHog's error `code`).
enum class StatusReason : unsigned char {
  kNone = 0,
  kRequired,         // kInvalidInput: the field is missing or null
  kInvalidChoice,    // kInvalidInput: the value is not one of the allowed choices
  kNoCredentials,    // kUnauthenticated: the request carries no credentials at all
  kStoreUnwritable,  // kUnavailable: the store cannot write (disk full, I/O error) but still reads
};

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;  // OK
  Status(StatusCode code, std::string_view message, std::string_view attr = {},
         StatusReason reason = StatusReason::kNone)
      : rep_(code == StatusCode::kOk ? nullptr
                                     : std::make_shared<Rep>(Rep{code, reason, std::string(message),
                                                                 std::string(attr)})) {}

  static Status Ok() noexcept { return Status(); }

  bool ok() const noexcept { return rep_ == nullptr; }
  StatusCode code() const noexcept { return rep_ ? rep_->code : StatusCode::kOk; }
  StatusReason reason() const noexcept { return rep_ ? rep_->reason : StatusReason::kNone; }
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
    return Status(rep_->code, rep_->message, path, rep_->reason);
  }

  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    StatusReason reason;
    std::string message;
    std::string attr;
  };
  // Shared so that copying an error is cheap; the rep is immutable.
  std::shared_ptr<const Rep> rep_;
};
static_assert(sizeof(Status) == 2 * sizeof(void*), "a Status is one shared_ptr");

inline Status InvalidInput(std::string_view msg, std::string_view attr = {}) {
  return Status(StatusCode::kInvalidInput, msg, attr);
}
inline Status InvalidChoice(std::string_view msg, std::string_view attr = {}) {
  return Status(StatusCode::kInvalidInput, msg, attr, StatusReason::kInvalidChoice);
}
inline Status Required(std::string_view msg, std::string_view attr = {}) {
  return Status(StatusCode::kInvalidInput, msg, attr, StatusReason::kRequired);
}
inline Status NotFound(std::string_view msg) { return Status(StatusCode::kNotFound, msg); }
// The store cannot write now; reads still work, and writes will again once the cause is gone
// (docs/operations.md §Disk full).
inline Status StoreUnwritable(std::string_view msg) {
  return Status(StatusCode::kUnavailable, msg, {}, StatusReason::kStoreUnwritable);
}
inline Status Internal(std::string_view msg) { return Status(StatusCode::kInternal, msg); }

// The store could not read or write (or is closed): the same request may succeed when tried
// again, unlike a refusal of the request itself. The cluster's appliers retry a log record on
// these and pass over, or record, any other error (docs/cluster.md §Exactly once).
inline bool IsStoreFailure(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kIoError ||
         code == StatusCode::kCorruption;
}

std::string_view StatusCodeName(StatusCode code) noexcept;
// "required", "invalid_choice", "no_credentials", "store_unwritable"; "" for kNone.
std::string_view StatusReasonName(StatusReason reason) noexcept;

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
#define ACTIOND_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::actiond::Status actiond_status_ = (expr);        \
    if (!actiond_status_.ok()) return actiond_status_; \
  } while (0)

// `ACTIOND_ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define ACTIOND_ASSIGN_OR_RETURN(lhs, expr) \
  ACTIOND_ASSIGN_OR_RETURN_IMPL(ACTIOND_CONCAT(actiond_result_, __LINE__), lhs, expr)
// `lhs` is a declaration and `tmp` a name, so neither can be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ACTIOND_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
