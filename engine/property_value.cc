#include "engine/property_value.h"

#include "engine/json_text_internal.h"

namespace actiond::engine {

PropertyValue::PropertyValue(simdjson::dom::element element) noexcept : element_(element) {
  switch (element.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      kind_ = Kind::kNull;
      break;
    case simdjson::dom::element_type::BOOL:
      kind_ = Kind::kBool;
      break;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      kind_ = Kind::kNumber;
      break;
    case simdjson::dom::element_type::STRING:
      kind_ = Kind::kString;
      break;
    case simdjson::dom::element_type::ARRAY:
      kind_ = Kind::kArray;
      break;
    case simdjson::dom::element_type::OBJECT:
      kind_ = Kind::kObject;
      break;
  }
}

bool PropertyValue::boolean() const noexcept {
  return kind_ == Kind::kBool && element_.get_bool().value_unsafe();
}

double PropertyValue::number() const noexcept {
  if (kind_ != Kind::kNumber) return 0;
  switch (element_.type()) {
    case simdjson::dom::element_type::INT64:
      return static_cast<double>(element_.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return static_cast<double>(element_.get_uint64().value_unsafe());
    default:
      return element_.get_double().value_unsafe();
  }
}

std::string_view PropertyValue::string() const noexcept {
  if (kind_ != Kind::kString) return {};
  return element_.get_string().value_unsafe();
}

std::string_view PropertyValue::ComparisonForm(std::string* scratch) const {
  switch (kind_) {
    case Kind::kString:
      return string();
    case Kind::kBool:
      return boolean() ? "true" : "false";
    case Kind::kNumber:
      scratch->clear();
      AppendJsNumber(number(), scratch);
      return *scratch;
    case Kind::kArray:
    case Kind::kObject:
      scratch->clear();
      AppendJsJson(element_, scratch);
      return *scratch;
    case Kind::kMissing:
    case Kind::kNull:
      break;
  }
  return "null";
}

}  // namespace actiond::engine
