// The one way the code base parses JSON documents (simdjson's DOM parser), accepting what
// JavaScript's JSON.parse accepts and reading it as JSON.parse does (docs/semantics.md §8.10).
// Every simdjson DOM parse in engine/, storage/ and api/ goes through ParseJson, so
// no path can read a document differently from another.
//
// - Integers of any size: simdjson 3.0 refuses integer literals that do not fit 64 bits
//   (`100000000000000000000`). ParseJson then retries with those literals rewritten as decimals
//   (`…000.0`), which simdjson reads as the same double JavaScript would. A number beyond the
//   range of a double (`1e400`), which JSON.parse reads as Infinity and JSON.stringify writes
//   as null, is rewritten as null: no JSON number makes a document unreadable.
// - Duplicate keys: the last one wins, at the position of the first (as JSON.parse builds the
//   object). simdjson keeps every member and its lookup finds the first, so a document with a
//   repeated key in any object is rewritten without the repeats and parsed again.
// Every other input is parsed once, as is; the duplicate check walks the parsed tree once and
// allocates nothing unless a repeat is found.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace actiond::engine {

// Where a document comes from. A record the ingest pipeline has just written from a parsed
// document (whose repeats ParseJson already dropped) cannot repeat a key, so the hot path skips
// the duplicate walk for it; anything else — a client's body, a stored record that an older
// version may have written — is checked.
enum class JsonOrigin : unsigned char { kUnchecked, kWrittenFromParsedJson };

// Parses `json` with `parser`. On success `*root` points into parser memory (valid until the
// parser's next parse), or into `*document` when one is given: a document outlives the
// parser's next parse and can travel to another thread (engine/capture_document.h). `scratch`
// holds the rewritten text when a retry was needed.
simdjson::error_code ParseJson(simdjson::dom::parser& parser, std::string_view json,
                               simdjson::dom::element* root, std::string* scratch,
                               JsonOrigin origin = JsonOrigin::kUnchecked,
                               simdjson::dom::document* document = nullptr);

// Appends `json` to `out` with every integer literal outside strings that has more than 18
// digits (no fraction, no exponent) given a `.0` fraction, and every number beyond the range
// of a double replaced by null. Exposed for tests.
void WidenBigIntegers(std::string_view json, std::string* out);

// True when some object in `value` (at any depth) has a key twice. Exposed for tests.
bool HasDuplicateKeys(simdjson::dom::element value);

// Appends `value` as compact JSON with every repeated key dropped except that its last value
// takes the first one's place. Numbers keep their value: integers as written, doubles in their
// shortest round-trip form. Exposed for tests.
void AppendWithoutDuplicateKeys(simdjson::dom::element value, std::string* out);

}  // namespace actiond::engine
