// Engine-internal: the capture rules of capture_fields.h that read a parsed simdjson value.
// simdjson stays private to engine/ (docs/architecture.md §2). Thread-safe (no state).
#pragma once

#include <simdjson.h>

#include <string>

#include "engine/capture_fields.h"

namespace actiond::engine {

// Writes the distinct id of a JSON value to *out (replacing it): a string as it is, any
// other value as JSON.stringify writes it; NUL characters become U+FFFD and the result is cut
// to kMaxDistinctIdCodePoints code points. Returns false when the result is empty.
bool DistinctIdFromJson(simdjson::dom::element value, std::string* out);

// Appends JavaScript's String(value): strings as they are, numbers as JavaScript prints
// them, `true`/`false`/`null`, objects as `[object Object]`, arrays as their elements'
// String joined with `,` (null elements empty).
void AppendJsString(simdjson::dom::element value, std::string* out);

}  // namespace actiond::engine
