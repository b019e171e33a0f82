#include "api/http/request_body.h"

namespace actiond::api {

Result<engine::JsonValue> ParseJsonObjectBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return engine::JsonValue::Object({});
  }
  ACTIOND_ASSIGN_OR_RETURN(engine::JsonValue value, engine::ParseJsonValue(body));
  if (!value.is_object()) {
    return Status(StatusCode::kParseError, "JSON parse error - the body must be a JSON object");
  }
  return value;
}

}  // namespace actiond::api
