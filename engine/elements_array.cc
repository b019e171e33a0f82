#include "engine/elements_array.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace actiond::engine {
namespace {

constexpr std::string_view kRawAttributePrefix = "attr__";

bool GetString(simdjson::dom::element value, std::string_view* out) noexcept {
  return value.get_string().get(*out) == simdjson::SUCCESS;
}

// Integral JSON numbers within int32 (also `3.0`); anything else is no position.
void ReadPosition(simdjson::dom::element value, int32_t* out) noexcept {
  int64_t integer = 0;
  if (value.get_int64().get(integer) == simdjson::SUCCESS) {
    if (integer >= std::numeric_limits<int32_t>::min() &&
        integer <= std::numeric_limits<int32_t>::max()) {
      *out = static_cast<int32_t>(integer);
    }
    return;
  }
  double number = 0;
  if (value.type() == simdjson::dom::element_type::DOUBLE &&
      value.get_double().get(number) == simdjson::SUCCESS && std::trunc(number) == number &&
      number >= std::numeric_limits<int32_t>::min() &&
      number <= std::numeric_limits<int32_t>::max()) {
    *out = static_cast<int32_t>(number);
  }
}

// Bytes needed to store every array-form `attr__class` joined by spaces, so the text buffer
// can be reserved once before any view into it exists.
size_t JoinedClassBytes(simdjson::dom::array array) noexcept {
  size_t bytes = 0;
  for (simdjson::dom::element entry : array) {
    simdjson::dom::object object;
    if (entry.get_object().get(object) != simdjson::SUCCESS) continue;
    for (simdjson::dom::key_value_pair field : object) {
      simdjson::dom::array classes;
      if (field.key != "attr__class" || field.value.get_array().get(classes) != simdjson::SUCCESS) {
        continue;
      }
      for (simdjson::dom::element cls : classes) {
        std::string_view token;
        if (GetString(cls, &token)) bytes += token.size() + 1;
      }
    }
  }
  return bytes;
}

std::string_view JoinClasses(simdjson::dom::array classes, ElementList* out) noexcept {
  // StoreText places consecutive pieces contiguously, so the pieces form one view.
  const char* data = nullptr;
  size_t length = 0;
  bool first = true;
  for (simdjson::dom::element cls : classes) {
    std::string_view token;
    if (!GetString(cls, &token)) continue;
    if (first) {
      data = out->StoreText(token).data();
      first = false;
    } else {
      out->StoreText(" ");
      out->StoreText(token);
      ++length;
    }
    length += token.size();
  }
  return std::string_view(data, length);
}

void ReadEntry(simdjson::dom::object object, ElementList* out) noexcept {
  Element& e = out->BeginElement();
  std::string_view el_text, text, attr_href, href, attr_id, attr_id_field;
  bool has_el_text = false, has_text = false, has_attr_href = false, has_href = false,
       has_attr_id = false, has_attr_id_field = false;
  for (simdjson::dom::key_value_pair field : object) {
    std::string_view key = field.key;
    std::string_view value;
    if (key == "tag_name") {
      GetString(field.value, &e.tag);
    } else if (key == "$el_text") {
      has_el_text = GetString(field.value, &el_text) || has_el_text;
    } else if (key == "text") {
      has_text = GetString(field.value, &text) || has_text;
    } else if (key == "href") {
      has_href = GetString(field.value, &href) || has_href;
    } else if (key == "attr_id") {
      has_attr_id_field = GetString(field.value, &attr_id_field) || has_attr_id_field;
    } else if (key == "nth_child") {
      ReadPosition(field.value, &e.nth_child);
    } else if (key == "nth_of_type") {
      ReadPosition(field.value, &e.nth_of_type);
    } else if (key == "classes") {
      simdjson::dom::array classes;
      if (field.value.get_array().get(classes) != simdjson::SUCCESS) continue;
      for (simdjson::dom::element cls : classes) {
        if (GetString(cls, &value)) out->AddClass(value);
      }
    } else if (key.size() > kRawAttributePrefix.size() && key.starts_with(kRawAttributePrefix)) {
      std::string_view name = key.substr(kRawAttributePrefix.size());
      simdjson::dom::array classes;
      if (GetString(field.value, &value)) {
        out->AddAttribute(name, value);
      } else if (name == "class" && field.value.get_array().get(classes) == simdjson::SUCCESS) {
        // FinishElement splits the joined string into class tokens like a DOM attribute.
        out->AddAttribute(name, JoinClasses(classes, out));
      } else {
        continue;
      }
      if (name == "href") {
        attr_href = value;
        has_attr_href = true;
      } else if (name == "id") {
        attr_id = value;
        has_attr_id = true;
      }
    }
  }
  if (has_el_text) {
    e.text = el_text;
  } else if (has_text) {
    e.text = text;
  }
  // posthog-js sends the DOM attributes; `href`/`attr_id` are the older server-side names.
  if (has_attr_href || has_href) {
    e.href = has_attr_href ? attr_href : href;
    e.has_href = true;
  }
  if (has_attr_id || has_attr_id_field) {
    e.id = has_attr_id ? attr_id : attr_id_field;
    e.has_id = true;
  }
  out->FinishElement();
}

}  // namespace

void ReadElementsArray(simdjson::dom::array array, ElementList* out) noexcept {
  out->Clear();
  out->ReserveText(JoinedClassBytes(array));
  for (simdjson::dom::element entry : array) {
    simdjson::dom::object object;
    if (entry.get_object().get(object) != simdjson::SUCCESS) continue;
    ReadEntry(object, out);
  }
}

}  // namespace actiond::engine
