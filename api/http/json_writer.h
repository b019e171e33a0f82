// A small streaming JSON writer: every response body is built with it.
//
//   std::string body;
//   JsonWriter w(body);
//   w.BeginObject().Key("count").Int(3).Key("next").Null().EndObject();
//   // body == {"count":3,"next":null}
//
// Commas and colons are placed automatically; the caller is responsible for a well-formed
// sequence (a Key before every value inside an object, balanced Begin/End; debug builds assert
// that every End has its Begin).
// Output is compact (no whitespace). Strings are escaped as JSON requires: `"` `\` and control
// characters (\b \f \n \r \t, others as \u00XX); U+2028/U+2029 are escaped as Django REST
// framework does; valid UTF-8 passes through unchanged and each byte of an invalid UTF-8
// sequence becomes U+FFFD, so the output is always valid UTF-8 JSON. Not thread-safe; the writer
// appends to a string it does not own, which must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace actiond::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) noexcept : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Uint(uint64_t value);
  // Shortest text that reads back as the same double; an integral value keeps a ".0" (Python's
  // repr habit) so it stays a float. NaN and infinities have no JSON form and are written as null.
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Splices `json` verbatim as one value. It must already be valid JSON (e.g. stored properties).
  JsonWriter& Raw(std::string_view json);

  // Key + String / Int / Null shortcuts for the common object member forms.
  JsonWriter& Member(std::string_view key, std::string_view value) {
    return Key(key).String(value);
  }
  JsonWriter& MemberInt(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& MemberNull(std::string_view key) { return Key(key).Null(); }

  std::string& out() noexcept { return out_; }
  // Nesting depth of unclosed objects and arrays: 0 once the document is complete.
  int depth() const noexcept { return depth_; }

 private:
  void BeforeValue();

  std::string& out_;
  bool need_comma_ = false;  // the next value or key in the current container needs a ','
  int depth_ = 0;
};

// `value` as a quoted, escaped JSON string.
std::string JsonQuote(std::string_view value);

}  // namespace actiond::api
