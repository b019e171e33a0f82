// Reading a REST request's JSON body (DRF's JSONParser): the body must be one JSON object; an
// empty body reads as `{}` (DRF's request.data for a bodiless request).
// Errors: kParseError "JSON parse error - …" (400 parse_error) for malformed JSON or a body that
// is not an object. Thread-safety: pure.
#pragma once

#include <string_view>

#include "engine/json_value.h"
#include "engine/status.h"

namespace actiond::api {

Result<engine::JsonValue> ParseJsonObjectBody(std::string_view body);

}  // namespace actiond::api
