// ElementStringSet: the distinct text (or href) conditions of an ActionSet's steps in one
// RE2::Set, so that per event each element's text is scanned once for all of them instead of
// once per step (docs/architecture.md, "The matcher"). Engine-internal.
//
// It is a prefilter only: a step whose condition matches no element of the chain is skipped,
// every other step is still evaluated in full (tag, text and href on one element,
// docs/semantics.md §4). So the set must never miss a match: a literal too long for it gets no
// id, a set RE2 cannot compile indexes nothing (those steps are evaluated as before), and a
// search the set cannot finish (DFA out of memory) marks every id as a hit.
//
// Thread-safety: immutable after Build(); MarkHits writes only the caller's buffers.
#pragma once

#include <re2/set.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/element.h"
#include "engine/string_matcher.h"

namespace actiond::engine {

class ElementStringSet {
 public:
  static constexpr int32_t kNotIndexed = -1;
  enum class Field : unsigned char { kText, kHref };

  explicit ElementStringSet(Field field) : field_(field) {}

  // The id of `matcher`'s condition, shared by every step whose condition has the same mode
  // and pattern; kNotIndexed when the set cannot hold it. Call before Build().
  int32_t Add(const StringMatcher& matcher);
  // Compiles the set; when that fails no id is indexed (indexed() is false).
  void Build();

  bool indexed() const noexcept { return set_ != nullptr; }
  size_t size() const noexcept { return patterns_.size(); }

  // Sets (*hit_epoch)[id] = epoch for every condition that matches the field of some element,
  // and appends each such id to *newly_hit the first time it is marked with `epoch`. `hits` is
  // scratch; *hit_epoch must have size() entries.
  void MarkHits(const ElementList& elements, uint32_t epoch, std::vector<int>* hits,
                std::vector<uint32_t>* hit_epoch, std::vector<uint32_t>* newly_hit) const noexcept;

 private:
  Field field_;
  std::unordered_map<std::string, int32_t> ids_;  // EquivalentRegex → id
  std::vector<std::string> patterns_;             // by id
  std::unique_ptr<re2::RE2::Set> set_;
  // The conditions "" satisfies, found once by Build(): most elements of a chain have no text
  // and no href, and their search was a third of the set's per-event cost.
  std::vector<int> empty_hits_;
  bool empty_hits_known_ = false;
};

}  // namespace actiond::engine
