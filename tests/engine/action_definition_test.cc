#include "engine/action_definition.h"

#include <gtest/gtest.h>

namespace actiond::engine {
namespace {

TEST(ActionDefinitionTest, AbsentFieldsStayAbsentSoPatchCanTellThemApart) {
  auto request = ParseActionRequest(R"({"name": "Signed up"})");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->name, "Signed up");
  EXPECT_FALSE(request->description.has_value());
  EXPECT_FALSE(request->steps.has_value());
  EXPECT_FALSE(request->deleted.has_value());
}

TEST(ActionDefinitionTest, ReadsEveryField) {
  auto request = ParseActionRequest(R"({
    "name": "n", "description": "d", "tags": ["a", "b"], "post_to_slack": true,
    "slack_message_format": "f", "deleted": false, "unknown_field": {"ignored": 1},
    "steps": [{"event": "$pageview", "url": "/pricing", "url_matching": "exact",
               "tag_name": null, "text": "", "properties": [{"key": "k", "value": 1}]}]})");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->description, "d");
  EXPECT_EQ(request->tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(request->post_to_slack, true);
  EXPECT_EQ(request->deleted, false);
  ASSERT_EQ(request->steps->size(), 1u);
  const ActionStep& step = (*request->steps)[0];
  EXPECT_EQ(step.event, "$pageview");
  EXPECT_EQ(step.url_matching, "exact");
  EXPECT_FALSE(step.tag_name.has_value());
  EXPECT_EQ(step.text, "");
  EXPECT_EQ(step.properties_json, R"([{"key":"k","value":1}])");
}

TEST(ActionDefinitionTest, NullOrEmptyPropertiesAreAnEmptyList) {
  auto request = ParseActionRequest(R"({"steps": [{"properties": null}, {"properties": {}}]})");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ((*request->steps)[0].properties_json, "[]");
  EXPECT_EQ((*request->steps)[1].properties_json, "[]");
}

TEST(ActionDefinitionTest, MalformedJsonIsAParseError) {
  auto request = ParseActionRequest(R"({"name": )");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().code(), StatusCode::kParseError);
  EXPECT_EQ(request.status().message(),
            "JSON parse error - Malformed JSON at byte 9: unexpected end of input: a value is "
            "missing");
  EXPECT_EQ(ParseActionRequest("[1]").status().code(), StatusCode::kParseError);
}

TEST(ActionDefinitionTest, WrongTypesNameTheField) {
  auto bad_step_field = ParseActionRequest(R"({"steps": [{}, {"url": {"a": 1}}]})");
  ASSERT_FALSE(bad_step_field.ok());
  EXPECT_EQ(bad_step_field.status().attr(), "steps__1__url");
  EXPECT_EQ(ParseActionRequest(R"({"steps": "x"})").status().attr(), "steps");
  EXPECT_EQ(ParseActionRequest(R"({"steps": [3]})").status().attr(), "steps__0");
  EXPECT_EQ(ParseActionRequest(R"({"tags": [1]})").status().attr(), "tags__0");
  EXPECT_EQ(ParseActionRequest(R"({"deleted": "yes"})").status().attr(), "deleted");
  EXPECT_EQ(ParseActionRequest(R"({"steps": [{"properties": "a"}]})").status().attr(),
            "steps__0__properties");
}

TEST(ActionDefinitionTest, IntegersAreAcceptedAsStringsLikeDrf) {
  auto request = ParseActionRequest(R"({"name": 42})");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->name, "42");
}

TEST(ActionDefinitionTest, ParsesActionListsInEveryShape) {
  for (const char* json : {R"([{"id": 3, "name": "a", "steps": [{"event": "e"}]}])",
                           R"({"actions": [{"id": 3, "name": "a", "steps": [{"event": "e"}]}]})",
                           R"({"results": [{"id": 3, "name": "a", "steps": [{"event": "e"}]}]})"}) {
    auto list = ParseActionList(json);
    ASSERT_TRUE(list.ok()) << json << ": " << list.status().ToString();
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].id, 3);
    EXPECT_EQ((*list)[0].name, "a");
    EXPECT_EQ((*list)[0].steps[0].event, "e");
  }
  EXPECT_EQ(ParseActionList(R"([{"name": "no id"}])").status().attr(), "actions__0__id");
}

}  // namespace
}  // namespace actiond::engine
