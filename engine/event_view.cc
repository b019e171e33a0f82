#include "engine/event_view.h"

#include "engine/elements_array.h"
#include "engine/elements_chain.h"
#include "engine/event_view_fields.h"
#include "engine/json_parse.h"

namespace actiond::engine {

namespace {

PropertyValue Lookup(bool present, simdjson::dom::object object, std::string_view key) noexcept {
  if (!present) return PropertyValue();
  simdjson::dom::element element;
  if (object.at_key(key).get(element) != simdjson::SUCCESS) return PropertyValue();
  return PropertyValue(element);
}

}  // namespace

PropertyValue EventView::Property(std::string_view key) const noexcept {
  return Lookup(has_properties_, properties_, key);
}

PropertyValue EventView::PersonProperty(std::string_view key) const noexcept {
  if (!pending_person_properties_.empty()) ParsePendingPersonProperties();
  return Lookup(has_person_properties_, person_properties_, key);
}

void EventView::ParsePendingPersonProperties() const noexcept {
  // The text is a person's properties as the ingest pipeline wrote them from parsed JSON, so
  // it cannot repeat a key (json_parse.h, JsonOrigin).
  simdjson::dom::element root;
  has_person_properties_ =
      ParseJson(person_parser_->parser, pending_person_properties_, &root, &person_parser_->scratch,
                JsonOrigin::kWrittenFromParsedJson) == simdjson::SUCCESS &&
      root.get_object().get(person_properties_) == simdjson::SUCCESS;
  pending_person_properties_ = {};
}

const ElementList& EventView::elements() const noexcept {
  if (!elements_parsed_) {
    elements_parsed_ = true;
    if (!elements_chain_.empty()) {
      ParseElementsChain(elements_chain_, &elements_);
    } else if (has_elements_array_) {
      ReadElementsArray(elements_array_, &elements_);
    }
  }
  return elements_;
}

void EventView::Reset() noexcept {
  name_ = uuid_ = distinct_id_ = current_url_ = elements_chain_ = {};
  timestamp_ms_ = 0;
  has_properties_ = has_person_properties_ = has_elements_array_ = false;
  pending_person_properties_ = {};
  elements_parsed_ = false;
  elements_.Clear();
}

}  // namespace actiond::engine

namespace actiond::engine {

std::string_view EventName(const EventView& event) noexcept { return event.name(); }
std::string_view EventUuid(const EventView& event) noexcept { return event.uuid(); }
std::string_view EventDistinctId(const EventView& event) noexcept { return event.distinct_id(); }
int64_t EventTimestampMs(const EventView& event) noexcept { return event.timestamp_ms(); }

}  // namespace actiond::engine
