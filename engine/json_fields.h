// Reading JSON for the modules that may not see simdjson (storage/, api/): selected top-level
// members of an object, and a whole document flattened to dotted leaf paths (CSV export).
//
// Both parse with a per-thread simdjson parser (reused, so steady use allocates only the
// results). Thread-safe; results are owned copies.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

struct JsonMember {
  enum class Kind : unsigned char { kAbsent, kNull, kString, kBool, kNumber, kObject, kArray };
  Kind kind = Kind::kAbsent;
  // kString: the decoded string; kBool: "true"/"false"; other kinds but kAbsent/kNull: the
  // value's compact JSON text (JSON.stringify form, see json_text.h).
  std::string text;
};

// Sets (*out)[i] to the member `keys[i]` of the JSON object `json` (out is resized to
// keys.size()). Errors: ParseError when `json` is not valid JSON or not an object.
Status ReadTopLevelMembers(std::string_view json, std::span<const std::string_view> keys,
                           std::vector<JsonMember>* out);

// One leaf of a flattened document.
struct FlatField {
  std::string path;  // object keys and array indexes joined with '.': `steps.0.event`
  std::string text;  // strings decoded; numbers in JavaScript form; True/False; null → ""
};

// Appends the leaves of `json` in document order, each path prefixed with `prefix` (joined
// with '.' when both are non-empty), as rest_framework_csv flattens rows: nested objects and
// arrays become `a.b` / `a.0` columns; empty objects and arrays yield no column; booleans are
// written as Python does (`True`/`False`). Errors: ParseError when `json` is not valid JSON.
Status FlattenJson(std::string_view json, std::string_view prefix, std::vector<FlatField>* out);

}  // namespace actiond::engine
