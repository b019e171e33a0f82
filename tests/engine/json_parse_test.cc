#include "engine/json_parse.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace actiond::engine
