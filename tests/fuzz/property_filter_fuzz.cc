// Fuzz target: the property-filter evaluator (engine/property_filter.h). Input: the filters
// (one filter object or a list of them, JSON), a newline, then a stored event record
// (engine/event_view.h's shape) read with engine/event_reader.h.
//
// Each filter is compiled on its own and evaluated against the event; then the filters are put
// in one step, and checks beyond "no crash" follow: the step matches exactly when every filter
// passes (docs/semantics.md §6), and the indexed ActionSet agrees with the plain ActionMatches.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/action_set.h"
#include "engine/compiled_action.h"
#include "engine/event_reader.h"
#include "engine/event_view.h"
#include "engine/property_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace actiond::engine;  // NOLINT: a fuzz target's one function
  static simdjson::dom::parser parser;
  static EventReader reader;
  static MatchScratch scratch;

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string filters_json(input.substr(0, newline));
  const std::string_view record = input.substr(newline + 1);

  simdjson::dom::element root;
  if (parser.parse(filters_json).get(root) != simdjson::SUCCESS) return 0;
  std::vector<PropertyFilter> filters;
  auto add = [&filters](simdjson::dom::element filter) {
    actiond::Result<PropertyFilter> compiled = PropertyFilter::Compile(filter);
    if (!compiled.ok()) return false;
    filters.push_back(std::move(*compiled));
    return true;
  };
  simdjson::dom::array list;
  if (root.get_array().get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element filter : list) {
      if (!add(filter)) return 0;
    }
  } else if (!add(root)) {
    return 0;
  }

  actiond::Result<const EventView*> view = reader.Read(record);
  if (!view.ok()) return 0;
  bool all = true;
  for (const PropertyFilter& filter : filters) {
    // Evaluated twice: matching must not depend on state left by an earlier evaluation (the
    // lazily parsed elements, reused buffers).
    const bool passes = filter.Matches(**view);
    if (filter.Matches(**view) != passes) abort();
    all = all && passes;
  }

  CompiledStep step;
  step.filters = std::move(filters);
  std::vector<CompiledStep> steps;
  steps.push_back(std::move(step));
  auto action = std::make_shared<const CompiledAction>(3, std::move(steps));
  if (ActionMatches(*action, **view) != all) abort();
  const std::shared_ptr<const ActionSet> set = ActionSet::Build({action});
  std::vector<ActionId> matched;
  set->Match(**view, &scratch, &matched);
  if (matched != (all ? std::vector<ActionId>{3} : std::vector<ActionId>{})) abort();
  return 0;
}
