// storage::EncodeActionRequest: the form in which the cluster's log carries an action change
// (docs/cluster.md §Actions). What a replica parses back must be the request the producing node
// validated, field for field, and an absent field must stay absent (a PATCH changes only what
// it names).
#include <gtest/gtest.h>

#include <string>

#include "engine/action_definition.h"
#include "storage/action_record.h"

namespace actiond::storage {
namespace {

engine::ActionRequest Parse(std::string_view json) {
  auto parsed = engine::ParseActionRequest(json);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : engine::ActionRequest{};
}

void ExpectSameRequest(const engine::ActionRequest& a, const engine::ActionRequest& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.post_to_slack, b.post_to_slack);
  EXPECT_EQ(a.slack_message_format, b.slack_message_format);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.last_calculated_at, b.last_calculated_at);
  ASSERT_EQ(a.steps.has_value(), b.steps.has_value());
  if (a.steps) {
    ASSERT_EQ(a.steps->size(), b.steps->size());
    for (size_t i = 0; i < a.steps->size(); ++i) {
      EXPECT_EQ((*a.steps)[i].id, (*b.steps)[i].id);
      EXPECT_EQ((*a.steps)[i].name, (*b.steps)[i].name);
    }
    EXPECT_TRUE(SameStepConditions(*a.steps, *b.steps));
  }
}

TEST(ActionRequestEncodingTest, EveryFieldSurvivesTheRoundTrip) {
  const engine::ActionRequest request = Parse(R"({
    "name": "Buy \u00e9 \"now\"", "description": "d\n", "tags": ["a", "b\u0000c"],
    "post_to_slack": true, "slack_message_format": "[user] did [action.name]",
    "deleted": false, "last_calculated_at": "2024-03-18T00:00:00.000Z",
    "steps": [{"id": "7", "event": "$autocapture", "tag_name": "button", "text": "Buy",
               "text_matching": "contains", "href": "/buy", "href_matching": "regex",
               "selector": "div > .buy", "url": "shop", "url_matching": "regex", "name": "s",
               "properties": [{"key": "plan", "value": ["pro", 1], "operator": "exact",
                               "type": "event"}]},
              {"event": "pay"}]})");
  ExpectSameRequest(Parse(EncodeActionRequest(request)), request);
}

TEST(ActionRequestEncodingTest, AbsentFieldsStayAbsent) {
  const engine::ActionRequest patch = Parse(R"({"description": ""})");
  const engine::ActionRequest decoded = Parse(EncodeActionRequest(patch));
  ExpectSameRequest(decoded, patch);
  EXPECT_FALSE(decoded.name.has_value());
  EXPECT_FALSE(decoded.steps.has_value());
  EXPECT_EQ(EncodeActionRequest(engine::ActionRequest{}), "{}");
  // An empty step list is a change (every step removed), not an absent field.
  EXPECT_TRUE(Parse(EncodeActionRequest(Parse(R"({"steps": []})"))).steps.has_value());
}

}  // namespace
}  // namespace actiond::storage
