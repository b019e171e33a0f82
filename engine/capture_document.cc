#include "engine/capture_document_internal.h"

namespace actiond::engine {

void CaptureDocument::StartEvents(size_t events) { properties_.assign(events, EventProperties{}); }

void CaptureDocument::SetProperties(size_t index, simdjson::dom::object properties) {
  if (index >= properties_.size()) properties_.resize(index + 1);
  properties_[index] = {true, properties};
}

bool CaptureDocument::Properties(size_t index, simdjson::dom::object* out) const noexcept {
  if (index >= properties_.size() || !properties_[index].present) return false;
  *out = properties_[index].object;
  return true;
}

void CaptureDocument::ReleaseIfLarge() {
  if (dom_.capacity() <= kKeptCapacity) return;
  dom_ = simdjson::dom::document();  // frees both buffers; the next parse allocates its own
  properties_.clear();
  properties_.shrink_to_fit();
}

}  // namespace actiond::engine
