#include "engine/event_reader.h"

#include <simdjson.h>

#include "engine/date_time.h"
#include "engine/event_view.h"
#include "engine/json_parse.h"

namespace actiond::engine {

// Holds the parser whose memory every EventView of this reader points into.
class EventReaderImpl {
 public:
  Result<const EventView*> Read(std::string_view record, bool fresh);

 private:
  static std::string_view StringField(simdjson::dom::object object, std::string_view key) {
    std::string_view out;
    if (object[key].get_string().get(out) != simdjson::SUCCESS) return {};
    return out;
  }

  simdjson::dom::parser parser_;
  std::string scratch_;  // a record rewritten by ParseJson lives here while its view is used
  EventView view_;
};

Result<const EventView*> EventReaderImpl::Read(std::string_view record, bool fresh) {
  view_.Reset();
  simdjson::dom::element document;
  simdjson::dom::object root;
  const JsonOrigin origin = fresh ? JsonOrigin::kWrittenFromParsedJson : JsonOrigin::kUnchecked;
  if (ParseJson(parser_, record, &document, &scratch_, origin) != simdjson::SUCCESS ||
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

  if (view_.has_properties_) {
    view_.current_url_ = StringField(view_.properties_, "$current_url");
  }

  // Element source precedence (docs/semantics.md §8.3): an empty source falls through to the next.
  view_.elements_chain_ = StringField(root, "elements_chain");
  if (view_.elements_chain_.empty() && view_.has_properties_) {
    view_.elements_chain_ = StringField(view_.properties_, "$elements_chain");
    if (view_.elements_chain_.empty()) {
      view_.has_elements_array_ = view_.properties_["$elements"].get_array().get(
                                      view_.elements_array_) == simdjson::SUCCESS;
    }
  }
  return &view_;
}

EventReader::EventReader() : impl_(std::make_unique<EventReaderImpl>()) {}
EventReader::~EventReader() = default;

Result<const EventView*> EventReader::Read(std::string_view record, bool fresh) {
  return impl_->Read(record, fresh);
}

}  // namespace actiond::engine
