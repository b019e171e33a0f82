// The stored event record (the shape documented in event_view.h) of a captured event.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/capture_payload.h"

namespace actiond::engine {

// Writes (replacing *out) the record
//   {"uuid","event","distinct_id","timestamp": "YYYY-MM-DDTHH:MM:SS.mmmZ","properties": {…},
//    "elements_chain"?,"person_id"?,"person_properties"?}
// `elements_chain` only when the event has a non-empty top-level one; `person_id` only when
// non-empty; `person_properties` (compact JSON object text, written as given) only when
// non-empty. Members appear in this order.
void BuildEventRecord(const CapturedEvent& event, std::string_view person_id,
                      std::string_view person_properties_json, std::string* out);

}  // namespace actiond::engine
