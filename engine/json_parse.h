// Parsing JSON documents with simdjson's DOM parser, accepting what JavaScript accepts.
//
// simdjson 3.0 refuses integer literals that do not fit 64 bits (`1000000000000000000000`),
// which JSON allows and JavaScript clients send (they read them as doubles). ParseJson retries
// such a document with those literals rewritten as decimals (`…000.0`), which simdjson reads as
// the same double JavaScript would; every other input is parsed once, as is.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace actiond::engine {

// Parses `json` with `parser`. On success `*root` points into parser memory (valid until the
// parser's next parse). `scratch` holds the rewritten text when a retry was needed.
simdjson::error_code ParseJson(simdjson::dom::parser& parser, std::string_view json,
                               simdjson::dom::element* root, std::string* scratch);

// Appends `json` to `out` with every integer literal outside strings that has more than 18
// digits given a `.0` fraction. Exposed for tests.
void WidenBigIntegers(std::string_view json, std::string* out);

}  // namespace actiond::engine
