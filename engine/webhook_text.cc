#include "engine/webhook_text.h"

namespace actiond::engine {
namespace {

bool IsMarkdownSpecial(char c) {
  switch (c) {
    case '\\':
    case '`':
    case '*':
    case '_':
    case '{':
    case '}':
    case '[':
    case ']':
    case '(':
    case ')':
    case '!':
      return true;
    default:
      return false;
  }
}

bool IsUriUnreserved(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '!':
    case '~':
    case '*':
    case '\'':
    case '(':
    case ')':
      return true;
    default:
      return false;
  }
}

// Length of the white space code point that `text` starts with, 0 if none.
size_t LeadingSpaceLength(std::string_view text) {
  if (text.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(text[0]);
  if (b0 == ' ' || (b0 >= 0x09 && b0 <= 0x0D)) return 1;
  if (text.size() >= 2 && b0 == 0xC2 && static_cast<unsigned char>(text[1]) == 0xA0) return 2;
  if (text.size() < 3) return 0;
  const auto b1 = static_cast<unsigned char>(text[1]);
  const auto b2 = static_cast<unsigned char>(text[2]);
  if (b0 == 0xE1 && b1 == 0x9A && b2 == 0x80) return 3;                  // U+1680
  if (b0 == 0xE2 && b1 == 0x80 && b2 >= 0x80 && b2 <= 0x8A) return 3;    // U+2000–U+200A
  if (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9)) return 3;  // U+2028, U+2029
  if (b0 == 0xE2 && b1 == 0x80 && b2 == 0xAF) return 3;                  // U+202F
  if (b0 == 0xE2 && b1 == 0x81 && b2 == 0x9F) return 3;                  // U+205F
  if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) return 3;                  // U+3000
  if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) return 3;                  // U+FEFF
  return 0;
}

// Length of the white space code point that `text` ends with, 0 if none.
size_t TrailingSpaceLength(std::string_view text) {
  for (size_t len = 1; len <= 3 && len <= text.size(); ++len) {
    if (LeadingSpaceLength(text.substr(text.size() - len)) == len) return len;
  }
  return 0;
}

}  // namespace

void AppendSlackEscaped(std::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      default:
        out->push_back(c);
    }
  }
}

void AppendMarkdownEscaped(std::string_view text, std::string* out) {
  bool line_start = true;
  for (char c : text) {
    const bool escape = line_start ? (c == '#' || c == '-' || c == '+') : IsMarkdownSpecial(c);
    if (escape) out->push_back('\\');
    out->push_back(c);
    line_start = c == '\n' || c == '\r';
  }
}

void AppendUriComponent(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (IsUriUnreserved(b)) {
      out->push_back(c);
    } else {
      out->push_back('%');
      out->push_back(kHex[b >> 4]);
      out->push_back(kHex[b & 0xF]);
    }
  }
}

std::string_view TrimJsWhitespace(std::string_view text) noexcept {
  while (size_t n = LeadingSpaceLength(text)) text.remove_prefix(n);
  while (size_t n = TrailingSpaceLength(text)) text.remove_suffix(n);
  return text;
}

}  // namespace actiond::engine
