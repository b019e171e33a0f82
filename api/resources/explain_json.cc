#include "api/resources/explain_json.h"

#include "api/http/json_writer.h"

namespace actiond::api {
namespace {

bool IsElementCondition(const engine::ConditionExplanation& c) {
  return c.field == "tag_name" || c.field == "text" || c.field == "href" || c.field == "selector" ||
         c.filter_type == "element";
}

void WriteCondition(const engine::ConditionExplanation& c, JsonWriter& json) {
  json.BeginObject().Member("field", c.field).Key("expected").Raw(c.expected_json);
  if (!c.op.empty()) {
    json.Member("operator", c.op).Member("type", c.filter_type).Member("key", c.key);
  } else if (!c.matching.empty()) {
    json.Member("matching", c.matching);
  }
  json.Key("actual");
  if (c.actual_json) {
    json.Raw(*c.actual_json);
  } else {
    json.Null();
  }
  if (IsElementCondition(c)) {
    json.Key("element_index");
    if (c.element_index) {
      json.Uint(*c.element_index);
    } else {
      json.Null();
    }
  }
  json.Key("passed").Bool(c.passed).Member("reason", c.reason).EndObject();
}

}  // namespace

void AppendExplanationJson(const engine::ActionExplanation& explanation, std::string* out) {
  JsonWriter json(*out);
  json.BeginObject().Key("matched").Bool(explanation.matched).Key("steps").BeginArray();
  for (const engine::StepExplanation& step : explanation.steps) {
    json.BeginObject().Key("index").Uint(step.index).Key("matched").Bool(step.matched);
    json.Key("conditions").BeginArray();
    for (const engine::ConditionExplanation& c : step.conditions) WriteCondition(c, json);
    json.EndArray().EndObject();
  }
  json.EndArray().EndObject();
}

}  // namespace actiond::api
