// A Bloom-filter signature of what an element chain contains — tags, classes, ids, texts and
// hrefs — so that a step whose element conditions need, say, `button.btn-primary` and the text
// "Sign up" is skipped at the cost of a few AND instructions when the chain lacks one of them.
//
// Exactness: a signature only ever rules a step out when a required token is certainly absent
// (Bloom filters have no false negatives); a step that passes is still evaluated in full.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "engine/element.h"

namespace actiond::engine {

class ElementSignature {
 public:
  enum class Token : unsigned char { kTag, kClass, kId, kText, kHref };

  void Add(Token kind, std::string_view value) noexcept;
  bool empty() const noexcept { return (bits_[0] | bits_[1] | bits_[2] | bits_[3]) == 0; }
  // True when every token added to `required` may be in this signature.
  bool MayContainAll(const ElementSignature& required) const noexcept {
    return ((bits_[0] & required.bits_[0]) == required.bits_[0]) &
           ((bits_[1] & required.bits_[1]) == required.bits_[1]) &
           ((bits_[2] & required.bits_[2]) == required.bits_[2]) &
           ((bits_[3] & required.bits_[3]) == required.bits_[3]);
  }

  // The signature of every element of `elements` (their tag, classes, id, text and href).
  static ElementSignature Of(const ElementList& elements) noexcept;

 private:
  std::array<uint64_t, 4> bits_{};
};

}  // namespace actiond::engine
