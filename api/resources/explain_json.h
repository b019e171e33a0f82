// The explain answer (docs/api.md §Explain) as JSON, for the explain endpoints and for
// `actiond match --explain` (api/match_command.h), so both print the same thing.
#pragma once

#include <string>

#include "engine/match_explanation.h"

namespace actiond::api {

// {"matched", "steps": [{"index", "matched", "conditions": [{"field", "expected",
//  "matching" | "operator"+"type"+"key", "actual", "element_index"?, "passed", "reason"}]}]}
// Appends to *out.
void AppendExplanationJson(const engine::ActionExplanation& explanation, std::string* out);

}  // namespace actiond::api
