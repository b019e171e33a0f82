#include "engine/selector.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

namespace actiond::engine {
namespace {

bool IsSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// CSS identifier characters; non-ASCII bytes belong to identifiers as in CSS.
bool IsIdentChar(char c) noexcept {
  unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || u >= 0x80;
}

// Bytes of the UTF-8 sequence led by `c` (1 for a stray continuation byte).
size_t CodePointLength(char c) noexcept {
  unsigned char u = static_cast<unsigned char>(c);
  if (u < 0xC0) return 1;
  if (u < 0xE0) return 2;
  if (u < 0xF0) return 3;
  return 4;
}

std::string_view Trim(std::string_view s) noexcept {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

Status Unsupported(std::string_view part) {
  std::string message = "unsupported selector part '";
  message.append(part).append("'");
  return InvalidInput(message);
}

Status TooLong() { return InvalidInput("selector too long"); }

}  // namespace

// Recursive descent over the trimmed text; every error names the offending part.
class Selector::Parser {
 public:
  Parser(std::string_view text, Selector* out) : s_(text), out_(out) {}

  Status Run() {
    for (;;) {
      if (out_->compounds_.size() == kMaxCompounds) return TooLong();
      ACTIOND_RETURN_IF_ERROR(ParseCompound());
      bool spaced = SkipSpaces();
      if (AtEnd()) return Status::Ok();
      Combinator combinator = Combinator::kDescendant;
      if (s_[pos_] == '>') {
        ++pos_;
        SkipSpaces();
        if (AtEnd()) return InvalidInput("selector ends with the combinator '>'");
        combinator = Combinator::kChild;
      } else if (!spaced) {
        // ParseCompound stops only at whitespace, '>' or the end.
        return Internal("selector parser stopped inside a compound");
      }
      out_->combinators_.push_back(combinator);
    }
  }

 private:
  bool AtEnd() const noexcept { return pos_ >= s_.size(); }

  bool SkipSpaces() noexcept {
    size_t start = pos_;
    while (!AtEnd() && IsSpace(s_[pos_])) ++pos_;
    return pos_ > start;
  }

  // A part that starts at `start` and runs through the bracket or parenthesis it opened (its
  // matching close, or the end): what an error message should quote.
  std::string_view PartThrough(size_t start, char open, char close) const noexcept {
    size_t depth = 0;
    for (size_t i = start; i < s_.size(); ++i) {
      if (s_[i] == open) {
        ++depth;
      } else if (s_[i] == close && depth > 0 && --depth == 0) {
        return s_.substr(start, i + 1 - start);
      }
    }
    return s_.substr(start);
  }

  // Identifier characters and backslash escapes (`\:` is ':'); may be empty.
  Status ReadIdent(std::string* out) {
    while (!AtEnd()) {
      char c = s_[pos_];
      if (IsIdentChar(c)) {
        out->push_back(c);
        ++pos_;
      } else if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return InvalidInput("selector ends with a lone backslash");
        size_t length = std::min(CodePointLength(s_[pos_ + 1]), s_.size() - pos_ - 1);
        out->append(s_.substr(pos_ + 1, length));
        pos_ += 1 + length;
      } else {
        break;
      }
    }
    return Status::Ok();
  }

  Status ParseCompound() {
    Compound compound;
    bool empty = true;
    while (!AtEnd()) {
      size_t start = pos_;
      char c = s_[pos_];
      if (IsSpace(c) || c == '>') break;
      if (c == '*' || c == '\\' || IsIdentChar(c)) {
        if (!empty) {
          if (c == '*') return Unsupported("*");
          std::string tag;
          ACTIOND_RETURN_IF_ERROR(ReadIdent(&tag));
          return InvalidInput("type selector '" + tag + "' must come first in a compound");
        }
        if (c == '*') {
          ++pos_;
        } else {
          ACTIOND_RETURN_IF_ERROR(ReadIdent(&compound.tag));
        }
      } else if (c == '#' || c == '.') {
        ++pos_;
        std::string name;
        ACTIOND_RETURN_IF_ERROR(ReadIdent(&name));
        if (name.empty()) return InvalidInput(std::string("missing name after '") + c + "'");
        (c == '#' ? compound.ids : compound.classes).push_back(std::move(name));
      } else if (c == '[') {
        ACTIOND_RETURN_IF_ERROR(ParseAttribute(&compound));
      } else if (c == ':') {
        ACTIOND_RETURN_IF_ERROR(ParsePseudo(&compound));
      } else if (c == ']' || c == ')' || c == '(') {
        return InvalidInput(std::string("unbalanced '") + c + "' in selector");
      } else {
        return Unsupported(s_.substr(start, std::min(CodePointLength(c), s_.size() - start)));
      }
      empty = false;
    }
    if (empty) return InvalidInput("the combinator '>' needs a compound on each side");
    out_->compounds_.push_back(std::move(compound));
    return Status::Ok();
  }

  Status ParseAttribute(Compound* compound) {
    size_t start = pos_++;  // '['
    SkipSpaces();
    AttributeTest test;
    ACTIOND_RETURN_IF_ERROR(ReadIdent(&test.name));
    SkipSpaces();
    if (AtEnd()) return InvalidInput("unbalanced '[' in selector");
    if (test.name.empty()) return Unsupported(PartThrough(start, '[', ']'));
    char c = s_[pos_];
    if (c == '=') {
      ++pos_;
      SkipSpaces();
      if (AtEnd()) return InvalidInput("unbalanced '[' in selector");
      char quote = s_[pos_];
      if (quote == '"' || quote == '\'') {
        ++pos_;
        ACTIOND_RETURN_IF_ERROR(ReadQuoted(quote, &test.value));
        SkipSpaces();
        if (AtEnd()) return InvalidInput("unbalanced '[' in selector");
        if (s_[pos_] != ']') return Unsupported(PartThrough(start, '[', ']'));
      } else {
        size_t close = s_.find(']', pos_);
        if (close == std::string_view::npos) return InvalidInput("unbalanced '[' in selector");
        std::string_view value = Trim(s_.substr(pos_, close - pos_));
        if (value.empty())
          return InvalidInput("missing value in '" +
                              std::string(s_.substr(start, close + 1 - start)) +
                              "' (write [k=\"\"] for an empty value)");
        test.value.assign(value);
        pos_ = close;
      }
      test.has_value = true;
    } else if (c != ']') {
      // `~=`, `^=`, `$=`, `*=`, `|=`, case flags and the like.
      return Unsupported(PartThrough(start, '[', ']'));
    }
    ++pos_;  // ']'
    if (test.name == "href") {
      test.target = AttributeTest::Target::kHref;
    } else if (test.name == "id") {
      test.target = AttributeTest::Target::kId;
    }
    compound->attributes.push_back(std::move(test));
    return Status::Ok();
  }

  // A CSS string after its opening quote: a backslash escapes the next character.
  Status ReadQuoted(char quote, std::string* out) {
    while (!AtEnd()) {
      char c = s_[pos_];
      if (c == quote) {
        ++pos_;
        return Status::Ok();
      }
      if (c == '\\' && pos_ + 1 < s_.size()) {
        size_t length = std::min(CodePointLength(s_[pos_ + 1]), s_.size() - pos_ - 1);
        out->append(s_.substr(pos_ + 1, length));
        pos_ += 1 + length;
        continue;
      }
      out->push_back(c);
      ++pos_;
    }
    return InvalidInput("unterminated string in selector");
  }

  Status ParsePseudo(Compound* compound) {
    size_t start = pos_++;  // ':'
    if (!AtEnd() && s_[pos_] == ':') {
      ++pos_;
      std::string ignored;
      ACTIOND_RETURN_IF_ERROR(ReadIdent(&ignored));
      return Unsupported(s_.substr(start, pos_ - start));
    }
    std::string name;
    ACTIOND_RETURN_IF_ERROR(ReadIdent(&name));
    bool has_argument = !AtEnd() && s_[pos_] == '(';
    std::string_view part =
        has_argument ? PartThrough(start, '(', ')') : s_.substr(start, pos_ - start);
    int32_t* position = name == "nth-child"     ? &compound->nth_child
                        : name == "nth-of-type" ? &compound->nth_of_type
                                                : nullptr;
    if (position == nullptr || !has_argument) return Unsupported(part);
    if (part.back() != ')') return InvalidInput("unbalanced '(' in selector");
    ++pos_;  // '('
    SkipSpaces();
    int64_t n = 0;
    size_t digits = pos_;
    while (!AtEnd() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      n = n * 10 + (s_[pos_] - '0');
      if (n > std::numeric_limits<int32_t>::max()) return Unsupported(part);
      ++pos_;
    }
    bool is_number = pos_ > digits;
    SkipSpaces();
    if (!is_number || n < 1 || AtEnd() || s_[pos_] != ')') return Unsupported(part);
    ++pos_;  // ')'
    int32_t value = static_cast<int32_t>(n);
    if (*position != Element::kNoPosition && *position != value) compound->never = true;
    *position = value;
    return Status::Ok();
  }

  std::string_view s_;
  Selector* out_;
  size_t pos_ = 0;
};

Result<Selector> Selector::Parse(std::string_view text) {
  if (text.size() > kMaxBytes) return TooLong();
  std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return InvalidInput("empty selector");
  Selector selector;
  selector.source_.assign(trimmed);
  ACTIOND_RETURN_IF_ERROR(Parser(trimmed, &selector).Run());
  return selector;
}

bool Selector::CompoundMatches(const Compound& c, const ElementList& elements,
                               size_t index) const noexcept {
  const Element& e = elements[index];
  if (c.never) return false;
  if (!c.tag.empty() && e.tag != c.tag) return false;
  if (c.nth_child != Element::kNoPosition && e.nth_child != c.nth_child) return false;
  if (c.nth_of_type != Element::kNoPosition && e.nth_of_type != c.nth_of_type) return false;
  for (const std::string& id : c.ids) {
    if (!e.has_id || e.id != id) return false;
  }
  for (const std::string& cls : c.classes) {
    if (!elements.HasClass(e, cls)) return false;
  }
  for (const AttributeTest& test : c.attributes) {
    std::optional<std::string_view> value;
    switch (test.target) {
      case AttributeTest::Target::kHref:
        if (e.has_href) value = e.href;
        break;
      case AttributeTest::Target::kId:
        if (e.has_id) value = e.id;
        break;
      case AttributeTest::Target::kRaw:
        value = elements.Attribute(e, test.name);
        break;
    }
    if (!value || (test.has_value && *value != test.value)) return false;
  }
  return true;
}

size_t Selector::MatchingElement(const ElementList& elements) const noexcept {
  const size_t m = compounds_.size();
  const size_t n = elements.size();
  if (m == 0 || n == 0) return kNoMatch;
  // Dynamic programming from the outermost ancestor (index n-1) to the clicked element:
  // bound[k] says compounds 0..k match with compound k on the current element, given the
  // combinators; `parent` holds that for the element just above and `above` for any element
  // above. Each (compound, element) pair is tested at most once, so a selector like
  // `div div div … span` cannot blow up the way naive backtracking does.
  bool parent[kMaxCompounds] = {};
  bool above[kMaxCompounds] = {};
  bool bound[kMaxCompounds];
  for (size_t i = n; i-- > 0;) {
    for (size_t k = 0; k < m; ++k) {
      bool context =
          k == 0 || (combinators_[k - 1] == Combinator::kChild ? parent[k - 1] : above[k - 1]);
      bound[k] = context && CompoundMatches(compounds_[k], elements, i);
    }
    if (bound[m - 1]) return i;
    for (size_t k = 0; k < m; ++k) {
      parent[k] = bound[k];
      above[k] = above[k] || bound[k];
    }
  }
  return kNoMatch;
}

size_t Selector::LastCompoundCandidate(const ElementList& elements) const noexcept {
  if (compounds_.empty()) return kNoMatch;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (CompoundMatches(compounds_.back(), elements, i)) return i;
  }
  return kNoMatch;
}

}  // namespace actiond::engine
