#include "engine/string_matcher.h"

#include <utility>

#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

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

}  // namespace

Result<StringMatcher> StringMatcher::Compile(std::string_view pattern, StringMatchMode mode) {
  StringMatcher matcher;
  matcher.mode_ = mode;
  matcher.pattern_.assign(pattern);
  if (mode != StringMatchMode::kRegex && pattern.size() > kMaxLiteralPatternBytes) {
    return InvalidInput("the pattern is longer than 65535 bytes");
  }
  switch (mode) {
    case StringMatchMode::kExact:
      return matcher;
    case StringMatchMode::kLike:
    case StringMatchMode::kLikeIgnoreCase:
      matcher.search_ = std::make_shared<const LiteralSearch>(
          LiteralSearch::Compile(pattern, /*like=*/true, mode == StringMatchMode::kLikeIgnoreCase));
      return matcher;
    case StringMatchMode::kRegex:
      break;
  }
  ACTIOND_ASSIGN_OR_RETURN(auto regex, CompileRegex(matcher.pattern_));
  matcher.regex_ = std::move(regex);
  return matcher;
}

bool StringMatcher::Matches(std::string_view text) const noexcept {
  switch (mode_) {
    case StringMatchMode::kExact:
      return text == pattern_;
    case StringMatchMode::kLike:
    case StringMatchMode::kLikeIgnoreCase:
      return search_->Matches(text);
    case StringMatchMode::kRegex:
      return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regex_);
  }
  return false;
}

std::string StringMatcher::EquivalentRegex() const {
  switch (mode_) {
    case StringMatchMode::kExact:
      // RE2's `$` without (?m) matches only at the very end of the text.
      return StrCat({"^", re2::RE2::QuoteMeta(pattern_), "$"});
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
