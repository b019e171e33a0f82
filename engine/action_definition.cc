#include "engine/action_definition.h"

#include <simdjson.h>

#include "engine/json_error.h"
#include "engine/json_parse.h"
#include "engine/json_text_internal.h"

namespace actiond::engine {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// DRF's CharField: strings as they are, integers as their decimal text, anything else invalid.
Result<std::optional<std::string>> OptionalString(element value, std::string_view attr) {
  switch (value.type()) {
    case element_type::NULL_VALUE:
      return std::optional<std::string>();
    case element_type::STRING:
      return std::optional<std::string>(std::string(value.get_string().value_unsafe()));
    case element_type::INT64:
      return std::optional<std::string>(std::to_string(value.get_int64().value_unsafe()));
    case element_type::UINT64:
      return std::optional<std::string>(std::to_string(value.get_uint64().value_unsafe()));
    default:
      return InvalidInput("Not a valid string.", attr);
  }
}

Result<std::optional<bool>> OptionalBool(element value, std::string_view attr) {
  if (value.is_null()) return std::optional<bool>();
  bool out = false;
  if (value.get_bool().get(out) != simdjson::SUCCESS) {
    return InvalidInput("Must be a valid boolean.", attr);
  }
  return std::optional<bool>(out);
}

Result<std::vector<std::string>> StringList(element value, std::string_view attr) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return InvalidInput("Expected a list of items.", attr);
  }
  size_t index = 0;
  for (element item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return InvalidInput("Not a valid string.", std::string(attr) + "__" + std::to_string(index));
    }
    out.emplace_back(text);
    ++index;
  }
  return out;
}

Result<ActionStep> ParseStep(element value) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidInput("Invalid data. Expected a dictionary.", "");
  }
  ActionStep step;
  struct Field {
    std::string_view key;
    std::optional<std::string> ActionStep::*member;
  };
  static constexpr Field kStringFields[] = {
      {"id", &ActionStep::id},
      {"event", &ActionStep::event},
      {"url", &ActionStep::url},
      {"url_matching", &ActionStep::url_matching},
      {"tag_name", &ActionStep::tag_name},
      {"text", &ActionStep::text},
      {"text_matching", &ActionStep::text_matching},
      {"href", &ActionStep::href},
      {"href_matching", &ActionStep::href_matching},
      {"selector", &ActionStep::selector},
      {"name", &ActionStep::name},
  };
  for (const Field& field : kStringFields) {
    element member;
    if (object[field.key].get(member) != simdjson::SUCCESS) continue;
    ACTIOND_ASSIGN_OR_RETURN(step.*field.member, OptionalString(member, field.key));
  }
  element properties;
  if (object["properties"].get(properties) == simdjson::SUCCESS) {
    if (properties.is_array()) {
      step.properties_json.clear();
      AppendJsJson(properties, &step.properties_json);
    } else if (properties.is_object() && properties.get_object().value_unsafe().size() == 0) {
      // An empty object is what PostHog's published schema example sends for "no filters".
    } else if (!properties.is_null()) {
      return InvalidInput("Expected a list of property filters.", "properties");
    }
  }
  return step;
}

Result<std::vector<ActionStep>> ParseSteps(element value) {
  std::vector<ActionStep> steps;
  if (value.is_null()) return steps;
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return InvalidInput("Expected a list of items but got type \"" +
                            std::string(value.is_object() ? "dict" : "str") + "\".",
                        "steps");
  }
  size_t index = 0;
  for (element item : array) {
    auto step = ParseStep(item);
    if (!step.ok()) return step.status().WithAttrPrefix("steps__" + std::to_string(index));
    steps.push_back(std::move(*step));
    ++index;
  }
  return steps;
}

}  // namespace

Result<ActionRequest> ParseActionRequest(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  if (const simdjson::error_code error = ParseJson(parser, json, &root, &scratch)) {
    return Status(
        StatusCode::kParseError,
        "JSON parse error - " + MalformedJsonMessage(json, simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return Status(StatusCode::kParseError, "Invalid data. Expected a dictionary.");
  }
  ActionRequest request;
  element value;
  if (object["name"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.name, OptionalString(value, "name"));
  }
  if (object["description"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.description, OptionalString(value, "description"));
  }
  if (object["slack_message_format"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.slack_message_format,
                             OptionalString(value, "slack_message_format"));
  }
  if (object["last_calculated_at"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.last_calculated_at,
                             OptionalString(value, "last_calculated_at"));
  }
  if (object["tags"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.tags, StringList(value, "tags"));
  }
  if (object["post_to_slack"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.post_to_slack, OptionalBool(value, "post_to_slack"));
  }
  if (object["deleted"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.deleted, OptionalBool(value, "deleted"));
  }
  if (object["steps"].get(value) == simdjson::SUCCESS) {
    ACTIOND_ASSIGN_OR_RETURN(request.steps, ParseSteps(value));
  }
  return request;
}

Result<std::vector<ActionStep>> ParseActionSteps(std::string_view steps_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  if (ParseJson(parser, steps_json, &root, &scratch) != simdjson::SUCCESS) {
    return Status(StatusCode::kParseError, "steps are not valid JSON", "steps");
  }
  return ParseSteps(root);
}

Result<std::vector<ActionListEntry>> ParseActionList(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  if (ParseJson(parser, json, &root, &scratch) != simdjson::SUCCESS) {
    return Status(StatusCode::kParseError, "the action list is not valid JSON");
  }
  simdjson::dom::array array;
  if (root.get_array().get(array) != simdjson::SUCCESS &&
      root["actions"].get_array().get(array) != simdjson::SUCCESS &&
      root["results"].get_array().get(array) != simdjson::SUCCESS) {
    return InvalidInput("expected an array of actions, or an object with `actions` or `results`");
  }
  std::vector<ActionListEntry> out;
  size_t index = 0;
  for (element item : array) {
    const std::string attr = "actions__" + std::to_string(index++);
    ActionListEntry entry;
    if (item["id"].get_int64().get(entry.id) != simdjson::SUCCESS) {
      return Required("every action needs an integer id", attr + "__id");
    }
    std::string_view name;
    if (item["name"].get_string().get(name) == simdjson::SUCCESS) entry.name = name;
    bool deleted = false;
    if (item["deleted"].get_bool().get(deleted) == simdjson::SUCCESS) entry.deleted = deleted;
    element steps;
    if (item["steps"].get(steps) == simdjson::SUCCESS) {
      auto parsed = ParseSteps(steps);
      if (!parsed.ok()) return parsed.status().WithAttrPrefix(attr);
      entry.steps = std::move(*parsed);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace actiond::engine
