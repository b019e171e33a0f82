// MessageScratch's insides, shared by message_template.cc and webhook_body.cc (engine-internal:
// it names simdjson, which stays out of the public headers).
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "engine/message_template.h"

namespace actiond::engine {

struct MessageScratch::Impl {
  simdjson::dom::parser event_parser;
  simdjson::dom::parser person_parser;
  std::string widen_scratch;  // ParseJson's rewrite buffer
  std::string value;          // one token's value before escaping
  std::string link;           // one link's URL before escaping
  std::string message;        // RenderWebhookBody's rendered text
};

// Parses `json` with `parser` into *root when it is one JSON object; false otherwise (empty,
// malformed, or another type). *root is valid until `parser`'s next parse.
bool ParseJsonObject(simdjson::dom::parser& parser, std::string_view json, std::string* scratch,
                     simdjson::dom::element* root);

}  // namespace actiond::engine
