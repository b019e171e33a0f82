// Why an action did or did not match one event ("explain", docs/api.md §Explain).
//
// ExplainAction evaluates every step and every condition of a compiled action against an event
// through the same compiled objects and the same step evaluation as ingestion
// (compiled_step.cc: one template, instantiated once without a trace for the hot path and once
// with this trace), so an explanation's `matched` always equals ActionMatches() and therefore
// what ingestion and backfill counted. Unlike Match(), it does not stop at the first failing
// condition or the first matching step: every condition is reported.
//
// Not on the hot path: it allocates freely (one string per reported value).
// Thread-safety: pure; the explanation owns its strings (no views into the event).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

class CompiledAction;
class EventView;

// One condition of a step.
struct ConditionExplanation {
  // "event", "url", "tag_name", "text", "href", "selector", or "properties__N" (the filter's
  // index in the step's `properties`, as validation errors name it).
  std::string field;
  // What the step asks for, as JSON text: a string for every condition but property filters,
  // whose `value` is shown as given (a string, number, list, …; `null` for is_set).
  std::string expected_json;
  // url / text / href: the matching mode in effect ("contains", "exact", "regex"); else "".
  std::string matching;
  // Property filters: the operator in effect (default "exact"), the filter type ("event",
  // "person", "element") and its key; else "".
  std::string op;
  std::string filter_type;
  std::string key;
  // The value seen, as JSON text; nullopt when absent (no $current_url, a missing property, an
  // event without elements).
  std::optional<std::string> actual_json;
  // Element conditions: the element (0 = the clicked one) that satisfied the condition, or, when
  // it failed, the closest candidate the reason talks about; nullopt when there is none.
  std::optional<size_t> element_index;
  bool passed = false;
  std::string reason;  // one sentence, for people
};

struct StepExplanation {
  size_t index = 0;
  bool matched = false;  // every condition passed
  std::vector<ConditionExplanation> conditions;
};

struct ActionExplanation {
  bool matched = false;  // some step matched
  std::vector<StepExplanation> steps;
};

// Explains `action` against `event`. Cannot fail.
ActionExplanation ExplainAction(const CompiledAction& action, const EventView& event);

// The same for a stored event record (event_view.h); for modules that do not see EventView.
// Errors: EventReader::Read's (InvalidInput for a record that is not an event).
Result<ActionExplanation> ExplainRecord(const CompiledAction& action, std::string_view record);

}  // namespace actiond::engine
