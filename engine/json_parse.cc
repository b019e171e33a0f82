#include "engine/json_parse.h"

namespace actiond::engine {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void WidenBigIntegers(std::string_view json, std::string* out) {
  out->reserve(out->size() + json.size() + 16);
  size_t i = 0;
  while (i < json.size()) {
    char c = json[i];
    if (c == '"') {  // copy a string literal whole, escapes included
      size_t end = i + 1;
      while (end < json.size() && json[end] != '"') end += (json[end] == '\\') ? 2 : 1;
      end = std::min(end + 1, json.size());
      out->append(json.substr(i, end - i));
      i = end;
      continue;
    }
    if (IsDigit(c) || (c == '-' && i + 1 < json.size() && IsDigit(json[i + 1]))) {
      size_t end = i + (c == '-' ? 1 : 0);
      size_t digits_begin = end;
      while (end < json.size() && IsDigit(json[end])) ++end;
      size_t digits = end - digits_begin;
      bool is_integer =
          end >= json.size() || (json[end] != '.' && json[end] != 'e' && json[end] != 'E');
      out->append(json.substr(i, end - i));
      // 19 digits may already overflow int64; a decimal of any length reads as a double.
      if (is_integer && digits > 18) out->append(".0");
      i = end;
      continue;
    }
    out->push_back(c);
    ++i;
  }
}

simdjson::error_code ParseJson(simdjson::dom::parser& parser, std::string_view json,
                               simdjson::dom::element* root, std::string* scratch) {
  simdjson::error_code error = parser.parse(json.data(), json.size()).get(*root);
  if (error != simdjson::NUMBER_ERROR) return error;
  scratch->clear();
  WidenBigIntegers(json, scratch);
  return parser.parse(scratch->data(), scratch->size()).get(*root);
}

}  // namespace actiond::engine
