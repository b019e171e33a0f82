#include "engine/capture_record.h"

#include "engine/date_time.h"
#include "engine/json_text.h"

namespace actiond::engine {

void BuildEventRecord(const CapturedEvent& event, std::string_view person_id,
                      std::string_view person_properties_json, std::string* out) {
  out->clear();
  out->reserve(event.properties_json.size() + person_properties_json.size() +
               event.elements_chain.size() + 192);
  out->append("{\"uuid\":");
  AppendJsonString(event.uuid, out);
  out->append(",\"event\":");
  AppendJsonString(event.event, out);
  out->append(",\"distinct_id\":");
  AppendJsonString(event.distinct_id, out);
  out->append(",\"timestamp\":\"");
  AppendIso8601(event.timestamp_ms, out);
  out->append("\",\"properties\":");
  out->append(event.properties_json.empty() ? std::string_view("{}")
                                            : std::string_view(event.properties_json));
  if (!event.elements_chain.empty()) {
    out->append(",\"elements_chain\":");
    AppendJsonString(event.elements_chain, out);
  }
  if (!person_id.empty()) {
    out->append(",\"person_id\":");
    AppendJsonString(person_id, out);
  }
  if (!person_properties_json.empty()) {
    out->append(",\"person_properties\":");
    out->append(person_properties_json);
  }
  out->push_back('}');
}

}  // namespace actiond::engine
