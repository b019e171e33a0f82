#include "engine/compiled_action.h"
#include "engine/event_view.h"

namespace actiond::engine {

namespace {

// tag_name, text and href must all hold on one single element (docs/semantics.md §4).
bool SomeElementSatisfies(const CompiledStep& step, const ElementList& elements) noexcept {
  for (size_t i = 0; i < elements.size(); ++i) {
    const Element& element = elements[i];
    if (step.tag_name && element.tag != *step.tag_name) continue;
    if (step.text && !step.text->Matches(element.text)) continue;
    if (step.href && !step.href->Matches(element.href)) continue;
    return true;
  }
  return false;
}

}  // namespace

bool CompiledStep::Matches(const EventView& view, Known known) const noexcept {
  if (event && !known.event && view.name() != *event) return false;
  if (url && !known.url) {
    std::string_view current_url = view.current_url();
    if (current_url.empty() || !url->Matches(current_url)) return false;
  }
  if (HasElementConditions() && !SomeElementSatisfies(*this, view.elements())) return false;
  if (selector && !selector->Matches(view.elements())) return false;
  for (const PropertyFilter& filter : filters) {
    if (!filter.Matches(view)) return false;
  }
  return true;
}

}  // namespace actiond::engine
