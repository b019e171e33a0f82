// EventReader: turns a stored event record (JSON; the shape is in event_view.h) into the view
// the matcher reads. One per thread: it owns a reusable simdjson parser and element buffers,
// so reading an event allocates nothing once the buffers have grown.
#pragma once

#include <memory>
#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

class EventView;
class EventReaderImpl;

class EventReader {
 public:
  EventReader();
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Parses `record`. Errors: InvalidInput when it is not a JSON object with a string `event`.
  // The view is valid until the next Read() on this reader; `record` need not outlive the call
  // (the parser keeps its own padded copy). `fresh` says the record was just written from a
  // parsed capture event, so it cannot repeat a key (json_parse.h, JsonOrigin); a stored record
  // read back later is checked.
  Result<const EventView*> Read(std::string_view record, bool fresh = false);

 private:
  std::unique_ptr<EventReaderImpl> impl_;
};

}  // namespace actiond::engine
