// The user-facing definition of an action, as PostHog's API carries it (the Action
// object), parsed and shape-checked. Semantic validation of the steps (patterns, selectors,
// filters) happens when they are compiled (action_compiler.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

using ActionId = int64_t;

// One step. String fields are nullopt when absent or JSON null; "" is kept as "" (both mean
// "no condition", docs/semantics.md §8.2, but PostHog echoes what was sent).
struct ActionStep {
  std::optional<std::string> id;
  std::optional<std::string> event;
  std::optional<std::string> url;
  std::optional<std::string> url_matching;
  std::optional<std::string> tag_name;
  std::optional<std::string> text;
  std::optional<std::string> text_matching;
  std::optional<std::string> href;
  std::optional<std::string> href_matching;
  std::optional<std::string> selector;
  std::optional<std::string> name;
  // The `properties` list as compact JSON text ("[]" when absent, null or empty).
  std::string properties_json = "[]";
};

// A create/update request body. Fields absent from the body are nullopt, so that PATCH can
// apply only what was sent.
struct ActionRequest {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> tags;
  std::optional<bool> post_to_slack;
  std::optional<std::string> slack_message_format;
  std::optional<std::vector<ActionStep>> steps;
  std::optional<bool> deleted;
  std::optional<std::string> last_calculated_at;
};

// Parses a request body. Unknown fields are ignored (as PostHog's serializer does). Errors:
// ParseError for malformed JSON or a body that is not an object; InvalidInput with the field's
// attr (`name`, `tags`, `steps__2__url`, …) for a field of the wrong JSON type.
Result<ActionRequest> ParseActionRequest(std::string_view json);

// Parses the `steps` array alone.
Result<std::vector<ActionStep>> ParseActionSteps(std::string_view steps_json);

// One action of an action list file (the command-line tool, tests, benchmarks).
struct ActionListEntry {
  ActionId id = 0;
  std::string name;
  bool deleted = false;
  std::vector<ActionStep> steps;
};

// Parses a list of actions: a bare JSON array, or an object holding it under `actions` or
// `results` (the shapes of the benchmark workload and of the list endpoint). Each entry needs an
// integer `id`; errors carry the attr `actions__N__…`.
Result<std::vector<ActionListEntry>> ParseActionList(std::string_view json);

}  // namespace actiond::engine
