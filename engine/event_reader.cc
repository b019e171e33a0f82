#include "engine/event_reader.h"

#include <simdjson.h>

#include "engine/capture_document_internal.h"
#include "engine/capture_payload.h"
#include "engine/date_time.h"
#include "engine/event_view.h"
#include "engine/json_parse.h"

namespace actiond::engine {

// Holds the parser whose memory every EventView of this reader points into.
class EventReaderImpl {
 public:
  // The view's person properties, when pending, are always parsed with this reader's parser.
  EventReaderImpl() { view_.person_parser_ = &person_parser_; }

  Result<const EventView*> Read(std::string_view record);
  Result<const EventView*> ReadCaptured(const CapturedEvent& event, const CaptureDocument* parsed,
                                        size_t index, std::string_view person_properties_json);

 private:
  // What both kinds of view take from the event's properties (view_.properties_ set first) and
  // its top-level `elements_chain`.
  void ReadFromProperties(std::string_view top_level_elements_chain);

  static std::string_view StringField(simdjson::dom::object object, std::string_view key) {
    std::string_view out;
    if (object[key].get_string().get(out) != simdjson::SUCCESS) return {};
    return out;
  }

  simdjson::dom::parser parser_;
  std::string scratch_;  // a record rewritten by ParseJson lives here while its view is used
  LazyJsonParser person_parser_;
  EventView view_;
};

Result<const EventView*> EventReaderImpl::Read(std::string_view record) {
  view_.Reset();
  simdjson::dom::element document;
  simdjson::dom::object root;
  if (ParseJson(parser_, record, &document, &scratch_) != simdjson::SUCCESS ||
      document.get_object().get(root) != simdjson::SUCCESS) {
    return InvalidInput("event record is not a JSON object");
  }
  if (root["event"].get_string().get(view_.name_) != simdjson::SUCCESS) {
    return InvalidInput("event record has no string `event`");
  }
  view_.uuid_ = StringField(root, "uuid");
  view_.distinct_id_ = StringField(root, "distinct_id");

  simdjson::dom::element timestamp;
  if (root["timestamp"].get(timestamp) == simdjson::SUCCESS) {
    std::string_view text;
    int64_t millis = 0;
    if (timestamp.get_string().get(text) == simdjson::SUCCESS) {
      if (auto parsed = ParseIso8601(text)) view_.timestamp_ms_ = parsed->epoch_ms;
    } else if (timestamp.get_int64().get(millis) == simdjson::SUCCESS) {
      view_.timestamp_ms_ = millis;
    }
  }

  view_.has_properties_ =
      root["properties"].get_object().get(view_.properties_) == simdjson::SUCCESS;
  view_.has_person_properties_ =
      root["person_properties"].get_object().get(view_.person_properties_) == simdjson::SUCCESS;

  ReadFromProperties(StringField(root, "elements_chain"));
  return &view_;
}

Result<const EventView*> EventReaderImpl::ReadCaptured(const CapturedEvent& event,
                                                       const CaptureDocument* parsed, size_t index,
                                                       std::string_view person_properties_json) {
  view_.Reset();
  view_.name_ = event.event;
  view_.uuid_ = event.uuid;
  view_.distinct_id_ = event.distinct_id;
  view_.timestamp_ms_ = event.timestamp_ms;
  if (parsed != nullptr) {
    view_.has_properties_ = parsed->Properties(index, &view_.properties_);
  } else {
    // Written by a capture parser from its parsed body (cluster log records carry it so), so
    // it cannot repeat a key.
    simdjson::dom::element properties;
    if (ParseJson(parser_, event.properties_json, &properties, &scratch_,
                  JsonOrigin::kWrittenFromParsedJson) != simdjson::SUCCESS ||
        properties.get_object().get(view_.properties_) != simdjson::SUCCESS) {
      return InvalidInput("the event's properties are not a JSON object");
    }
    view_.has_properties_ = true;
  }
  view_.pending_person_properties_ = person_properties_json;  // parsed on first lookup
  ReadFromProperties(event.elements_chain);
  return &view_;
}

void EventReaderImpl::ReadFromProperties(std::string_view top_level_elements_chain) {
  if (view_.has_properties_) {
    view_.current_url_ = StringField(view_.properties_, "$current_url");
  }
  // Element source precedence (docs/semantics.md §8.3): an empty source falls through to the next.
  view_.elements_chain_ = top_level_elements_chain;
  if (view_.elements_chain_.empty() && view_.has_properties_) {
    view_.elements_chain_ = StringField(view_.properties_, "$elements_chain");
    if (view_.elements_chain_.empty()) {
      view_.has_elements_array_ = view_.properties_["$elements"].get_array().get(
                                      view_.elements_array_) == simdjson::SUCCESS;
    }
  }
}

EventReader::EventReader() : impl_(std::make_unique<EventReaderImpl>()) {}
EventReader::~EventReader() = default;

Result<const EventView*> EventReader::Read(std::string_view record) { return impl_->Read(record); }

Result<const EventView*> EventReader::ReadCaptured(const CapturedEvent& event,
                                                   const CaptureDocument* parsed, size_t index,
                                                   std::string_view person_properties_json) {
  return impl_->ReadCaptured(event, parsed, index, person_properties_json);
}

}  // namespace actiond::engine
