// ElementToken: one exact thing an element chain must contain for a step to match it — a tag,
// a class, an id, an href or a raw attribute's name and value. A step's element conditions
// name some (CompiledStep::required_tokens); the ActionSet evaluates a step only when the
// event's chain carries all of them (element_token_index.h).
#pragma once

#include <string>

namespace actiond::engine {

struct ElementToken {
  // kAttribute is a raw attribute's name (value) and value (second) together.
  enum class Kind : unsigned char { kTag, kClass, kId, kText, kHref, kAttribute };

  Kind kind = Kind::kTag;
  std::string value;
  std::string second;

  bool operator==(const ElementToken& other) const noexcept {
    return kind == other.kind && value == other.value && second == other.second;
  }
};

}  // namespace actiond::engine
