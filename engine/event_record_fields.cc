#include "engine/event_record_fields.h"

#include <simdjson.h>

#include <string>
#include <utility>

namespace actiond::engine {

// The on-demand API hands out raw_json() spans of the input, which is what keeps `properties`
// byte-for-byte as stored; the DOM API would re-serialise it.
class EventRecordFieldReaderImpl {
 public:
  simdjson::ondemand::parser parser;
  // The record plus simdjson's padding: raw views point here, decoded strings into the parser's
  // string buffer; both live until the next iterate().
  std::string buffer;
};

EventRecordFieldReader::EventRecordFieldReader()
    : impl_(std::make_unique<EventRecordFieldReaderImpl>()) {}
EventRecordFieldReader::~EventRecordFieldReader() = default;

namespace {

Status Corrupt(std::string_view what) {
  return Status(StatusCode::kCorruption, std::string("stored event record: ") + std::string(what));
}

}  // namespace

Result<EventRecordFields> EventRecordFieldReader::Read(std::string_view record) {
  std::string& buffer = impl_->buffer;
  buffer.reserve(record.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(record);
  simdjson::ondemand::document doc;
  if (impl_->parser
          .iterate(simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity()))
          .get(doc) != simdjson::SUCCESS) {
    return Corrupt("not JSON");
  }
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return Corrupt("not an object");

  EventRecordFields out;
  bool has_uuid = false, has_event = false, has_distinct_id = false, has_timestamp = false,
       has_properties = false;
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) {
      return Corrupt("malformed member");
    }
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return Corrupt("malformed key");
    simdjson::ondemand::value value = field.value();
    auto read_string = [&](std::string_view* target, bool* seen) -> bool {
      if (value.get_string().get(*target) != simdjson::SUCCESS) return false;
      if (seen != nullptr) *seen = true;
      return true;
    };
    bool ok = true;
    if (key == "uuid") {
      ok = read_string(&out.uuid, &has_uuid);
    } else if (key == "event") {
      ok = read_string(&out.event, &has_event);
    } else if (key == "distinct_id") {
      ok = read_string(&out.distinct_id, &has_distinct_id);
    } else if (key == "timestamp") {
      ok = read_string(&out.timestamp, &has_timestamp);
    } else if (key == "elements_chain") {
      ok = read_string(&out.elements_chain, nullptr);
    } else if (key == "person_id") {
      ok = read_string(&out.person_id, nullptr);
    } else if (key == "properties") {
      simdjson::ondemand::object properties;
      ok = value.get_object().get(properties) == simdjson::SUCCESS &&
           properties.raw_json().get(out.properties_json) == simdjson::SUCCESS;
      has_properties = ok;
    }  // other members (person_properties) are skipped by moving on to the next field
    if (!ok) return Corrupt(std::string("member '") + std::string(key) + "' has the wrong type");
  }
  if (!has_uuid || !has_event || !has_distinct_id || !has_timestamp || !has_properties) {
    return Corrupt("a required member is missing");
  }
  // raw_json() may include whitespace after the closing brace; records are compact, but trim
  // anyway so the text splices cleanly.
  while (!out.properties_json.empty() &&
         (out.properties_json.back() == ' ' || out.properties_json.back() == '\n' ||
          out.properties_json.back() == '\r' || out.properties_json.back() == '\t')) {
    out.properties_json.remove_suffix(1);
  }
  return out;
}

}  // namespace actiond::engine
