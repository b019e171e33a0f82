#include "engine/json_value.h"

#include <gtest/gtest.h>

namespace actiond::engine {
namespace {

TEST(JsonValueTreeTest, ReadsEveryTypeAndKeepsMemberOrder) {
  Result<JsonValue> v = ParseJsonValue(R"({"b":1,"a":[true,null,"x",2.5],"c":{"d":-7},"e":false})");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_TRUE(v->is_object());
  ASSERT_EQ(v->members().size(), 4u);
  EXPECT_EQ(v->members()[0].first, "b");
  EXPECT_EQ(v->Find("b")->int_value(), 1);
  const JsonValue* a = v->Find("a");
  ASSERT_TRUE(a != nullptr && a->is_array());
  EXPECT_TRUE(a->items()[0].bool_value());
  EXPECT_TRUE(a->items()[1].is_null());
  EXPECT_EQ(a->items()[2].string(), "x");
  EXPECT_EQ(a->items()[3].number(), 2.5);
  EXPECT_FALSE(a->items()[3].int_value().has_value());
  EXPECT_EQ(v->Find("c")->Find("d")->int_value(), -7);
  EXPECT_TRUE(v->Find("e")->is_bool());
  EXPECT_EQ(v->Find("missing"), nullptr);
  EXPECT_EQ(v->ToJson(), R"({"b":1,"a":[true,null,"x",2.5],"c":{"d":-7},"e":false})");
}

TEST(JsonValueTreeTest, RepeatedKeyKeepsTheLastAtTheFirstPosition) {
  // As JSON.parse: one member, the last value, where the key first appeared (json_parse.h).
  Result<JsonValue> v = ParseJsonValue(R"({"k":1,"j":0,"k":2})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Find("k")->int_value(), 2);
  EXPECT_EQ(v->members().size(), 2u);
  EXPECT_EQ(v->ToJson(), R"({"k":2,"j":0})");
}

TEST(JsonValueTreeTest, HugeIntegersReadAsDoublesLikeJavaScript) {
  Result<JsonValue> v = ParseJsonValue("[100000000000000000000000]");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->items()[0].number(), 1e23);
  EXPECT_FALSE(v->items()[0].int_value().has_value());
}

TEST(JsonValueTreeTest, MalformedJsonIsAParseError) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{} x", "\"\\ud800\"", "\"\xff\""}) {
    SCOPED_TRACE(bad);
    Result<JsonValue> v = ParseJsonValue(bad);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), StatusCode::kParseError);
  }
}

TEST(JsonValueTreeTest, MalformedJsonSaysAtWhichByte) {
  Result<JsonValue> v = ParseJsonValue(R"({"name": "a" "steps": []})");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(),
            "JSON parse error - Malformed JSON at byte 13: ',' or '}' expected after an object "
            "member");
}

TEST(JsonValueTreeTest, TruthinessFollowsPython) {
  for (const char* falsy : {"null", "false", "0", "0.0", "\"\"", "[]", "{}"}) {
    SCOPED_TRACE(falsy);
    EXPECT_FALSE(ParseJsonValue(falsy)->Truthy());
  }
  for (const char* truthy : {"true", "1", "-0.5", "\"0\"", "[0]", "{\"a\":null}"}) {
    SCOPED_TRACE(truthy);
    EXPECT_TRUE(ParseJsonValue(truthy)->Truthy());
  }
}

TEST(JsonValueTreeTest, StringsAreEscapedOnTheWayOut) {
  Result<JsonValue> v = ParseJsonValue(R"(["a\"b\\c\n\u00e9"])");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->items()[0].string(), "a\"b\\c\n\xc3\xa9");
  EXPECT_EQ(v->ToJson(), "[\"a\\\"b\\\\c\\n\xc3\xa9\"]");
}

}  // namespace
}  // namespace actiond::engine
