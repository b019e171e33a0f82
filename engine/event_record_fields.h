// EventRecordFieldReader: the top-level members of a stored event record (the shape in
// event_view.h and capture_record.h) as the read API shows them, with `properties` handed out as
// the record's own JSON text (no re-serialisation, so numbers and key order stay as stored).
//
// Errors: kCorruption when `record` is not a JSON object with string `uuid`, `event`,
// `distinct_id` and `timestamp` and an object `properties` (stored records always have them).
//
// Thread-safety: not thread-safe; one reader per thread. Lifetime: every view in the result
// points into the reader's own copy of the record and lives until the next Read().
#pragma once

#include <memory>
#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

struct EventRecordFields {
  std::string_view uuid;
  std::string_view event;
  std::string_view distinct_id;
  std::string_view timestamp;        // ISO-8601 as stored
  std::string_view properties_json;  // compact JSON object text
  std::string_view elements_chain;   // empty when the record has none
  std::string_view person_id;        // empty when the event has no person
};

class EventRecordFieldReaderImpl;

class EventRecordFieldReader {
 public:
  EventRecordFieldReader();
  ~EventRecordFieldReader();
  EventRecordFieldReader(const EventRecordFieldReader&) = delete;
  EventRecordFieldReader& operator=(const EventRecordFieldReader&) = delete;

  Result<EventRecordFields> Read(std::string_view record);

 private:
  std::unique_ptr<EventRecordFieldReaderImpl> impl_;
};

}  // namespace actiond::engine
