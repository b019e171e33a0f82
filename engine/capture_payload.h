// CapturePayloadParser: a decoded capture request body (JSON text; api/ has already undone
// gzip, base64 and form encoding) → the request's token and its normalised events, as
// PostHog's capture service reads them (docs/api.md §2).
//
// Body shapes:
//   {"api_key"|"token"|"$token", "batch": [event…], "sent_at"}   /batch, posthog-js /e
//   {"created_at", "batch": [event…]}  posthog-node v1 (/i/v1/analytics/events): the token
//                                      comes in CaptureOptions::external_token
//   [event…]                           bare array
//   event                              one event
//   {"$set", "$distinct_id"|"distinct_id", "$token", …} without `event`, with
//   CaptureOptions::engage (the /engage endpoints) → one `$identify` event carrying the $set
//
// Token (one per request):
//   the request-level token is CaptureOptions::external_token and/or the batch's top-level
//   `api_key`/`token`/`$token`; when both are given they must agree (else InvalidInput).
//   When there is one, the events' own tokens are ignored (as PostHog does). Otherwise each
//   event's `token`/`$token`/`api_key`, else its string `properties.token`, is its token, and
//   all events must carry the same one: differing (or some events without one) is
//   InvalidInput; none at all, or an empty token, is NotAuthenticated; a personal API key
//   (`phx_…`) is AuthFailed. Whether the token names a project is the caller's business.
//
// Per event (index i is 0-based in the body; every error message starts "event i: "):
//   event       a string of 1..kMaxEventNameBytes bytes                     else InvalidInput
//   distinct_id `distinct_id`, else `$distinct_id`, else `properties.distinct_id` (the first
//               that is present and not null); non-strings as JSON.stringify writes them;
//               NUL → U+FFFD; cut to 200 code points; missing, null or ""   → InvalidInput
//   uuid        kept when it is a uuid (normalised to lower-case 8-4-4-4-12); absent, null
//               or "" → a new UUIDv7 from `now_ms` and 10 bytes of options.random;
//               anything else                                                → InvalidInput
//   timestamp   ComputeEventTimestamp (capture_fields.h) from `timestamp` (string or null,
//               else InvalidInput; unparseable counts as absent), `offset` (integer ms or
//               null, else InvalidInput) and the request's sent_at (`sent_at`, else
//               `created_at`, else options.query_sent_at_ms when after 2020; unparseable is
//               absent; ignored for an event whose `properties.$ignore_sent_at` is true)
//   properties  an object, or absent/null (→ `{}`)                          else InvalidInput
//   size        the event's compact JSON over kMaxEventJsonBytes          → TooLarge
// Strings must be valid UTF-8 and `\u` escapes must not leave a lone surrogate (simdjson
// rejects both) → InvalidInput. No events → InvalidInput. Malformed JSON → ParseError.
// One bad event fails the whole request: nothing is returned but the first error.
//
// Thread-safety: not thread-safe; keep one parser per thread (it reuses its JSON parser and
// buffers). No simdjson type appears here: api/ includes this header.
//
// A pooled CaptureRequest keeps its buffers between requests; ReleaseLargeBuffers gives back
// those a large body grew (engine/capture_document_internal.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

inline constexpr size_t kMaxEventNameBytes = 1024;
inline constexpr size_t kMaxEventJsonBytes = size_t{1024} * 1024;

// A source of random bytes for new event uuids (a CSPRNG or a test's fixed bytes).
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(uint8_t* out, size_t size) = 0;
};

struct CaptureOptions {
  int64_t now_ms = 0;               // the server's clock at receipt, epoch ms
  std::string_view external_token;  // `Authorization: Bearer <token>`, if any
  bool engage = false;              // the /engage endpoints: a body without `event` is $identify
  std::optional<int64_t> query_sent_at_ms;  // the `_` query parameter (ms), if any
  RandomSource* random = nullptr;           // required when an event has no uuid
};

struct CapturedEvent {
  std::string uuid;  // lower-case 8-4-4-4-12
  std::string event;
  std::string distinct_id;
  int64_t timestamp_ms = 0;
  std::string properties_json;  // the event's properties as sent, compact JSON object text
  // Person updates: top-level `$set`/`$set_once` merged over those under properties (top-level
  // keys win; key order kept, new keys appended); `{}` when none.
  std::string set_json = "{}";
  std::string set_once_json = "{}";
  // `$unset` under properties, then top-level (a list of keys, or an object's keys); strings
  // only, each key once.
  std::vector<std::string> unset_keys;
  std::string elements_chain;          // the top-level `elements_chain`, when a string
  bool process_person_profile = true;  // false only for properties.$process_person_profile=false
  // `$identify`: String(properties.$anon_distinct_id) when present, else empty.
  std::string anon_distinct_id;
  // `$create_alias` / `$merge_dangerously`: String(properties.alias) when present, else empty.
  std::string alias;
};

class CaptureDocument;  // engine/capture_document_internal.h

struct CaptureRequest {
  CaptureRequest();
  ~CaptureRequest();
  CaptureRequest(CaptureRequest&&) noexcept;
  CaptureRequest& operator=(CaptureRequest&&) noexcept;

  std::string token;
  std::vector<CapturedEvent> events;
  // The parse the events came from, set by CapturePayloadParser: matching reads each event's
  // properties there (EventReader::ReadCaptured). Null for events made otherwise, such as
  // those decoded from a cluster log record.
  std::unique_ptr<CaptureDocument> parsed;
};

class CapturePayloadParserImpl;

// Frees the parsed document's buffers when a large body grew them (a request pool calls it on
// release, so that it keeps no more memory than ordinary bodies need).
void ReleaseLargeBuffers(CaptureRequest* request);

class CapturePayloadParser {
 public:
  CapturePayloadParser();
  ~CapturePayloadParser();
  CapturePayloadParser(const CapturePayloadParser&) = delete;
  CapturePayloadParser& operator=(const CapturePayloadParser&) = delete;

  // Parses `body` into *out (cleared first; on error its contents are unspecified). `body`
  // need not outlive the call; the parsed document lives in out->parsed, which outlives this
  // parser's next Parse and may travel with *out to another thread.
  Status Parse(std::string_view body, const CaptureOptions& options, CaptureRequest* out);

 private:
  std::unique_ptr<CapturePayloadParserImpl> impl_;
};

}  // namespace actiond::engine
