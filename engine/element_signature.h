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
  // kAttribute is a raw attribute's name and value together.
  enum class Token : unsigned char { kTag, kClass, kId, kText, kHref, kAttribute };

  void Add(Token kind, std::string_view value, std::string_view second = {}) noexcept;
  bool empty() const noexcept { return kinds_ == 0; }
  // True when every token added to `required` may be in this signature.
  bool MayContainAll(const ElementSignature& required) const noexcept {
    uint64_t missing = 0;
    for (size_t i = 0; i < kWords; ++i) missing |= required.bits_[i] & ~bits_[i];
    return missing == 0;
  }

  // A set of token kinds, one bit per Token.
  using Kinds = unsigned;
  static constexpr Kinds kAllKinds = (1u << 6) - 1;
  // The kinds of the tokens added so far.
  Kinds kinds() const noexcept { return kinds_; }

  // The signature of every element of `elements`: tag, classes, id, text, href and raw
  // attributes, or only the tokens of `kinds`. A signature made with the union of the kinds
  // of all the required signatures it is tested against answers MayContainAll as one made
  // with every kind: no test looks at the bits the others would set, and leaving out whole
  // texts and hrefs is most of the hashing.
  static ElementSignature Of(const ElementList& elements, Kinds kinds = kAllKinds) noexcept;

 private:
  // 512 bits: a posthog-js chain of ~7 elements carries ~80 tokens, which keeps the filter
  // about a quarter full.
  static constexpr size_t kWords = 8;
  std::array<uint64_t, kWords> bits_{};
  Kinds kinds_ = 0;
};

}  // namespace actiond::engine
