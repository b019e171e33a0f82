#include "engine/explain_request.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "engine/capture_payload.h"
#include "engine/capture_record.h"
#include "engine/json_error.h"
#include "engine/json_parse.h"
#include "engine/json_text_internal.h"
#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

// A posted event's uuid never reaches the store, so zero bytes do for one that has none.
class ZeroRandom final : public RandomSource {
 public:
  void Fill(uint8_t* out, size_t size) override { std::memset(out, 0, size); }
};

// The capture parser needs a request token; the posted event is explained in the project the
// route names, whatever token it carries, so any fixed one does.
constexpr std::string_view kExplainToken = "phc_explain";

bool Member(simdjson::dom::object object, std::string_view key, simdjson::dom::element* out) {
  return object[key].get(*out) == simdjson::SUCCESS;
}

}  // namespace

Result<ExplainSubject> ParseExplainSubject(std::string_view body) {
  if (body.size() > kMaxExplainBodyBytes) {
    return Status(StatusCode::kInvalidInput,
                  StrCat({"The request body is larger than ", std::to_string(kMaxExplainBodyBytes),
                          " bytes."}),
                  "event");
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  if (const simdjson::error_code error = ParseJson(parser, body, &root, &scratch)) {
    return Status(
        StatusCode::kParseError,
        "JSON parse error - " + MalformedJsonMessage(body, simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return Status(StatusCode::kParseError, "Expected a JSON object.");
  }
  ExplainSubject subject;
  simdjson::dom::element value;
  if (Member(object, "uuid", &value) && !value.is_null()) {
    std::string_view uuid;
    if (value.get_string().get(uuid) != simdjson::SUCCESS) {
      return InvalidInput("Not a valid string.", "uuid");
    }
    std::string lower(uuid);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    subject.uuid = std::move(lower);
  }
  if (Member(object, "event", &value) && !value.is_null()) {
    if (!value.is_object()) return InvalidInput("Expected an event object.", "event");
    if (subject.uuid) return InvalidInput("Give either uuid or event, not both.", "uuid");
    std::string json;
    AppendJsJson(value, &json);
    subject.event_json = std::move(json);
  }
  if (Member(object, "person_properties", &value) && !value.is_null()) {
    if (!value.is_object()) {
      return InvalidInput("Expected an object of person properties.", "person_properties");
    }
    subject.person_properties_json.clear();
    AppendJsJson(value, &subject.person_properties_json);
  }
  if (!subject.uuid && !subject.event_json) {
    return Required("Give \"uuid\" (a stored event) or \"event\" (an event as sent to /capture).",
                    "uuid");
  }
  return subject;
}

Result<std::string> ExplainEventRecord(std::string_view event_json,
                                       std::string_view person_properties_json, int64_t now_ms) {
  ZeroRandom random;
  CaptureOptions options;
  options.now_ms = now_ms;
  options.external_token = kExplainToken;
  options.random = &random;
  CapturePayloadParser parser;
  CaptureRequest request;
  // Inside a batch, the event's own `api_key`/`token` are not request-level tokens.
  const std::string body = StrCat({"{\"batch\":[", event_json, "]}"});
  Status parsed = parser.Parse(body, options, &request);
  if (!parsed.ok()) {
    // The parser numbers events ("event 0: …"); there is only the one.
    std::string_view message = parsed.message();
    if (message.starts_with("event 0: ")) message.remove_prefix(9);
    return Status(StatusCode::kInvalidInput, message, "event");
  }
  if (request.events.size() != 1) return InvalidInput("Expected one event.", "event");
  std::string record;
  BuildEventRecord(request.events[0], "", person_properties_json, &record);
  return record;
}

}  // namespace actiond::engine
