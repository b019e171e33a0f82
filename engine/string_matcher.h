// One string condition compiled once: URL (`url_matching`), element text/href
// (`text_matching`/`href_matching`) — docs/semantics.md §3, §4, §8.1.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/literal_search.h"
#include "engine/regex.h"
#include "engine/status.h"

namespace actiond::engine {

enum class StringMatchMode : unsigned char {
  kExact,           // byte equality
  kLike,            // LIKE '%p%': `%` any run, `_` one code point; case-sensitive
  kLikeIgnoreCase,  // the same with Unicode simple case folding (ILIKE)
  kRegex,           // RE2 unanchored search
};

class StringMatcher {
 public:
  // Errors (InvalidInput, no attr) for an invalid or too costly regex, or an exact/contains
  // pattern longer than kMaxLiteralPatternBytes.
  static Result<StringMatcher> Compile(std::string_view pattern, StringMatchMode mode);

  bool Matches(std::string_view text) const noexcept;

  StringMatchMode mode() const noexcept { return mode_; }
  const std::string& pattern() const noexcept { return pattern_; }
  // An RE2 pattern equivalent to this matcher under unanchored search (exact → `^…$` with
  // quoting, LIKE → translated with `(?s)`), for combining many matchers in one RE2::Set.
  std::string EquivalentRegex() const;

 private:
  StringMatchMode mode_ = StringMatchMode::kExact;
  std::string pattern_;
  // kLike / kLikeIgnoreCase: a linear search without RE2 (literal_search.h), so no regex cap
  // applies. Only kRegex uses RE2.
  std::shared_ptr<const LiteralSearch> search_;
  std::shared_ptr<const re2::RE2> regex_;  // shared: StringMatcher is copyable, RE2 immutable
};

}  // namespace actiond::engine
