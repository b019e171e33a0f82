#include "api/http/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace actiond::api {
namespace {

TEST(JsonWriterTest, PlacesCommasAndColonsInNestedContainers) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject()
      .Key("count")
      .Int(2)
      .Key("results")
      .BeginArray()
      .BeginObject()
      .Key("id")
      .Int(1)
      .EndObject()
      .BeginObject()
      .Key("id")
      .Int(2)
      .Key("tags")
      .BeginArray()
      .EndArray()
      .EndObject()
      .EndArray()
      .Key("next")
      .Null()
      .Key("ok")
      .Bool(true)
      .Key("no")
      .Bool(false)
      .EndObject();
  EXPECT_EQ(out, R"({"count":2,"results":[{"id":1},{"id":2,"tags":[]}],"next":null,)"
                 R"("ok":true,"no":false})");
  EXPECT_EQ(w.depth(), 0);
}

TEST(JsonWriterTest, EmptyContainersAndTopLevelArray) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray().BeginObject().EndObject().BeginArray().EndArray().String("").EndArray();
  EXPECT_EQ(out, R"([{},[],""])");
}

TEST(JsonWriterTest, IntegersCoverTheFullRange) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray()
      .Int(std::numeric_limits<int64_t>::min())
      .Int(std::numeric_limits<int64_t>::max())
      .Uint(std::numeric_limits<uint64_t>::max())
      .Int(0)
      .EndArray();
  EXPECT_EQ(out, "[-9223372036854775808,9223372036854775807,18446744073709551615,0]");
}

TEST(JsonWriterTest, DoublesAreShortestAndStayFloats) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray().Double(0.1).Double(1.0).Double(-2.5).Double(1e300).Double(0.0).EndArray();
  EXPECT_EQ(out, "[0.1,1.0,-2.5,1e+300,0.0]");
}

TEST(JsonWriterTest, NonFiniteDoublesBecomeNull) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray()
      .Double(std::nan(""))
      .Double(std::numeric_limits<double>::infinity())
      .Double(-std::numeric_limits<double>::infinity())
      .EndArray();
  EXPECT_EQ(out, "[null,null,null]");
}

TEST(JsonWriterTest, RawSplicesVerbatimAsOneValue) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("properties").Raw(R"({"a": [1, 2]})").Key("b").Int(1).EndObject();
  EXPECT_EQ(out, R"({"properties":{"a": [1, 2]},"b":1})");
}

TEST(JsonWriterTest, MemberShortcuts) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Member("a", "x").MemberInt("b", -1).MemberNull("c").EndObject();
  EXPECT_EQ(out, R"({"a":"x","b":-1,"c":null})");
}

TEST(JsonQuoteTest, EscapesQuoteBackslashAndNamedControls) {
  EXPECT_EQ(JsonQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonQuote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
}

TEST(JsonQuoteTest, EscapesOtherControlCharactersAsUnicode) {
  EXPECT_EQ(JsonQuote(std::string("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(JsonQuote("\x7f"), "\"\x7f\"");  // DEL is not a JSON control character
}

TEST(JsonQuoteTest, SlashAndPlainAsciiPassThrough) {
  EXPECT_EQ(JsonQuote("https://example.com/a?b=c&d"), R"("https://example.com/a?b=c&d")");
}

TEST(JsonQuoteTest, ValidUtf8PassesThroughUnchanged) {
  // 2-, 3- and 4-byte sequences: é, €, 😀, and the highest code point U+10FFFF.
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
  EXPECT_EQ(JsonQuote(text), "\"" + text + "\"");
}

TEST(JsonQuoteTest, LineAndParagraphSeparatorsAreEscapedAsDrfDoes) {
  EXPECT_EQ(JsonQuote("a\xE2\x80\xA8"
                      "b\xE2\x80\xA9"),
            R"("a\u2028b\u2029")");
}

TEST(JsonQuoteTest, InvalidUtf8BytesBecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(JsonQuote("a\xFF"
                      "b"),
            "\"a" + fffd + "b\"");                                         // never valid
  EXPECT_EQ(JsonQuote("\xC3"), "\"" + fffd + "\"");                        // truncated at the end
  EXPECT_EQ(JsonQuote("\xC3x"), "\"" + fffd + "x\"");                      // bad continuation
  EXPECT_EQ(JsonQuote("\xC0\xAF"), "\"" + fffd + fffd + "\"");             // overlong '/'
  EXPECT_EQ(JsonQuote("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");  // surrogate D800
  EXPECT_EQ(JsonQuote("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // >10FFFF
}

TEST(JsonQuoteTest, KeysAreEscapedLikeValues) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("a\"\n").Int(1).EndObject();
  EXPECT_EQ(out, R"({"a\"\n":1})");
}

}  // namespace
}  // namespace actiond::api
