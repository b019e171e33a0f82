// EventReader: turns a stored event record (JSON; the shape is in event_view.h), or an event
// just captured, into the view the matcher reads. One per thread: it owns reusable simdjson
// parsers and element buffers, so reading an event allocates nothing once the buffers have
// grown.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

class EventView;
class EventReaderImpl;
class CaptureDocument;
struct CapturedEvent;

class EventReader {
 public:
  EventReader();
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Parses `record`. Errors: InvalidInput when it is not a JSON object with a string `event`.
  // The view is valid until the next Read or ReadCaptured on this reader; `record` need not
  // outlive the call (the parser keeps its own padded copy).
  Result<const EventView*> Read(std::string_view record);

  // The view of a captured event that Read would give of the record BuildEventRecord
  // (capture_record.h) writes of it with these person properties, without writing and parsing
  // that record (docs/architecture.md §3, one parse per event). Its properties are read from
  // `parsed`, the document of the request it came from (CaptureRequest::parsed, event `index`);
  // when `parsed` is null (an event decoded from a cluster log record) they are parsed from
  // event.properties_json. `person_properties_json` (a JSON object, or empty for none) is
  // parsed only if a filter asks for a person property. `event`, `parsed` and the text must
  // outlive the view. Errors: InvalidInput when event.properties_json is not a JSON object.
  Result<const EventView*> ReadCaptured(const CapturedEvent& event, const CaptureDocument* parsed,
                                        size_t index, std::string_view person_properties_json);

 private:
  std::unique_ptr<EventReaderImpl> impl_;
};

}  // namespace actiond::engine
