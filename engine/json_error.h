// Where a JSON text stops being JSON, for error messages: "Malformed JSON at byte 17: expected
// ',' or '}' after an object member" (docs/api.md §Errors).
//
// simdjson's DOM parser says only what kind of error it met (a stage-1 structural scan finds
// most of them before anything is parsed, so it has no position to give), and its on-demand
// parser knows a position only for what the caller walks to. So when simdjson refuses a text,
// FindJsonError scans it again, once, with a plain RFC 8259 grammar that also checks what
// simdjson checks beyond the grammar (UTF-8, lone surrogate escapes, nesting deeper than 1024;
// numbers of any size are accepted, as ParseJson accepts them, engine/json_parse.h). The scan
// runs only on the error path, so the parse of good input pays nothing for it. Offsets count bytes
// from 0 in the text as parsed (for a capture body, the JSON after gzip and base64 are undone).
//
// Pure functions, thread-safe, no allocation beyond the returned strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace actiond::engine {

struct JsonErrorLocation {
  bool found = false;
  size_t offset = 0;         // the first byte that cannot be part of a JSON text
  std::string_view problem;  // what is wrong there, in words ("unterminated string")
};

JsonErrorLocation FindJsonError(std::string_view text) noexcept;

// "Malformed JSON at byte N: <problem>"; when the scan finds nothing (it agrees with simdjson
// on every input the tests know, but should they ever disagree) "Malformed JSON: <fallback>",
// fallback being simdjson's own words. `capitalized` false: "malformed JSON …", for messages
// that follow a prefix of their own (the capture endpoints' "Malformed request data: ").
std::string MalformedJsonMessage(std::string_view text, std::string_view fallback,
                                 bool capitalized = true);

}  // namespace actiond::engine
