#include "engine/json_object_builder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace actiond::engine {
namespace {

class JsonObjectBuilderTest : public ::testing::Test {
 protected:
  simdjson::dom::object Object(std::string_view text) {
    return parser_.parse(text.data(), text.size()).get_object().value();
  }
  std::string Json() const {
    std::string out;
    builder_.AppendJson(&out);
    return out;
  }
  simdjson::dom::parser parser_;
  JsonObjectBuilder builder_;
};

TEST_F(JsonObjectBuilderTest, EmptyIsAnEmptyObject) { EXPECT_EQ(Json(), "{}"); }

TEST_F(JsonObjectBuilderTest, AssignOverwritesInPlaceAndAppendsNewKeys) {
  EXPECT_EQ(builder_.Assign(Object(R"({"a":1,"b":[true],"c":null})")), 3u);
  EXPECT_EQ(builder_.Assign(Object(R"({"d":"x","b":2.0,"a":1})")), 2u);  // a unchanged
  EXPECT_EQ(Json(), R"({"a":1,"b":2,"c":null,"d":"x"})");
}

TEST_F(JsonObjectBuilderTest, DuplicateKeysKeepFirstPositionAndLastValue) {
  builder_.Assign(Object(R"({"a":1,"b":2,"a":3})"));
  EXPECT_EQ(Json(), R"({"a":3,"b":2})");
}

TEST_F(JsonObjectBuilderTest, AssignAbsentSkipsPresentKeysIncludingNull) {
  builder_.Assign(Object(R"({"a":null,"b":1})"));
  EXPECT_EQ(builder_.AssignAbsent(Object(R"({"a":5,"c":6,"c":7,"b":9})")), 1u);
  EXPECT_EQ(Json(), R"({"a":null,"b":1,"c":7})");
}

TEST_F(JsonObjectBuilderTest, SetFindAndRemove) {
  EXPECT_TRUE(builder_.Set("k", "1"));
  EXPECT_FALSE(builder_.Set("k", "1"));
  EXPECT_TRUE(builder_.Set("k\"q", R"("v")"));
  ASSERT_NE(builder_.Find("k"), nullptr);
  EXPECT_EQ(*builder_.Find("k"), "1");
  EXPECT_EQ(builder_.Find("z"), nullptr);
  EXPECT_EQ(Json(), R"({"k":1,"k\"q":"v"})");
  EXPECT_TRUE(builder_.Remove("k"));
  EXPECT_FALSE(builder_.Remove("k"));
  EXPECT_EQ(Json(), R"({"k\"q":"v"})");
  builder_.Clear();
  EXPECT_TRUE(builder_.empty());
}

}  // namespace
}  // namespace actiond::engine
