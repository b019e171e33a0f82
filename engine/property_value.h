// One property of an event or a person, as filters see it (docs/semantics.md §6).
//
// A PropertyValue is a view into a parsed simdjson document; it lives as long as that document
// (for events: until the EventReader reads the next event). Engine-internal: simdjson types do
// not leave engine/.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace actiond::engine {

class PropertyValue {
 public:
  enum class Kind : unsigned char { kMissing, kNull, kBool, kNumber, kString, kArray, kObject };

  PropertyValue() noexcept = default;  // missing
  explicit PropertyValue(simdjson::dom::element element) noexcept;

  Kind kind() const noexcept { return kind_; }
  // "Not set" in filter terms: missing, or a JSON null (docs/semantics.md §6).
  bool is_unset() const noexcept { return kind_ == Kind::kMissing || kind_ == Kind::kNull; }
  bool boolean() const noexcept;             // kBool only
  double number() const noexcept;            // kNumber only (integers converted)
  std::string_view string() const noexcept;  // kString only
  simdjson::dom::element element() const noexcept { return element_; }

  // The comparison form of docs/semantics.md §6: strings as they are, numbers as JavaScript prints
  // them, booleans as true/false, arrays and objects as JSON.stringify writes them. Returns a
  // view of the string itself for kString (no copy); otherwise writes into *scratch (cleared
  // first) and returns a view of it. Must not be called on an unset value.
  std::string_view ComparisonForm(std::string* scratch) const;

 private:
  Kind kind_ = Kind::kMissing;
  simdjson::dom::element element_;
};

}  // namespace actiond::engine
