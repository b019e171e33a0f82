// The per-field rules of PostHog's capture service, as pure functions: the stored timestamp
// (clock-skew correction, offset, future clamp), event uuids (client's kept, else UUIDv7),
// distinct ids (stringified, cut to 200 code points) and JavaScript's String(value).
//
// Used by CapturePayloadParser (capture_payload.h); separate so that each rule is testable on
// its own. The rules that read a parsed simdjson value are engine-internal
// (capture_fields_internal.h). Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace actiond::engine {

// Events more than this far ahead of the server clock are stored at `now`.
inline constexpr int64_t kFutureEventCutoffMs = int64_t{23} * 3600 * 1000;
// A distinct id longer than this many code points is cut to it.
inline constexpr size_t kMaxDistinctIdCodePoints = 200;
// The range PostHog stores: years 0000..9999; anything outside becomes the Unix epoch.
inline constexpr int64_t kMinStoredTimestampMs = -62'167'219'200'000;  // 0000-01-01T00:00:00Z
inline constexpr int64_t kEndStoredTimestampMs = 253'402'300'800'000;  // 10000-01-01T00:00:00Z

// Parses an event's `timestamp` or a request's `sent_at`: ISO 8601 as ParseIso8601 reads it,
// plus a bare `±HH` zone (`…T14:05:04.805+03`), which PostHog also accepts. nullopt otherwise.
std::optional<int64_t> ParseCaptureTimestamp(std::string_view text) noexcept;

// The stored timestamp, as PostHog's ingestion computes it:
//   `offset` given               → now − offset
//   else `timestamp` parsed and `sent_at` known → now + (timestamp − sent_at)
//   else `timestamp` parsed      → timestamp
//   else (absent or unparseable) → now
// then: more than kFutureEventCutoffMs ahead of now → now; outside years 0000..9999 → 0.
// `timestamp_ms` is nullopt when the event has no timestamp or it did not parse.
int64_t ComputeEventTimestamp(std::optional<int64_t> timestamp_ms, std::optional<int64_t> offset_ms,
                              std::optional<int64_t> sent_at_ms, int64_t now_ms) noexcept;

// Validates a client uuid in any form the `uuid` crate accepts (hyphenated 8-4-4-4-12,
// 32 hex digits, `{…}`-braced, `urn:uuid:`-prefixed; hex in either case) and writes its
// lower-case 8-4-4-4-12 form to *out (replacing it). Returns false when it is not a uuid.
bool NormalizeUuid(std::string_view text, std::string* out);

// Writes (replacing *out) a UUIDv7: the low 48 bits of `now_ms` big-endian, version 7, RFC
// 4122 variant, and 74 bits from `random` (10 bytes; the top bits of bytes 0 and 2 are
// dropped to make room for the version and variant).
void MakeUuidV7(int64_t now_ms, const uint8_t random[10], std::string* out);

}  // namespace actiond::engine
