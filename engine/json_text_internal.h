// Engine-internal: the JSON.stringify text of a parsed simdjson value (docs/semantics.md §6
// "Comparison form"). simdjson stays private to engine/ (docs/architecture.md §2): modules above
// include json_text.h, which has no simdjson type.
#pragma once

#include <simdjson.h>

#include <string>

#include "engine/json_text.h"

namespace actiond::engine {

// Appends JSON.stringify(value) of a parsed JSON value: keys in document order, no spaces,
// non-ASCII kept, `/` not escaped, numbers through AppendJsNumber.
void AppendJsJson(simdjson::dom::element value, std::string* out);

}  // namespace actiond::engine
