// Test helper: a canonical text of a JSON document (compact, object keys sorted), so that two
// documents can be compared parsed-equal whatever their formatting.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/json_writer.h"

namespace actiond::api::testing {

inline void WriteCanonical(simdjson::dom::element e, JsonWriter& w) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::ARRAY: {
      // Bound to a local: a range-for over a member of a temporary would dangle (C++20).
      const simdjson::dom::array array = e.get_array().value_unsafe();
      w.BeginArray();
      for (simdjson::dom::element item : array) WriteCanonical(item, w);
      w.EndArray();
      break;
    }
    case element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      const simdjson::dom::object object = e.get_object().value_unsafe();
      for (auto field : object) fields.emplace_back(field.key, field.value);
      std::stable_sort(fields.begin(), fields.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      w.BeginObject();
      for (const auto& [key, value] : fields) {
        w.Key(key);
        WriteCanonical(value, w);
      }
      w.EndObject();
      break;
    }
    case element_type::INT64:
      w.Int(e.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      w.Uint(e.get_uint64().value_unsafe());
      break;
    case element_type::DOUBLE:
      w.Double(e.get_double().value_unsafe());
      break;
    case element_type::STRING:
      w.String(e.get_string().value_unsafe());
      break;
    case element_type::BOOL:
      w.Bool(e.get_bool().value_unsafe());
      break;
    case element_type::NULL_VALUE:
      w.Null();
      break;
  }
}

// The canonical form, or "<invalid JSON: ...>" so that a comparison fails visibly.
inline std::string CanonicalJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error) {
    return std::string("<invalid JSON: ") + simdjson::error_message(error) + ">";
  }
  std::string out;
  JsonWriter w(out);
  WriteCanonical(root, w);
  return out;
}

}  // namespace actiond::api::testing
