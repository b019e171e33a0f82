// PropertyFilterList: a JSON list of property filters `[{key, value, operator, type}, …]` compiled
// once, as action steps compile theirs (same operators, same validation; docs/semantics.md §6),
// for callers that filter events by properties outside an action (the events API's
// `properties` parameter, docs/api.md §4).
//
// Errors (Compile): kInvalidInput with attr `properties` when the text is not a JSON list (or
// null), `properties__N__<field>` for the N-th filter's own error (PropertyFilter::Compile).
// Thread-safety: immutable after Compile; Matches may be called from any number of threads.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

class EventView;
class PropertyFilter;

class PropertyFilterList {
 public:
  PropertyFilterList() = default;  // no filters: every event passes
  static Result<PropertyFilterList> Compile(std::string_view json);

  // Whether the event passes every filter. Never fails.
  bool Matches(const EventView& event) const noexcept;
  bool empty() const noexcept;

 private:
  std::shared_ptr<const std::vector<PropertyFilter>> filters_;
};

}  // namespace actiond::engine
