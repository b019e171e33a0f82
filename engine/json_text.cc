#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <system_error>

#include "engine/json_text_internal.h"

namespace actiond::engine {
namespace {

bool IsAsciiWhitespace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

constexpr char kHexDigits[] = "0123456789abcdef";

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, nothing
// above U+10FFFF), or 0 when the bytes there are not one.
size_t Utf8SequenceLength(const unsigned char* p, size_t n) noexcept {
  const unsigned char c = p[0];
  auto cont = [&](size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && p[1] > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void AppendJsNumber(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (value == 0) {  // +0 and -0 alike
    out->push_back('0');
    return;
  }
  if (value < 0) {
    out->push_back('-');
    value = -value;
  }
  if (std::isinf(value)) {
    out->append("Infinity");
    return;
  }
  // Shortest round-trip digits in scientific form, "d[.ddd]e±XX"; ECMAScript's k digits of s
  // and exponent n are read off it and laid out by Number::toString's rules.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  (void)ec;  // cannot fail: 64 bytes hold any double in scientific form
  char digits[32];
  int k = 0;
  const char* p = buf;
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exponent);
  const int n = exponent + 1;  // value = 0.d1d2… × 10^n
  if (k <= n && n <= 21) {
    out->append(digits, k);
    out->append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, n);
    out->push_back('.');
    out->append(digits + n, k - n);
  } else if (-6 < n && n <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-n), '0');
    out->append(digits, k);
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits + 1, k - 1);
    }
    out->push_back('e');
    out->push_back(n - 1 < 0 ? '-' : '+');
    out->append(std::to_string(std::abs(n - 1)));
  }
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHexDigits[c >> 4]);
        out->push_back(kHexDigits[c & 0xf]);
    }
  }
  out->append(text.data() + run_start, text.size() - run_start);
  out->push_back('"');
}

void AppendJsJson(simdjson::dom::element value, std::string* out) {
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY: {
      out->push_back('[');
      bool first = true;
      // Copy the array out of the simdjson_result: a range-for over value_unsafe() of the
      // temporary would iterate a dangling reference.
      const simdjson::dom::array array = value.get_array().value_unsafe();
      for (simdjson::dom::element item : array) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsJson(item, out);
      }
      out->push_back(']');
      return;
    }
    case simdjson::dom::element_type::OBJECT: {
      out->push_back('{');
      bool first = true;
      const simdjson::dom::object object = value.get_object().value_unsafe();
      for (simdjson::dom::key_value_pair field : object) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(field.key, out);
        out->push_back(':');
        AppendJsJson(field.value, out);
      }
      out->push_back('}');
      return;
    }
    // JavaScript reads every JSON number as a double: large integers print as that double.
    case simdjson::dom::element_type::INT64:
      AppendJsNumber(static_cast<double>(value.get_int64().value_unsafe()), out);
      return;
    case simdjson::dom::element_type::UINT64:
      AppendJsNumber(static_cast<double>(value.get_uint64().value_unsafe()), out);
      return;
    case simdjson::dom::element_type::DOUBLE:
      AppendJsNumber(value.get_double().value_unsafe(), out);
      return;
    case simdjson::dom::element_type::STRING:
      AppendJsonString(value.get_string().value_unsafe(), out);
      return;
    case simdjson::dom::element_type::BOOL:
      out->append(value.get_bool().value_unsafe() ? "true" : "false");
      return;
    case simdjson::dom::element_type::NULL_VALUE:
      out->append("null");
      return;
  }
}

bool ParseWholeNumber(std::string_view text, double* out) noexcept {
  while (!text.empty() && IsAsciiWhitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiWhitespace(text.back())) text.remove_suffix(1);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  // Validate the grammar ourselves: from_chars would also take "inf", "nan" and, on some
  // libraries, other spellings; it is only trusted with the digits.
  size_t i = 0;
  size_t int_digits = 0, frac_digits = 0;
  // Decimal magnitude of the first non-zero digit (10^magnitude), if any.
  int64_t first_int_index = -1, first_frac_index = -1;
  for (; i < text.size() && IsDigit(text[i]); ++i, ++int_digits) {
    if (text[i] != '0' && first_int_index < 0) first_int_index = static_cast<int64_t>(int_digits);
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && IsDigit(text[i]); ++i, ++frac_digits) {
      if (text[i] != '0' && first_frac_index < 0) {
        first_frac_index = static_cast<int64_t>(frac_digits);
      }
    }
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp_digits = 0;
    for (; i < text.size() && IsDigit(text[i]); ++i) ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != text.size()) return false;

  double value = 0;
  auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (ptr != text.data() + text.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // Too small underflows to zero (finite, as JavaScript's Number() gives); too large is
    // infinite and so not a number here. Tell them apart by the decimal magnitude.
    if (first_int_index < 0 && first_frac_index < 0) {
      value = 0;
    } else {
      size_t e = text.find_first_of("eE");
      int64_t exp10 = first_int_index >= 0 ? static_cast<int64_t>(int_digits) - 1 - first_int_index
                                           : -first_frac_index - 1;
      if (e != std::string_view::npos) {
        std::string_view exp_text = text.substr(e + 1);
        bool exp_negative = !exp_text.empty() && exp_text.front() == '-';
        if (!exp_text.empty() && (exp_text.front() == '+' || exp_text.front() == '-')) {
          exp_text.remove_prefix(1);
        }
        // Saturate: anything beyond a few thousand is decided already.
        int64_t exp_value = 0;
        for (char c : exp_text) {
          exp_value = std::min<int64_t>(exp_value * 10 + (c - '0'), 1'000'000);
        }
        exp10 += exp_negative ? -exp_value : exp_value;
      }
      if (exp10 >= 0) return false;  // overflow to infinity
      value = 0;                     // underflow
    }
  } else if (ec != std::errc()) {
    return false;
  }
  if (!std::isfinite(value)) return false;
  *out = negative ? -value : value;
  return true;
}

void AppendDrfJsonString(std::string_view value, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(value.data());
  const size_t n = value.size();
  out->reserve(out->size() + n + 2);
  out->push_back('"');
  size_t run = 0;  // start of the bytes that are copied unchanged
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t len = Utf8SequenceLength(p + i, n - i);
      // U+2028 and U+2029 are valid JSON but end a line in JavaScript; DRF escapes them too.
      const bool line_separator =
          len == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9);
      if (len != 0 && !line_separator) {
        i += len;
        continue;
      }
      out->append(value.data() + run, i - run);
      if (line_separator) {
        out->append(p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
        i += 3;
      } else {
        out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++i;
      }
      run = i;
      continue;
    }
    out->append(value.data() + run, i - run);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        const char escape[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0xF]};
        out->append(escape, sizeof(escape));
      }
    }
    ++i;
    run = i;
  }
  out->append(value.data() + run, n - run);
  out->push_back('"');
}

}  // namespace actiond::engine
