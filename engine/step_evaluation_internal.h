// The one evaluation of a compiled step (docs/semantics.md §1), shared by the matcher and by
// explain (match_explanation.h). Engine-internal.
//
// EvaluateStep is a template over a trace. The matcher instantiates it with NoTrace, whose hooks
// are empty inline functions and whose kReportsAll is false, so that instantiation compiles to
// the plain early-return evaluation and costs the hot path nothing (docs/style.md §5). Explain
// instantiates it with a trace that records every condition and keeps evaluating after a
// failure. Both take the pass/fail of each condition from the same expressions below, so an
// explanation cannot disagree with a count. The matcher's selector memo (action_set.cc) uses the
// SelectorResult hook alone, to keep the result of a selector it evaluates for the steps that
// share it.
#pragma once

#include <cstddef>
#include <string_view>

#include "engine/compiled_action.h"
#include "engine/event_view.h"

namespace actiond::engine {

inline constexpr size_t kNoElement = Selector::kNoMatch;

// tag_name, text and href must all hold on one single element (docs/semantics.md §4): the
// index of the first element that satisfies them, or kNoElement.
size_t FirstElementSatisfying(const CompiledStep& step, const ElementList& elements) noexcept;

struct NoTrace {
  static constexpr bool kReportsAll = false;
  void Event(const CompiledStep&, const EventView&, bool) noexcept {}
  void Url(const CompiledStep&, const EventView&, bool) noexcept {}
  void Elements(const CompiledStep&, const ElementList&, size_t) noexcept {}
  void SelectorResult(const CompiledStep&, const ElementList&, size_t) noexcept {}
  void Filter(size_t, const PropertyFilter&, const EventView&, bool) noexcept {}
};

template <class Trace>
bool EvaluateStep(const CompiledStep& step, const EventView& view, CompiledStep::Known known,
                  Trace& trace) noexcept {
  bool all = true;
  // Records a failure; true when evaluation stops there (always, without a full trace).
  auto stop_after_failure = [&all]() noexcept {
    all = false;
    return !Trace::kReportsAll;
  };
  if (step.event && !known.event) {
    const bool passed = view.name() == *step.event;
    trace.Event(step, view, passed);
    if (!passed && stop_after_failure()) return false;
  }
  if (step.url && !known.url) {
    const std::string_view current_url = view.current_url();
    const bool passed = !current_url.empty() && step.url->Matches(current_url);
    trace.Url(step, view, passed);
    if (!passed && stop_after_failure()) return false;
  }
  if (step.HasElementConditions()) {
    const ElementList& elements = view.elements();  // parsed on first use, then cached
    const size_t index = FirstElementSatisfying(step, elements);
    trace.Elements(step, elements, index);
    if (index == kNoElement && stop_after_failure()) return false;
  }
  if (step.selector && !known.selector) {
    const ElementList& elements = view.elements();
    const size_t index = step.selector->MatchingElement(elements);
    trace.SelectorResult(step, elements, index);
    if (index == kNoElement && stop_after_failure()) return false;
  }
  for (size_t i = 0; i < step.filters.size(); ++i) {
    const bool passed = step.filters[i].Matches(view);
    trace.Filter(i, step.filters[i], view, passed);
    if (!passed && stop_after_failure()) return false;
  }
  return all;
}

}  // namespace actiond::engine
