// EventView: one event as the matcher sees it: a stored event record read with simdjson
// (EventReader::Read), or an event just captured, read from the parse of its request
// (EventReader::ReadCaptured) — the same fields either way.
//
// Record shape (the same for live ingestion, backfill and the command-line tool; PostHog's
// post-ingestion event):
//   {"uuid", "event", "distinct_id", "timestamp": ISO-8601, "properties": {…},
//    "elements_chain"?: "…", "person_id"?: "…", "person_properties"?: {…}}
// Properties are not copied: lookups walk the parsed document. Person properties of a captured
// event are parsed on the first lookup (most events meet no person filter). Elements are
// parsed lazily on first use, from (in this order of precedence, docs/semantics.md §8.3) the
// top-level `elements_chain`, the property `$elements_chain`, or the `$elements` array.
//
// Engine-internal (simdjson types); other modules use EventReader (event_reader.h).
// Not thread-safe; views returned live until the owning EventReader reads the next record.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/element.h"
#include "engine/property_value.h"

namespace actiond::engine {

// The parser a captured event's person properties are read with, owned by its EventReader.
struct LazyJsonParser {
  simdjson::dom::parser parser;
  std::string scratch;
};

class EventView {
 public:
  std::string_view name() const noexcept { return name_; }
  std::string_view uuid() const noexcept { return uuid_; }
  std::string_view distinct_id() const noexcept { return distinct_id_; }
  // Milliseconds since the Unix epoch, UTC; relative dates count back from it.
  int64_t timestamp_ms() const noexcept { return timestamp_ms_; }

  PropertyValue Property(std::string_view key) const noexcept;
  PropertyValue PersonProperty(std::string_view key) const noexcept;
  // `$current_url` when it is a non-empty string; empty otherwise (a URL condition then fails).
  std::string_view current_url() const noexcept { return current_url_; }

  // The event's elements (possibly empty), parsed on first call.
  const ElementList& elements() const noexcept;
  // The chain the elements are read from (top-level `elements_chain`, else the property
  // `$elements_chain`); empty when there is none (then they come from `$elements`, if any).
  std::string_view elements_chain_source() const noexcept { return elements_chain_; }

 private:
  friend class EventReaderImpl;
  void Reset() noexcept;
  void ParsePendingPersonProperties() const noexcept;

  std::string_view name_, uuid_, distinct_id_, current_url_;
  int64_t timestamp_ms_ = 0;
  simdjson::dom::object properties_;
  bool has_properties_ = false;
  mutable simdjson::dom::object person_properties_;
  mutable bool has_person_properties_ = false;
  // Set by ReadCaptured: the person properties' JSON text, parsed on first lookup with
  // *person_parser_ (the owning reader's, set once when the reader is made).
  mutable std::string_view pending_person_properties_;
  LazyJsonParser* person_parser_ = nullptr;
  std::string_view elements_chain_;      // chosen chain source, if any
  simdjson::dom::array elements_array_;  // `$elements`, when no chain
  bool has_elements_array_ = false;
  mutable bool elements_parsed_ = false;
  mutable ElementList elements_;
};

}  // namespace actiond::engine
