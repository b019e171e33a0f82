#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "engine/json_text_internal.h"

namespace actiond::engine {
namespace {

std::string Js(double value) {
  std::string out = "prefix:";
  AppendJsNumber(value, &out);
  return out.substr(7);
}

std::string Stringify(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(padded).get(root), simdjson::SUCCESS) << json;
  std::string out;
  AppendJsJson(root, &out);
  return out;
}

TEST(JsonTextTest, IntegersBelow1e21PrintInFull) {
  EXPECT_EQ(Js(7), "7");
  EXPECT_EQ(Js(100.0), "100");
  EXPECT_EQ(Js(-42), "-42");
  EXPECT_EQ(Js(1e20), "100000000000000000000");
  EXPECT_EQ(Js(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(Js(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(Js(999999999999999900000.0), "999999999999999900000");
}

TEST(JsonTextTest, ZeroHasNoSign) {
  EXPECT_EQ(Js(0.0), "0");
  EXPECT_EQ(Js(-0.0), "0");
}

TEST(JsonTextTest, LargeAndSmallNumbersUseExponentForm) {
  EXPECT_EQ(Js(1e21), "1e+21");
  EXPECT_EQ(Js(1.5e21), "1.5e+21");
  EXPECT_EQ(Js(-2.5e300), "-2.5e+300");
  EXPECT_EQ(Js(1e-7), "1e-7");
  EXPECT_EQ(Js(1.5e-7), "1.5e-7");
  EXPECT_EQ(Js(5e-324), "5e-324");
  EXPECT_EQ(Js(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(JsonTextTest, DecimalsUseShortestRoundTripDigits) {
  EXPECT_EQ(Js(7.5), "7.5");
  EXPECT_EQ(Js(129.99), "129.99");
  EXPECT_EQ(Js(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(Js(0.000001), "0.000001");
  EXPECT_EQ(Js(0.0000015), "0.0000015");
  EXPECT_EQ(Js(-0.5), "-0.5");
  EXPECT_EQ(Js(123.456e5), "12345600");
  EXPECT_EQ(Js(1.25), "1.25");
}

TEST(JsonTextTest, NonFiniteValuesPrintAsJavaScriptDoes) {
  EXPECT_EQ(Js(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(Js(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(Js(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(JsonTextTest, StringifyKeepsKeyOrderAndNoSpaces) {
  EXPECT_EQ(Stringify(R"({ "b" : 1, "a" : [ true, false, null, "x" ], "c": {} })"),
            R"({"b":1,"a":[true,false,null,"x"],"c":{}})");
  EXPECT_EQ(Stringify(R"(["summer-sale", "newsletter"])"), R"(["summer-sale","newsletter"])");
  EXPECT_EQ(Stringify("[]"), "[]");
}

TEST(JsonTextTest, StringifyEscapesLikeJavaScript) {
  EXPECT_EQ(Stringify(R"(["a/b", "é€😀", "q\"b\\", "\u0001\u001f\b\f\n\r\t", "\u007f"])"),
            "[\"a/b\",\"é€😀\",\"q\\\"b\\\\\",\"\\u0001\\u001f\\b\\f\\n\\r\\t\",\"\x7f\"]");
  EXPECT_EQ(Stringify(R"({"k\n": "\u2028"})"), "{\"k\\n\":\"\u2028\"}");
}

TEST(JsonTextTest, StringifyPrintsNumbersAsJavaScriptDoubles) {
  EXPECT_EQ(Stringify("[1.0, -0, 100, 1e2, 2.50]"), "[1,0,100,100,2.5]");
  EXPECT_EQ(Stringify("[9007199254740993, -9223372036854775808]"),
            "[9007199254740992,-9223372036854776000]");
  EXPECT_EQ(Stringify("[18446744073709551615]"), "[18446744073709552000]");
  // simdjson 3.0 rejects integer literals beyond 64 bits; as decimals they parse as doubles.
  EXPECT_EQ(Stringify("[1000000000000000000000.0, 1e20, 1e21]"),
            "[1e+21,100000000000000000000,1e+21]");
}

TEST(JsonTextTest, AppendJsonStringQuotes) {
  std::string out;
  AppendJsonString("say \"hi\"", &out);
  EXPECT_EQ(out, "\"say \\\"hi\\\"\"");
  out.clear();
  AppendJsonString(std::string_view("\0x", 2), &out);
  EXPECT_EQ(out, "\"\\u0000x\"");
}

TEST(JsonTextTest, ParseWholeNumberAcceptsSignsFractionsExponentsAndWhitespace) {
  struct Case {
    std::string_view text;
    double value;
  };
  for (const Case& c :
       {Case{"42", 42}, Case{"+5", 5}, Case{"-5", -5}, Case{"007", 7}, Case{".5", 0.5},
        Case{"5.", 5}, Case{"1e3", 1000}, Case{"1E+3", 1000}, Case{"2.5e-1", 0.25}, Case{" 7 ", 7},
        Case{"\t\n7\r\f\v", 7}, Case{"-0", 0}, Case{"1e-400", 0}, Case{"0e999999", 0},
        Case{"1.7976931348623157e308", 1.7976931348623157e308}, Case{"20.5", 20.5}}) {
    double value = -1;
    EXPECT_TRUE(ParseWholeNumber(c.text, &value)) << "'" << c.text << "'";
    EXPECT_EQ(value, c.value) << "'" << c.text << "'";
  }
}

TEST(JsonTextTest, ParseWholeNumberRejectsEverythingElse) {
  for (std::string_view text :
       {"",         " ",        "+",     "-",   ".",        "e3",        ".e3", "1e",
        "1e+",      "0x10",     "NaN",   "nan", "Infinity", "-Infinity", "inf", "1e400",
        "-1e400",   "42 seats", "4 2",   "1,5", "1.2.3",    "--1",       "+-1", "١٢",
        "\u00a012", "12\u00a0", "1_000", "0b1", "1d",       "1f"}) {
    double value = -1;
    EXPECT_FALSE(ParseWholeNumber(text, &value)) << "'" << text << "'";
    EXPECT_EQ(value, -1) << "'" << text << "'";
  }
}

TEST(JsonTextTest, ParseWholeNumberKeepsNegativeZeroSign) {
  double value = 1;
  ASSERT_TRUE(ParseWholeNumber("-0.0", &value));
  EXPECT_TRUE(std::signbit(value));
  ASSERT_TRUE(ParseWholeNumber("-1e-400", &value));
  EXPECT_EQ(value, 0);
}

}  // namespace
}  // namespace actiond::engine
