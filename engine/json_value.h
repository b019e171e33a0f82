// JsonValue: a small owning JSON tree for request bodies of the REST API (`{"name": …}`,
// `{"label", "scopes", "scoped_teams"}`, …) and other documents read off the hot path, so that
// api/ can read JSON without simdjson (which stays private to engine/).
//
// Objects keep their members in document order; a repeated key keeps every member, and Find()
// returns the last one (JSON.parse's and Python's json.loads's choice). Numbers keep their
// double value and, when the literal was an integer that fits, the exact int64.
//
// Errors (ParseJsonValue): kParseError for malformed JSON, invalid UTF-8, a lone surrogate
// escape, trailing content or nesting deeper than simdjson allows. Integers too large for 64 bits
// are read as doubles (as JavaScript does), not refused.
//
// Thread-safety: a JsonValue is a plain value. ParseJsonValue may be called concurrently (it uses
// a parser per thread). Allocates per node: not for the ingestion hot path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

class JsonValue {
 public:
  enum class Type : unsigned char { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;  // null
  static JsonValue Bool(bool value);
  static JsonValue Number(double value, std::optional<int64_t> exact_int = std::nullopt);
  static JsonValue String(std::string value);
  static JsonValue Array(std::vector<JsonValue> items);
  static JsonValue Object(std::vector<Member> members);

  Type type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == Type::kNull; }
  bool is_bool() const noexcept { return type_ == Type::kBool; }
  bool is_number() const noexcept { return type_ == Type::kNumber; }
  bool is_string() const noexcept { return type_ == Type::kString; }
  bool is_array() const noexcept { return type_ == Type::kArray; }
  bool is_object() const noexcept { return type_ == Type::kObject; }

  // Accessors for the matching type; other types give false / 0 / "" / empty.
  bool bool_value() const noexcept { return type_ == Type::kBool && bool_; }
  double number() const noexcept { return type_ == Type::kNumber ? number_ : 0; }
  // The integer a number literal spelled exactly (`3`, `-7`; not `3.0`, `1e3` or 2^64).
  std::optional<int64_t> int_value() const noexcept;
  const std::string& string() const noexcept { return string_; }
  const std::vector<JsonValue>& items() const noexcept { return items_; }
  const std::vector<Member>& members() const noexcept { return members_; }

  // The last member named `key` of an object; nullptr when absent or not an object.
  const JsonValue* Find(std::string_view key) const noexcept;

  // Python's truthiness, which PostHog's code applies to JSON values: false for null, false, 0,
  // "", [] and {}.
  bool Truthy() const noexcept;

  // Compact JSON text as JSON.stringify writes it (members in order, duplicates kept).
  void AppendJson(std::string* out) const;
  std::string ToJson() const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  bool has_int_ = false;
  int64_t int_ = 0;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
};

Result<JsonValue> ParseJsonValue(std::string_view text);

}  // namespace actiond::engine
