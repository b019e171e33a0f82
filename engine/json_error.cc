#include "engine/json_error.h"

#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

// simdjson's default maximum depth (simdjson::DEFAULT_MAX_DEPTH).
constexpr int kMaxDepth = 1024;
constexpr std::string_view kValueExpected =
    "unexpected character: a value (object, array, string, number, true, false or null) was "
    "expected";

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  JsonErrorLocation Run() {
    SkipSpace();
    if (pos_ == text_.size()) return Fail(pos_, "the body is empty");
    if (!Value(0)) return error_;
    SkipSpace();
    if (pos_ != text_.size()) return Fail(pos_, "unexpected content after the JSON value");
    return {};
  }

 private:
  JsonErrorLocation Fail(size_t at, std::string_view problem) {
    error_ = {true, at, problem};
    return error_;
  }
  bool Error(size_t at, std::string_view problem) {
    Fail(at, problem);
    return false;
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  unsigned char Peek() const { return static_cast<unsigned char>(text_[pos_]); }

  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  bool Value(int depth) {
    SkipSpace();
    if (AtEnd()) return Error(pos_, "unexpected end of input: a value is missing");
    switch (Peek()) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return Number();
        return Error(pos_, kValueExpected);
    }
  }

  bool Object(int depth) {
    if (depth > kMaxDepth) return Error(pos_, "nested deeper than 1024 levels");
    ++pos_;  // '{'
    SkipSpace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (AtEnd()) return Error(pos_, "unexpected end of input inside an object");
      if (Peek() != '"') return Error(pos_, "an object key (a string in double quotes) expected");
      if (!String()) return false;
      SkipSpace();
      if (AtEnd() || Peek() != ':') return Error(pos_, "':' expected after an object key");
      ++pos_;
      if (!Value(depth)) return false;
      SkipSpace();
      if (AtEnd()) return Error(pos_, "unexpected end of input inside an object");
      if (Peek() == '}') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return Error(pos_, "',' or '}' expected after an object member");
      ++pos_;
    }
  }

  bool Array(int depth) {
    if (depth > kMaxDepth) return Error(pos_, "nested deeper than 1024 levels");
    ++pos_;  // '['
    SkipSpace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      if (!Value(depth)) return false;
      SkipSpace();
      if (AtEnd()) return Error(pos_, "unexpected end of input inside an array");
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return Error(pos_, "',' or ']' expected after an array element");
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return Error(pos_, kValueExpected);
    }
    pos_ += word.size();
    return true;
  }

  bool Digits() {
    const size_t start = pos_;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') ++pos_;
    return pos_ > start;
  }

  // Any size: ParseJson reads numbers beyond 64 bits or a double's range (engine/json_parse.h).
  bool Number() {
    if (Peek() == '-') ++pos_;
    if (AtEnd() || !(Peek() >= '0' && Peek() <= '9')) return Error(pos_, "a digit expected");
    if (Peek() == '0') {
      ++pos_;
    } else {
      Digits();
    }
    if (!AtEnd() && Peek() == '.') {
      ++pos_;
      if (!Digits()) return Error(pos_, "a digit expected after the decimal point");
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (!Digits()) return Error(pos_, "a digit expected in the exponent");
    }
    return true;
  }

  static int HexValue(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // The code unit of `\uXXXX` at pos_ (at the backslash), or -1.
  int Escape16(size_t at) const {
    if (at + 6 > text_.size() || text_[at] != '\\' || text_[at + 1] != 'u') return -1;
    int unit = 0;
    for (size_t i = at + 2; i < at + 6; ++i) {
      const int digit = HexValue(static_cast<unsigned char>(text_[i]));
      if (digit < 0) return -1;
      unit = unit * 16 + digit;
    }
    return unit;
  }

  // One UTF-8 sequence at pos_ (a byte >= 0x80), per RFC 3629: no overlong forms, no
  // surrogates, nothing above U+10FFFF.
  bool Utf8() {
    const unsigned char lead = Peek();
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return Error(pos_, "invalid UTF-8");
    }
    if (pos_ + length > text_.size()) return Error(pos_, "invalid UTF-8");
    for (size_t i = 1; i < length; ++i) {
      const auto byte = static_cast<unsigned char>(text_[pos_ + i]);
      const unsigned char lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF;
      if (byte < lo || byte > hi) return Error(pos_, "invalid UTF-8");
    }
    pos_ += length;
    return true;
  }

  bool String() {
    const size_t open = pos_;
    ++pos_;  // '"'
    while (true) {
      if (AtEnd()) return Error(open, "unterminated string");
      const unsigned char c = Peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Error(pos_, "control character in a string (escape it)");
      if (c >= 0x80) {
        if (!Utf8()) return false;
        continue;
      }
      if (c != '\\') {
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= text_.size()) return Error(open, "unterminated string");
      const char kind = text_[pos_ + 1];
      if (kind != 'u') {
        if (std::string_view("\"\\/bfnrt").find(kind) == std::string_view::npos) {
          return Error(pos_, "invalid escape in a string");
        }
        pos_ += 2;
        continue;
      }
      const int unit = Escape16(pos_);
      if (unit < 0) return Error(pos_, "invalid \\u escape: four hex digits expected");
      if (unit >= 0xDC00 && unit <= 0xDFFF) return Error(pos_, "lone surrogate escape");
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        const int low = Escape16(pos_ + 6);
        if (low < 0xDC00 || low > 0xDFFF) return Error(pos_, "lone surrogate escape");
        pos_ += 12;
        continue;
      }
      pos_ += 6;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  JsonErrorLocation error_;
};

}  // namespace

JsonErrorLocation FindJsonError(std::string_view text) noexcept { return Scanner(text).Run(); }

std::string MalformedJsonMessage(std::string_view text, std::string_view fallback,
                                 bool capitalized) {
  const std::string_view lead = capitalized ? "Malformed JSON" : "malformed JSON";
  const JsonErrorLocation where = FindJsonError(text);
  if (!where.found) return StrCat({lead, ": ", fallback});
  return StrCat({lead, " at byte ", std::to_string(where.offset), ": ", where.problem});
}

}  // namespace actiond::engine
