#include "engine/string_matcher.h"

#include <utility>

namespace actiond::engine {
namespace {

bool HasLikeWildcard(std::string_view pattern) noexcept {
  return pattern.find_first_of("%_") != std::string_view::npos;
}

// LIKE '%p%' as an RE2 body for unanchored search: literal runs quoted, `%` → `.*`, `_` → `.`.
// RE2 works on code points in UTF-8 mode, so `_` takes one code point; the caller adds `(?s)`
// so that both wildcards cross line breaks. Leading/trailing `%` are dropped (the search is
// unanchored anyway) and runs of `%` collapse.
std::string LikeToRegexBody(std::string_view pattern) {
  std::string body;
  body.reserve(pattern.size() + 8);
  size_t start = 0;
  bool pending_any = false;
  auto flush_literal = [&](size_t end) {
    if (end <= start) return;
    if (pending_any) body += ".*";
    pending_any = false;
    body += re2::RE2::QuoteMeta(re2::StringPiece(pattern.data() + start, end - start));
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '%' && c != '_') continue;
    flush_literal(i);
    start = i + 1;
    if (c == '%') {
      if (!body.empty()) pending_any = true;
    } else {
      if (pending_any) body += ".*";
      pending_any = false;
      body += '.';
    }
  }
  flush_literal(pattern.size());
  return body;
}

bool IsAscii(std::string_view text) noexcept {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

char AsciiLowerChar(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLowerChar(c);
  return out;
}

// Whether `text` contains `lowered` (already ASCII-lower-case) when ASCII letters of `text` are
// folded; other bytes compare as they are.
bool ContainsAsciiFolded(std::string_view text, std::string_view lowered) noexcept {
  if (lowered.empty()) return true;
  if (lowered.size() > text.size()) return false;
  const size_t last = text.size() - lowered.size();
  for (size_t i = 0; i <= last; ++i) {
    if (AsciiLowerChar(text[i]) != lowered[0]) continue;
    size_t j = 1;
    while (j < lowered.size() && AsciiLowerChar(text[i + j]) == lowered[j]) ++j;
    if (j == lowered.size()) return true;
  }
  return false;
}

}  // namespace

Result<StringMatcher> StringMatcher::Compile(std::string_view pattern, StringMatchMode mode) {
  StringMatcher matcher;
  matcher.mode_ = mode;
  matcher.pattern_.assign(pattern);
  switch (mode) {
    case StringMatchMode::kExact:
      return matcher;
    case StringMatchMode::kLike:
      if (!HasLikeWildcard(pattern)) {
        matcher.literal_ = true;
        return matcher;
      }
      break;
    case StringMatchMode::kLikeIgnoreCase:
      if (!HasLikeWildcard(pattern) && IsAscii(pattern)) {
        matcher.literal_ = true;
        matcher.folded_literal_ = AsciiLower(pattern);
      }
      break;  // the regex is still needed for texts the ASCII search cannot decide
    case StringMatchMode::kRegex:
      break;
  }
  // A LIKE translation of an over-long pattern may itself exceed the regex length cap; that
  // is the right answer (the pattern is too long to serve), and the message says so.
  std::string regex_text =
      mode == StringMatchMode::kRegex ? matcher.pattern_ : matcher.EquivalentRegex();
  ACTIOND_ASSIGN_OR_RETURN(auto regex, CompileRegex(regex_text));
  matcher.regex_ = std::move(regex);
  return matcher;
}

bool StringMatcher::Matches(std::string_view text) const noexcept {
  switch (mode_) {
    case StringMatchMode::kExact:
      return text == pattern_;
    case StringMatchMode::kLike:
      if (literal_) return text.find(pattern_) != std::string_view::npos;
      [[fallthrough]];
    case StringMatchMode::kLikeIgnoreCase:
      // An ASCII pattern found with ASCII folding is a match under Unicode simple folding too.
      // Not found is only final for an ASCII text: elsewhere a KELVIN SIGN (U+212A) folds to
      // `k` and a LONG S (U+017F) to `s`, so RE2 decides.
      if (literal_) {
        if (ContainsAsciiFolded(text, folded_literal_)) return true;
        if (IsAscii(text)) return false;
      }
      [[fallthrough]];
    case StringMatchMode::kRegex:
      return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regex_);
  }
  return false;
}

std::string StringMatcher::EquivalentRegex() const {
  switch (mode_) {
    case StringMatchMode::kExact:
      // RE2's `$` without (?m) matches only at the very end of the text.
      return "^" + re2::RE2::QuoteMeta(pattern_) + "$";
    case StringMatchMode::kLike:
      return "(?s)" + LikeToRegexBody(pattern_);
    case StringMatchMode::kLikeIgnoreCase:
      return "(?is)" + LikeToRegexBody(pattern_);
    case StringMatchMode::kRegex:
      return pattern_;
  }
  return pattern_;
}

}  // namespace actiond::engine
