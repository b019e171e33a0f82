// CaptureDocument: the parsed body a capture request's events were read from, kept with the
// request so that matching reads each event's properties from the parse that validated them
// instead of parsing the stored record again (docs/architecture.md §3, one parse per event).
//
// It holds only simdjson's document (the tape and the strings), not the parser's indexes: a
// parser stays with its I/O thread while the document travels with the request to the apply
// stage. Pooled with its request, so its buffers keep their capacity from one body to the next
// unless a body made them larger than a pool should keep (ReleaseIfLarge).
//
// Engine-internal (simdjson types); other modules see it only as a forward declaration.
// Not thread-safe; one thread at a time, as its request.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <vector>

namespace actiond::engine {

class CaptureDocument {
 public:
  // Where CapturePayloadParser parses the body; elements read from it live until the next
  // parse into it.
  simdjson::dom::document& dom() noexcept { return dom_; }

  // Forgets the previous body's events and makes room for `events`.
  void StartEvents(size_t events);
  // Records event `index`'s `properties` object (an event without one records nothing).
  void SetProperties(size_t index, simdjson::dom::object properties);
  // Event `index`'s properties object; false when the event had none or `index` is beyond the
  // events of the last parse.
  bool Properties(size_t index, simdjson::dom::object* out) const noexcept;

  // Frees the buffers when the last body made them larger than kKeptCapacity, so that a pool
  // of requests does not hold the memory of its largest body for ever.
  void ReleaseIfLarge();

  // Body bytes whose buffers (about ten bytes per body byte) a pooled request keeps: a batch of
  // 100 posthog-js events is about 60 KiB, and a pool of 64 requests then holds at most 80 MiB.
  static constexpr size_t kKeptCapacity = size_t{128} << 10;

 private:
  struct EventProperties {
    bool present = false;
    simdjson::dom::object object;
  };

  simdjson::dom::document dom_;
  std::vector<EventProperties> properties_;
};

}  // namespace actiond::engine
