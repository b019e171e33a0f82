#include "engine/json_value.h"

#include <simdjson.h>

#include "engine/json_error.h"
#include "engine/json_parse.h"
#include "engine/json_text.h"

namespace actiond::engine {
namespace {

JsonValue FromElement(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::ARRAY: {
      const simdjson::dom::array array = element.get_array().value_unsafe();
      std::vector<JsonValue> items;
      items.reserve(array.size());
      for (simdjson::dom::element item : array) items.push_back(FromElement(item));
      return JsonValue::Array(std::move(items));
    }
    case simdjson::dom::element_type::OBJECT: {
      const simdjson::dom::object object = element.get_object().value_unsafe();
      std::vector<JsonValue::Member> members;
      members.reserve(object.size());
      for (simdjson::dom::key_value_pair field : object) {
        members.emplace_back(std::string(field.key), FromElement(field.value));
      }
      return JsonValue::Object(std::move(members));
    }
    case simdjson::dom::element_type::INT64: {
      const int64_t v = element.get_int64().value_unsafe();
      return JsonValue::Number(static_cast<double>(v), v);
    }
    case simdjson::dom::element_type::UINT64:
      return JsonValue::Number(static_cast<double>(element.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE:
      return JsonValue::Number(element.get_double().value_unsafe());
    case simdjson::dom::element_type::STRING:
      return JsonValue::String(std::string(element.get_string().value_unsafe()));
    case simdjson::dom::element_type::BOOL:
      return JsonValue::Bool(element.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      break;
  }
  return JsonValue();
}

}  // namespace

JsonValue JsonValue::Bool(bool value) {
  JsonValue v;
  v.type_ = Type::kBool;
  v.bool_ = value;
  return v;
}

JsonValue JsonValue::Number(double value, std::optional<int64_t> exact_int) {
  JsonValue v;
  v.type_ = Type::kNumber;
  v.number_ = value;
  if (exact_int) {
    v.has_int_ = true;
    v.int_ = *exact_int;
  }
  return v;
}

JsonValue JsonValue::String(std::string value) {
  JsonValue v;
  v.type_ = Type::kString;
  v.string_ = std::move(value);
  return v;
}

JsonValue JsonValue::Array(std::vector<JsonValue> items) {
  JsonValue v;
  v.type_ = Type::kArray;
  v.items_ = std::move(items);
  return v;
}

JsonValue JsonValue::Object(std::vector<Member> members) {
  JsonValue v;
  v.type_ = Type::kObject;
  v.members_ = std::move(members);
  return v;
}

std::optional<int64_t> JsonValue::int_value() const noexcept {
  if (type_ != Type::kNumber || !has_int_) return std::nullopt;
  return int_;
}

const JsonValue* JsonValue::Find(std::string_view key) const noexcept {
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

bool JsonValue::Truthy() const noexcept {
  switch (type_) {
    case Type::kNull:
      return false;
    case Type::kBool:
      return bool_;
    case Type::kNumber:
      return number_ != 0;
    case Type::kString:
      return !string_.empty();
    case Type::kArray:
      return !items_.empty();
    case Type::kObject:
      return !members_.empty();
  }
  return false;
}

void JsonValue::AppendJson(std::string* out) const {
  switch (type_) {
    case Type::kNull:
      out->append("null");
      return;
    case Type::kBool:
      out->append(bool_ ? "true" : "false");
      return;
    case Type::kNumber:
      AppendJsNumber(number_, out);
      return;
    case Type::kString:
      AppendJsonString(string_, out);
      return;
    case Type::kArray: {
      out->push_back('[');
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out->push_back(',');
        items_[i].AppendJson(out);
      }
      out->push_back(']');
      return;
    }
    case Type::kObject: {
      out->push_back('{');
      for (size_t i = 0; i < members_.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(members_[i].first, out);
        out->push_back(':');
        members_[i].second.AppendJson(out);
      }
      out->push_back('}');
      return;
    }
  }
}

std::string JsonValue::ToJson() const {
  std::string out;
  AppendJson(&out);
  return out;
}

Result<JsonValue> ParseJsonValue(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  thread_local std::string scratch;
  simdjson::dom::element root;
  if (const simdjson::error_code error = ParseJson(parser, text, &root, &scratch); error) {
    // DRF's words, then where (engine/json_error.h), as Python's json says "char 17".
    return Status(
        StatusCode::kParseError,
        "JSON parse error - " + MalformedJsonMessage(text, simdjson::error_message(error)));
  }
  return FromElement(root);
}

}  // namespace actiond::engine
