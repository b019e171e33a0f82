#include "engine/compiled_action.h"
#include "engine/event_view.h"
#include "engine/step_evaluation_internal.h"

namespace actiond::engine {

size_t FirstElementSatisfying(const CompiledStep& step, const ElementList& elements) noexcept {
  for (size_t i = 0; i < elements.size(); ++i) {
    const Element& element = elements[i];
    if (step.tag_name && element.tag != *step.tag_name) continue;
    if (step.text && !step.text->Matches(element.text)) continue;
    if (step.href && !step.href->Matches(element.href)) continue;
    return i;
  }
  return kNoElement;
}

bool CompiledStep::Matches(const EventView& view, Known known) const noexcept {
  NoTrace no_trace;
  return EvaluateStep(*this, view, known, no_trace);
}

}  // namespace actiond::engine
