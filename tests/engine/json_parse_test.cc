#include "engine/json_parse.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace actiond::engine {
namespace {

TEST(JsonParseTest, IntegersBeyond64BitsReadAsDoublesLikeJavaScript) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  ASSERT_EQ(ParseJson(parser, R"({"a": 1000000000000000000000, "b": -99999999999999999999})", &root,
                      &scratch),
            simdjson::SUCCESS);
  EXPECT_EQ(root["a"].get_double().value(), 1e21);
  EXPECT_EQ(root["b"].get_double().value(), -99999999999999999999.0);
}

TEST(JsonParseTest, OrdinaryDocumentsAreParsedAsTheyAre) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  ASSERT_EQ(ParseJson(parser, R"({"a": 12, "b": 1.5})", &root, &scratch), simdjson::SUCCESS);
  EXPECT_EQ(root["a"].get_int64().value(), 12);
  EXPECT_TRUE(scratch.empty());
  EXPECT_NE(ParseJson(parser, R"({"a": })", &root, &scratch), simdjson::SUCCESS);
}

TEST(JsonParseTest, WideningLeavesStringsAndDecimalsAlone) {
  std::string out;
  WidenBigIntegers(R"({"1000000000000000000000": "1000000000000000000000\"1e99999999999999999999",
                       "n": [1000000000000000000000, 1.5e300, 12]})",
                   &out);
  EXPECT_EQ(out, R"({"1000000000000000000000": "1000000000000000000000\"1e99999999999999999999",
                       "n": [1000000000000000000000.0, 1.5e300, 12]})");
}

TEST(JsonParseTest, WideningSurvivesTruncatedInput) {
  std::string out;
  WidenBigIntegers(R"({"a": "unterminated \)", &out);
  EXPECT_EQ(out, R"({"a": "unterminated \)");
}

TEST(JsonParseTest, BigIntegerNextToManyDigitDecimalKeepsBoth) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  ASSERT_EQ(ParseJson(parser,
                      R"({"big": 100000000000000000000, "small": 0.00030000000000000003,)"
                      R"( "e": 1.5e-300, "neg": -123456789012345678901234, "x": [2e20, -0.0]})",
                      &root, &scratch),
            simdjson::SUCCESS);
  EXPECT_EQ(root["big"].get_double().value(), 1e20);
  EXPECT_EQ(root["small"].get_double().value(), 0.00030000000000000003);
  EXPECT_EQ(root["e"].get_double().value(), 1.5e-300);
  EXPECT_EQ(root["neg"].get_double().value(), -123456789012345678901234.0);
  EXPECT_EQ(root["x"].at(0).get_double().value(), 2e20);
}

TEST(JsonParseTest, WideningLeavesFractionAndExponentDigitsAlone) {
  std::string out;
  WidenBigIntegers(
      R"([0.00030000000000000003, 1e1000000000000000000000, -5.12345678901234567890e-5,)"
      R"( 12345678901234567890, -, -x])",
      &out);
  EXPECT_EQ(out, R"([0.00030000000000000003, null, -5.12345678901234567890e-5,)"
                 R"( 12345678901234567890.0, -, -x])");
}

TEST(JsonParseTest, NumbersBeyondTheDoubleRangeReadAsNullLikeJavaScriptRoundTrips) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  ASSERT_EQ(ParseJson(parser,
                      R"({"a": 1e400, "b": -1e309, "c": 1e-400, "d": 0.5, "e": 1)" +
                          std::string(400, '0') + "}",
                      &root, &scratch),
            simdjson::SUCCESS);
  EXPECT_TRUE(root["a"].is_null());
  EXPECT_TRUE(root["b"].is_null());
  EXPECT_EQ(root["c"].get_double().value(), 0.0);
  EXPECT_EQ(root["d"].get_double().value(), 0.5);
  EXPECT_TRUE(root["e"].is_null());
}

TEST(JsonParseTest, DuplicateKeysLastWinsAtFirstPositionAtAnyDepth) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  ASSERT_EQ(ParseJson(parser,
                      R"({"a": 1, "b": {"x": "first", "x": "last"}, "a": 3,)"
                      R"( "c": [{"k": 1, "k": 100000000000000000000}]})",
                      &root, &scratch),
            simdjson::SUCCESS);
  EXPECT_EQ(root["a"].get_int64().value(), 3);
  EXPECT_EQ(std::string_view(root["b"]["x"].get_string().value()), "last");
  EXPECT_EQ(root["c"].at(0)["k"].get_double().value(), 1e20);
  // Written without repeats, then widened: 1e20 is written out as an integer.
  EXPECT_EQ(scratch, R"({"a":3,"b":{"x":"last"},"c":[{"k":100000000000000000000.0}]})");
}

TEST(JsonParseTest, ManyKeysAreCheckedForRepeats) {
  std::string json = "{";
  for (int i = 0; i < 100; ++i) json += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  json += "\"k7\":\"again\"}";
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  ASSERT_EQ(ParseJson(parser, json, &root, &scratch), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(root["k7"].get_string().value()), "again");
  EXPECT_EQ(root.get_object().value().size(), 100u);
}

TEST(JsonParseTest, RepeatsAreFoundAtEveryObjectSizeAndPosition) {
  // Objects of 2 to 70 keys (checked pairwise when small, through a hash table when not), with
  // the repeat of each position of the object appended last.
  for (int size = 2; size <= 70; ++size) {
    for (int repeated = 0; repeated < size; ++repeated) {
      std::string json = "{\"outer\":1,\"inner\":{";
      for (int i = 0; i < size; ++i)
        json += "\"key-" + std::to_string(i) + "\":" + std::to_string(i) + ",";
      json += "\"key-" + std::to_string(repeated) + "\":\"again\"}}";
      simdjson::dom::parser parser;
      simdjson::dom::element root;
      ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
      EXPECT_TRUE(HasDuplicateKeys(root)) << json;
    }
  }
}

TEST(JsonParseTest, KeysAlikeButForOneByteAreNotRepeats) {
  // Same length, same first and last bytes: only a full comparison tells them apart.
  std::string json = "{";
  for (int i = 0; i < 40; ++i) {
    if (i > 0) json += ",";
    json += "\"$session_entry_" +
            std::string{static_cast<char>('a' + i % 26), static_cast<char>('a' + i / 26)} +
            "_url\":" + std::to_string(i);
  }
  json += "}";
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  EXPECT_FALSE(HasDuplicateKeys(root));
  // A key written with an escape is the same key as its plain spelling (JSON.parse agrees).
  ASSERT_EQ(
      parser.parse(std::string_view(R"({"a":1,"b":2,"c":3,"d":4,"e":5,"\u0061":6})")).get(root),
      simdjson::SUCCESS);
  EXPECT_TRUE(HasDuplicateKeys(root));
}

TEST(JsonParseTest, DocumentsWithoutRepeatsAreNotRewritten) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  ASSERT_EQ(ParseJson(parser, R"({"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]})", &root, &scratch),
            simdjson::SUCCESS);
  EXPECT_TRUE(scratch.empty());
}

}  // namespace
}  // namespace actiond::engine
