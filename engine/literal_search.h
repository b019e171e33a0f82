// Literal and LIKE searches without RE2, in time linear in the text (SEMANTICS §8 "Limits and
// defaults": literal patterns carry no regex cap). Used for url/text/href `contains` patterns
// without `_` and for the `icontains` / `not_icontains` property filter values.
//
// Thread-safety: a compiled LiteralSearch is immutable; Matches may run concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
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
  // points (the parts between are found in order); the caller handles `_`. With `ignore_case`,
  // text and pattern compare by simple case folding.
  static LiteralSearch Compile(std::string_view pattern, bool like, bool ignore_case);

  // Whether the pattern occurs in `text`. O(text + pattern); allocates nothing.
  bool Matches(std::string_view text) const noexcept;

 private:
  // A run of pattern units (bytes, or folded code points when ignoring case) with its KMP
  // failure function.
  struct Segment {
    std::vector<uint32_t> units;
    std::vector<uint32_t> failure;
  };

  bool ignore_case_ = false;
  std::vector<Segment> segments_;
};

}  // namespace actiond::engine
