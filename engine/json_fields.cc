#include "engine/json_fields.h"

#include <simdjson.h>

#include "engine/json_parse.h"
#include "engine/json_text_internal.h"

namespace actiond::engine {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

struct ThreadParser {
  simdjson::dom::parser parser;
  std::string scratch;
};

ThreadParser& LocalParser() {
  thread_local ThreadParser parser;
  return parser;
}

Status Parse(std::string_view json, element* root) {
  ThreadParser& local = LocalParser();
  if (ParseJson(local.parser, json, root, &local.scratch) != simdjson::SUCCESS) {
    return Status(StatusCode::kParseError, "not valid JSON");
  }
  return Status::Ok();
}

void ToMember(element value, JsonMember* member) {
  member->text.clear();
  switch (value.type()) {
    case element_type::NULL_VALUE:
      member->kind = JsonMember::Kind::kNull;
      return;
    case element_type::STRING:
      member->kind = JsonMember::Kind::kString;
      member->text.assign(value.get_string().value_unsafe());
      return;
    case element_type::BOOL:
      member->kind = JsonMember::Kind::kBool;
      member->text = value.get_bool().value_unsafe() ? "true" : "false";
      return;
    case element_type::OBJECT:
      member->kind = JsonMember::Kind::kObject;
      break;
    case element_type::ARRAY:
      member->kind = JsonMember::Kind::kArray;
      break;
    default:
      member->kind = JsonMember::Kind::kNumber;
      break;
  }
  AppendJsJson(value, &member->text);
}

std::string JoinPath(std::string_view prefix, std::string_view part) {
  std::string path(prefix);
  if (!path.empty()) path.push_back('.');
  path.append(part);
  return path;
}

void Flatten(element value, const std::string& path, std::vector<FlatField>* out) {
  switch (value.type()) {
    case element_type::OBJECT: {
      // Name the object: a range-for over value_unsafe() of the temporary simdjson_result
      // would iterate a dangling reference.
      const simdjson::dom::object object = value.get_object().value_unsafe();
      for (auto [key, child] : object) {
        Flatten(child, JoinPath(path, key), out);
      }
      return;
    }
    case element_type::ARRAY: {
      size_t index = 0;
      const simdjson::dom::array array = value.get_array().value_unsafe();  // not a temporary
      for (element child : array) {
        Flatten(child, JoinPath(path, std::to_string(index++)), out);
      }
      return;
    }
    case element_type::NULL_VALUE:
      out->push_back({path, ""});
      return;
    case element_type::STRING:
      out->push_back({path, std::string(value.get_string().value_unsafe())});
      return;
    case element_type::BOOL:
      out->push_back({path, value.get_bool().value_unsafe() ? "True" : "False"});
      return;
    default: {
      FlatField field{path, ""};
      AppendJsJson(value, &field.text);
      out->push_back(std::move(field));
      return;
    }
  }
}

}  // namespace

Status ReadTopLevelMembers(std::string_view json, std::span<const std::string_view> keys,
                           std::vector<JsonMember>* out) {
  out->assign(keys.size(), JsonMember{});
  element root;
  ACTIOND_RETURN_IF_ERROR(Parse(json, &root));
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return Status(StatusCode::kParseError, "not a JSON object");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    element value;
    if (object[keys[i]].get(value) == simdjson::SUCCESS) ToMember(value, &(*out)[i]);
  }
  return Status::Ok();
}

Status FlattenJson(std::string_view json, std::string_view prefix, std::vector<FlatField>* out) {
  element root;
  ACTIOND_RETURN_IF_ERROR(Parse(json, &root));
  Flatten(root, std::string(prefix), out);
  return Status::Ok();
}

}  // namespace actiond::engine
