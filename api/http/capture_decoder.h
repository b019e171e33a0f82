// Turns a capture request (/batch, /e, /i/v0/e, /capture, /track, /engage) into the JSON text of
// its payload, undoing every encoding PostHog's SDKs use:
//   - gzip, recognised by the magic bytes 1f 8b whatever the headers say (posthog-js sends gzip
//     as text/plain with no Content-Encoding), and required when `Content-Encoding: gzip`
//     (or deflate) or `?compression=gzip` / `gzip-js` says so;
//   - `compression=base64`, and base64 recognised when the data is neither JSON nor gzip
//     (standard or URL-safe alphabet, padding optional; the decoded bytes may be gzip again);
//   - application/x-www-form-urlencoded bodies `data=<payload>[&compression=...]`;
//   - GET (and HEAD) with the payload in the query: `?data=<base64 or url-encoded JSON>`.
// `compression=lz64` (posthog-js's old LZ-string mode) is refused with a clear 400.
//
// The decoded output is capped at the body limit of the path (20 MiB for /batch, 2 MiB
// elsewhere: api/http/body_limits.h) so a gzip bomb stops at the cap.
//
// Errors: kParseError (400) for an empty payload, a form without `data`, corrupt or truncated
// gzip, an unsupported compression or Content-Encoding; kTooLarge (413) when the decoded payload
// exceeds the cap. The result is not validated as JSON (the capture handler's parser does that);
// it is what to parse. It carries at least kCapturePayloadPadding bytes of spare capacity, so a
// simdjson parser can read it in place. Pure function of its inputs; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/http/http_message.h"
#include "engine/status.h"

namespace actiond::api {

inline constexpr size_t kCapturePayloadPadding = 64;  // simdjson::SIMDJSON_PADDING

struct CaptureInput {
  http::verb method = http::verb::post;
  std::string_view target;            // path and query, as in the request line
  std::string_view content_type;      // Content-Type header (may be empty)
  std::string_view content_encoding;  // Content-Encoding header (may be empty)
  std::string_view body;
  uint64_t max_output_bytes = 0;  // 0: BodyLimitForPath(path of target)
};

Result<std::string> DecodeCapturePayload(const CaptureInput& input);

// The same for a parsed request (views into `req`, default cap).
Result<std::string> DecodeCapturePayload(const HttpRequest& req);

}  // namespace actiond::api
