// The body of an explain request (docs/api.md §Explain) and the stored record a posted event
// becomes. Pure; thread-safe.
//
//   {"uuid": "<stored event uuid>"}                                  a stored event, or
//   {"event": {…as sent to /capture…}, "person_properties": {…}}      an event that is not stored
// plus, for an unsaved definition, `steps` (read by ParseActionRequest, as for a create).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

inline constexpr size_t kMaxExplainBodyBytes = size_t{1024} * 1024;

struct ExplainSubject {
  std::optional<std::string> uuid;        // lower-cased
  std::optional<std::string> event_json;  // the posted event, compact JSON object text
  std::string person_properties_json = "{}";
};

// Errors: ParseError for malformed JSON or a body that is not an object; TooLarge (attr
// `event`) beyond kMaxExplainBodyBytes; InvalidInput with attr `uuid` (not a string, or given
// with `event`), `event` (not an object) or `person_properties` (not an object or null);
// Required (attr `uuid`) when neither `uuid` nor `event` is given.
Result<ExplainSubject> ParseExplainSubject(std::string_view body);

// The stored record (event_view.h) the posted `event_json` would have been stored as, through
// the capture parser and the record builder ingestion uses, with `person_properties_json` as
// its person properties. The event's own token fields do not matter. `now_ms` stands in for the
// time of receipt. Errors: the capture parser's (InvalidInput, TooLarge), with attr `event`.
Result<std::string> ExplainEventRecord(std::string_view event_json,
                                       std::string_view person_properties_json, int64_t now_ms);

}  // namespace actiond::engine
