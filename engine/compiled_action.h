// The compiled form of an action: what action_compiler.cc builds and action_set.cc indexes.
// Engine-internal. Immutable after compilation; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/action_definition.h"
#include "engine/element_token.h"
#include "engine/property_filter.h"
#include "engine/selector.h"
#include "engine/string_matcher.h"

namespace actiond::engine {

class EventView;

// One step: every present condition must hold (docs/semantics.md §1).
struct CompiledStep {
  std::optional<std::string> event;     // exact event name
  std::optional<StringMatcher> url;     // against $current_url
  std::optional<std::string> tag_name;  // these three bind one single element
  std::optional<StringMatcher> text;
  std::optional<StringMatcher> href;
  std::optional<Selector> selector;  // may bind another element
  std::vector<PropertyFilter> filters;
  // Tokens any chain this step matches must contain (empty when the step has no element
  // condition that names one); the ActionSet evaluates the step only on chains that carry them
  // all. May repeat a token.
  std::vector<ElementToken> required_tokens;

  bool HasElementConditions() const noexcept { return tag_name || text || href; }

  // Which conditions the caller has already established (the index checks event names and
  // URLs in bulk, and remembers each distinct selector's result for the event); Matches() then
  // tests only the rest.
  struct Known {
    bool event = false;
    bool url = false;
    bool selector = false;
  };
  bool Matches(const EventView& view, Known known) const noexcept;
  bool Matches(const EventView& view) const noexcept { return Matches(view, Known{}); }
};

class CompiledAction {
 public:
  CompiledAction(ActionId id, std::vector<CompiledStep> steps)
      : id_(id), steps_(std::move(steps)) {}

  ActionId id() const noexcept { return id_; }
  const std::vector<CompiledStep>& steps() const noexcept { return steps_; }

 private:
  ActionId id_;
  std::vector<CompiledStep> steps_;
};

}  // namespace actiond::engine
