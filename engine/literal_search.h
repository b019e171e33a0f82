// Literal and LIKE searches without RE2, in time linear in the text (literal patterns carry no
// regex cap: docs/semantics.md §9). Used for url/text/href `contains` patterns
// and for the `icontains` / `not_icontains` property filter values.
//
// A pattern is split on `%` into parts found in order, each at its earliest end. A part
// without `_` is found by KMP (O(text + part)); a part with `_` (one code point) by a
// bit-parallel Shift-And over 64-bit words (O(text * part / 64), memory O(part)).
//
// Thread-safety: a compiled LiteralSearch is immutable; Matches may run concurrently (its
// scratch for Shift-And is per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace actiond::engine {

// The longest literal pattern or value accepted (exact, is_not, icontains, not_icontains,
// url/text/href exact and contains); longer is a 400 at create/update.
inline constexpr size_t kMaxLiteralPatternBytes = 65535;

// Unicode simple case folding of one code point (CaseFolding.txt statuses C and S), the
// equivalence RE2's `(?i)` uses.
uint32_t FoldCodePoint(uint32_t code_point) noexcept;

class LiteralSearch {
 public:
  // `pattern` is searched for as a substring. With `like`, `%` in it matches any run of code
  // points (the parts between are found in order) and `_` exactly one code point. With
  // `ignore_case`, text and pattern compare by simple case folding.
  static LiteralSearch Compile(std::string_view pattern, bool like, bool ignore_case);

  // Whether the pattern occurs in `text`. Allocates nothing once a thread's scratch has grown.
  bool Matches(std::string_view text) const noexcept;

 private:
  static constexpr uint32_t kAnyUnit = 0xFFFFFFFFu;  // `_`

  // A run of pattern units (bytes, or code points — folded when ignoring case — when the
  // pattern has `_` or ignores case; kAnyUnit for `_`).
  struct Segment {
    std::vector<uint32_t> units;
    std::vector<uint32_t> failure;  // KMP failure function (parts without `_`)
    // Shift-And (parts with `_`): bit i of a mask is unit i. `dense` masks (words each) for
    // units occurring at least `words` times, positions for the rarer ones, so that a step
    // costs O(words) and the tables O(units).
    size_t words = 0;
    std::vector<uint64_t> any_mask;
    std::vector<std::pair<uint32_t, uint32_t>> dense_units;  // (unit, mask offset), by unit
    std::vector<uint64_t> dense;
    std::vector<std::pair<uint32_t, uint32_t>> positions;  // (unit, position), by unit
  };

  uint32_t NextUnit(std::string_view text, size_t* pos) const noexcept;
  bool FindKmp(const Segment& segment, std::string_view text, size_t* pos) const noexcept;
  bool FindShiftAnd(const Segment& segment, std::string_view text, size_t* pos) const noexcept;
  static void BuildShiftAnd(Segment* segment);

  bool ignore_case_ = false;
  bool code_points_ = false;
  std::vector<Segment> segments_;
};

}  // namespace actiond::engine
