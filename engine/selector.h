// CSS selectors as docs/semantics.md §5 defines them, compiled once and matched against elements.
//
// Supported: type, `*`, `#id`, `.class`, `[k]`, `[k=v]` (v unquoted, '…' or "…"),
// `:nth-child(n)`, `:nth-of-type(n)` with n ≥ 1, compounds of these, and the descendant and
// child (`>`) combinators. Anything else is an InvalidInput status whose message names the
// unsupported part (e.g. "unsupported selector part ':hover'"); malformed text (empty,
// unbalanced brackets, a dangling `>`) is InvalidInput too.
//
// Details (docs/semantics.md §8.4): leading/trailing whitespace is trimmed; whitespace inside
// `[...]` and `(...)` is ignored; `li>a` is a child combinator. Identifiers are `[A-Za-z0-9_-]` and
// non-ASCII bytes, and a backslash escapes the next character (`.hover\:underline`; no hex
// escapes). Quoted values may contain `]`, and a backslash in them escapes the next
// character; an unquoted value is the run up to `]`, trimmed, and must not be empty.
// Matching is case-sensitive: tag = element tag; `#x` = element id; `.c` = a whole class
// token; `[href…]` tests the element's href, `[id…]` its id, any other `[k…]` the raw
// attribute `k` (`attr__k`); `[k=""]` needs the attribute present and empty.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/element.h"
#include "engine/element_token.h"
#include "engine/status.h"

namespace actiond::engine {

class Selector {
 public:
  // Parses `text`; errors carry no attr (the caller knows where the selector came from).
  static Result<Selector> Parse(std::string_view text);

  // True when the last compound binds some element of `elements` (any index, not only the
  // clicked one) and the combinators hold over its ancestors. No elements → false.
  // O(elements × compounds) compound tests, no allocation; thread-safe (const).
  bool Matches(const ElementList& elements) const noexcept {
    return MatchingElement(elements) != kNoMatch;
  }
  // The same test, answering which element the last compound binds: the outermost one (highest
  // index; the evaluation runs from the outermost ancestor down and stops there), or kNoMatch.
  // Explain reports it.
  static constexpr size_t kNoMatch = static_cast<size_t>(-1);
  size_t MatchingElement(const ElementList& elements) const noexcept;
  // For explaining a failure: the first element that the last compound alone binds (ignoring
  // its ancestors), or kNoMatch when none does.
  size_t LastCompoundCandidate(const ElementList& elements) const noexcept;

  // Limits that keep Parse and Matches cheap on hostile input; beyond them Parse fails with
  // "selector too long".
  static constexpr size_t kMaxBytes = 4096;
  static constexpr size_t kMaxCompounds = 100;

  // Appends to `required` the tokens every matching chain must contain somewhere: each
  // compound's tag (not `*`), classes, ids and attribute values. The ActionSet evaluates a
  // step only on chains that carry them all (element_token_index.h).
  void AddRequiredTokens(std::vector<ElementToken>* required) const;

  // The selector as written (trimmed); for diagnostics.
  const std::string& source() const noexcept { return source_; }

 private:
  struct AttributeTest {
    enum class Target : uint8_t { kHref, kId, kRaw };
    Target target = Target::kRaw;
    std::string name;  // for kRaw: the attr__ name
    bool has_value = false;
    std::string value;
  };
  struct Compound {
    std::string tag;  // "" = any (also for `*`)
    std::vector<std::string> ids;
    std::vector<std::string> classes;
    std::vector<AttributeTest> attributes;
    int32_t nth_child = Element::kNoPosition;
    int32_t nth_of_type = Element::kNoPosition;
    bool never = false;  // two different positions of one kind, e.g. `:nth-child(1):nth-child(2)`
  };
  enum class Combinator : uint8_t { kDescendant, kChild };
  class Parser;

  bool CompoundMatches(const Compound& c, const ElementList& elements, size_t index) const noexcept;

  std::string source_;
  std::vector<Compound> compounds_;      // left to right
  std::vector<Combinator> combinators_;  // combinators_[i] joins compounds_[i] and [i+1]
};

}  // namespace actiond::engine
