// When a webhook delivery is tried again, and when it is given up (docs/webhooks.md §6).
//
//   - A 2xx answer delivers. 4xx other than 408 (Request Timeout) and 429 (Too Many Requests)
//     is final: the receiver refused this request and will refuse it again. Anything else — a
//     3xx (actiond does not follow redirects: it sends only to the URL the user configured),
//     a 5xx, 408, 429, no answer at all — is tried again.
//   - The n-th retry waits base · 3^(n−1), at most kMaxBackoffMs, times a jitter factor in
//     [0.8, 1.2) so that deliveries that failed together do not retry together. With the
//     default base (10 s) and 10 attempts the retries span about 21 hours.
//   - A `Retry-After` answer (seconds, or an HTTP date) replaces the backoff for that retry,
//     capped at kMaxRetryAfterMs.
//
// Thread-safety: pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace actiond::engine {

inline constexpr int64_t kDefaultBackoffBaseMs = 10'000;
inline constexpr int64_t kMaxBackoffMs = int64_t{12} * 3'600'000;
inline constexpr int64_t kMaxRetryAfterMs = int64_t{24} * 3'600'000;

enum class DeliveryOutcome : unsigned char {
  kDelivered,  // 2xx
  kRetry,      // try again later
  kFinal,      // never try again: dead letter
};

// What an HTTP status means for a delivery; `status` 0 stands for "no answer" (connection
// refused, reset, timed out, TLS failure), which is retried.
DeliveryOutcome ClassifyHttpStatus(int status) noexcept;

// The wait before retry number `failed_attempts` (≥ 1: the number of attempts that failed so
// far), for a uniform `jitter` in [0, 1).
int64_t BackoffMs(int64_t failed_attempts, int64_t base_ms, double jitter) noexcept;

// A Retry-After header value as a wait in ms from `now_ms`: delta-seconds (`120`) or an
// IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`). nullopt when it is neither; a date in the past
// is 0; capped at kMaxRetryAfterMs.
std::optional<int64_t> ParseRetryAfterMs(std::string_view value, int64_t now_ms) noexcept;

}  // namespace actiond::engine
