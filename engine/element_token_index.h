// ElementTokenIndex: the distinct tokens the steps of an ActionSet require (element_token.h),
// in an open-addressing hash table, so that per event the chain's own tokens are each hashed
// and looked up once and the answer is which required tokens the chain carries — exactly, with
// no false positives, whatever the number of steps. The ActionSet turns that answer into the
// few steps worth evaluating (docs/architecture.md, "The matcher"). Engine-internal.
//
// The chain's tokens are those the plain evaluation can test (docs/semantics.md §4, §5): each
// element's tag, href, id (when it has one), classes and raw attributes. A step's token is
// required only when no chain without it can match, so "absent" rules the step out and
// "present" only lets it be evaluated in full.
//
// Thread-safety: immutable after Build(); CollectPresent writes only the caller's buffers.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine/element.h"
#include "engine/element_token.h"

namespace actiond::engine {

class ElementTokenIndex {
 public:
  // The id of `token`, the same for equal tokens. Call before Build().
  uint32_t Add(const ElementToken& token);
  void Build();

  size_t size() const noexcept { return tokens_.size(); }

  // Appends to *present the id of every indexed token some element of `elements` carries, each
  // once; (*marks)[id] == epoch afterwards for exactly those. *marks must have size() entries,
  // none equal to `epoch` before the call.
  void CollectPresent(const ElementList& elements, uint32_t epoch, std::vector<uint32_t>* marks,
                      std::vector<uint32_t>* present) const noexcept;

 private:
  using Kinds = unsigned;
  struct Slot {
    uint64_t hash = 0;
    uint32_t id_plus_one = 0;  // 0: empty
  };

  void Lookup(ElementToken::Kind kind, std::string_view value, std::string_view second,
              uint32_t epoch, std::vector<uint32_t>* marks,
              std::vector<uint32_t>* present) const noexcept;
  bool Wanted(ElementToken::Kind kind) const noexcept {
    return (kinds_ & (1u << static_cast<unsigned>(kind))) != 0;
  }
  bool WantedAttribute(std::string_view name) const noexcept;

  std::vector<ElementToken> tokens_;  // by id
  std::map<std::tuple<ElementToken::Kind, std::string, std::string>, uint32_t> ids_;
  std::vector<Slot> slots_;  // a power of two, at most half full
  // One bit per QuickClass (element_token_index.cc) of the indexed tokens: most chain tokens
  // (a chain carries ~35) are none of them, and this rules them out before they are hashed.
  static constexpr size_t kQuickBits = 4096;
  std::array<uint64_t, kQuickBits / 64> quick_{};
  Kinds kinds_ = 0;  // kinds some token has: the chain's others are not hashed
  // The names of the attribute tokens: a chain's other attributes (its long `class` and `href`
  // values, mostly) are skipped before hashing. Empty when there are too many to compare.
  std::vector<std::string> attribute_names_;
  bool all_attribute_names_ = false;
};

}  // namespace actiond::engine
