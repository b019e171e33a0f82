#include "engine/json_error.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "engine/json_parse.h"

namespace actiond::engine {
namespace {

struct Case {
  const char* text;
  size_t offset;
  const char* problem;
};

TEST(JsonErrorTest, NamesTheFirstByteThatCannotBeJson) {
  const Case cases[] = {
      {"", 0, "the body is empty"},
      {"   ", 3, "the body is empty"},
      {"{", 1, "unexpected end of input inside an object"},
      {R"({"a":})", 5,
       "unexpected character: a value (object, array, string, number, true, "
       "false or null) was expected"},
      {R"({"a" 1})", 5, "':' expected after an object key"},
      {R"({a: 1})", 1, "an object key (a string in double quotes) expected"},
      {R"({"a": 1 "b": 2})", 8, "',' or '}' expected after an object member"},
      {"[1,]", 3,
       "unexpected character: a value (object, array, string, number, true, false "
       "or null) was expected"},
      {"[1 2]", 3, "',' or ']' expected after an array element"},
      {"{} x", 3, "unexpected content after the JSON value"},
      {"[tru]", 1,
       "unexpected character: a value (object, array, string, number, true, false "
       "or null) was expected"},
      {R"(["abc)", 1, "unterminated string"},
      {"[\"a\tb\"]", 3, "control character in a string (escape it)"},
      {R"(["\x"])", 2, "invalid escape in a string"},
      {R"(["\u12g4"])", 2, "invalid \\u escape: four hex digits expected"},
      {R"(["ok", "\ud800"])", 8, "lone surrogate escape"},
      {R"(["\udc00"])", 2, "lone surrogate escape"},
      {"[\"\xff\"]", 2, "invalid UTF-8"},
      {"[\"\xc0\xaf\"]", 2, "invalid UTF-8"},      // overlong '/'
      {"[\"\xed\xa0\x80\"]", 2, "invalid UTF-8"},  // a surrogate in UTF-8
      {"[01]", 2, "',' or ']' expected after an array element"},
      {"[1.]", 3, "a digit expected after the decimal point"},
      {"[1e+]", 4, "a digit expected in the exponent"},
      {"[-]", 2, "a digit expected"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const JsonErrorLocation where = FindJsonError(c.text);
    ASSERT_TRUE(where.found);
    EXPECT_EQ(where.offset, c.offset);
    EXPECT_EQ(where.problem, c.problem);
  }
}

TEST(JsonErrorTest, NestingDeeperThanSimdjsonAllowsIsLocated) {
  const std::string deep = std::string(1025, '[') + std::string(1025, ']');
  const JsonErrorLocation where = FindJsonError(deep);
  ASSERT_TRUE(where.found);
  EXPECT_EQ(where.offset, 1024u);
  EXPECT_FALSE(FindJsonError(std::string(1024, '[') + std::string(1024, ']')).found);
}

// The scan must agree with the parser: every text it calls valid, ParseJson parses, and every
// text ParseJson refuses, it locates (else the message would have no offset).
TEST(JsonErrorTest, AgreesWithTheParser) {
  const char* texts[] = {"{}", "[]", "0", "-0.5e-3", "\"\\u00e9\\ud83d\\ude00\"",
                         "[true,false,null]", R"({"a":{"b":[1,2,{"c":"d"}]}})",
                         "100000000000000000000000", "1e400", " [1] ",
                         "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
                         // and refused ones
                         "", "{", "[1,]", "{} x", "\"\\ud800\"", "\"\xff\"", "[01]", "nul",
                         "{\"a\":1,}", "[\"\x01\"]", "\"\xf4\x90\x80\x80\""};
  simdjson::dom::parser parser;
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    simdjson::dom::element root;
    std::string scratch;
    const bool parsed = ParseJson(parser, text, &root, &scratch) == simdjson::SUCCESS;
    EXPECT_EQ(parsed, !FindJsonError(text).found);
  }
}

TEST(JsonErrorTest, MessageSaysWhereOrFallsBackToTheParsersWords) {
  EXPECT_EQ(MalformedJsonMessage("[1 2]", "TAPE_ERROR"),
            "Malformed JSON at byte 3: ',' or ']' expected after an array element");
  EXPECT_EQ(MalformedJsonMessage("[1 2]", "TAPE_ERROR", false),
            "malformed JSON at byte 3: ',' or ']' expected after an array element");
  EXPECT_EQ(MalformedJsonMessage("[1]", "something else"), "Malformed JSON: something else");
}

}  // namespace
}  // namespace actiond::engine
