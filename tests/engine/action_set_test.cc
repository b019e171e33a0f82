#include "engine/action_set.h"

#include <gtest/gtest.h>

#include "engine/action_compiler.h"
#include "engine/compiled_action.h"
#include "engine/event_reader.h"

namespace actiond::engine {
namespace {

std::shared_ptr<const CompiledAction> Compile(ActionId id, std::string_view steps_json) {
  auto steps = ParseActionSteps(steps_json);
  EXPECT_TRUE(steps.ok()) << steps.status().ToString();
  auto compiled = CompileAction(id, *steps);
  EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
  return *compiled;
}

std::vector<ActionId> MatchRecord(const ActionSet& set, std::string_view record) {
  EventReader reader;
  MatchScratch scratch;
  std::vector<ActionId> out;
  auto view = reader.Read(record);
  EXPECT_TRUE(view.ok());
  set.Match(**view, &scratch, &out);
  return out;
}

TEST(ActionSetTest, EmptySetMatchesNothing) {
  auto set = ActionSet::Build({});
  EXPECT_TRUE(MatchRecord(*set, R"({"event": "e"})").empty());
}

TEST(ActionSetTest, ReturnsEachMatchingActionOnceInAscendingOrder) {
  auto set = ActionSet::Build({
      Compile(9, R"([{"event": "$pageview"}, {"url": "/pricing"}])"),  // both steps match
      Compile(2, R"([{}])"), Compile(5, R"([{"event": "signup"}])"),
      Compile(3, R"([])"),  // no steps: never matches
  });
  EXPECT_EQ(MatchRecord(*set, R"({"event": "$pageview",
                                  "properties": {"$current_url": "https://a.io/pricing"}})"),
            (std::vector<ActionId>{2, 9}));
  EXPECT_EQ(MatchRecord(*set, R"({"event": "signup"})"), (std::vector<ActionId>{2, 5}));
}

TEST(ActionSetTest, UrlSetAgreesWithEachMatcher) {
  // Enough URL steps in one bucket to be combined into an RE2::Set.
  auto set = ActionSet::Build({
      Compile(1, R"([{"event": "$pageview", "url": "/blog/%/2024", "url_matching": "contains"}])"),
      Compile(2, R"([{"event": "$pageview", "url": "https://a.io/x", "url_matching": "exact"}])"),
      Compile(3, R"([{"event": "$pageview", "url": "(?i)/DOCS/", "url_matching": "regex"}])"),
      Compile(4, R"([{"event": "$pageview", "url": "/v_/", "url_matching": "contains"}])"),
      Compile(5, R"([{"event": "$pageview", "url": "a.io/x?", "url_matching": "contains"}])"),
      Compile(6, R"([{"event": "$pageview", "url": "/x", "url_matching": "exact"}])"),
  });
  auto match = [&](std::string_view url) {
    std::string record =
        R"({"event": "$pageview", "properties": {"$current_url": ")" + std::string(url) + R"("}})";
    return MatchRecord(*set, record);
  };
  EXPECT_EQ(match("https://a.io/x"), (std::vector<ActionId>{2}));
  EXPECT_EQ(match("https://a.io/x?y"), (std::vector<ActionId>{5}));
  EXPECT_EQ(match("https://a.io/blog/post/2024"), (std::vector<ActionId>{1}));
  EXPECT_EQ(match("https://a.io/docs/v2/"), (std::vector<ActionId>{3, 4}));
  EXPECT_EQ(match("https://a.io/vé/"), (std::vector<ActionId>{4}));  // _ is one code point
  EXPECT_TRUE(match("https://a.io/other").empty());
}

TEST(ActionSetTest, UrlStepsFailWithoutAStringCurrentUrl) {
  auto set = ActionSet::Build({Compile(1, R"([{"url": "%"}])")});
  EXPECT_TRUE(MatchRecord(*set, R"({"event": "e", "properties": {"$current_url": 1}})").empty());
  EXPECT_EQ(MatchRecord(*set, R"({"event": "e", "properties": {"$current_url": "x"}})"),
            (std::vector<ActionId>{1}));
}

TEST(ActionSetTest, ElementStepsMatchOnlyWhenTheirWholeConditionHolds) {
  // Element steps are reached through their keys (required tokens, text and href conditions):
  // having every key is necessary, not sufficient, and an element with no text or href still
  // offers "" to text and href conditions (docs/semantics.md §8.1).
  auto set = ActionSet::Build({
      Compile(1, R"([{"event": "$autocapture", "selector": "div.card > button.primary"}])"),
      Compile(2, R"([{"event": "$autocapture", "tag_name": "button", "text": "Go"}])"),
      Compile(3, R"([{"event": "$autocapture", "selector": "span.missing"}])"),
      Compile(4, R"([{"event": "$autocapture", "text": "^$", "text_matching": "regex"}])"),
      Compile(5, R"([{"event": "$autocapture", "href": "/x"}])"),
      // Its tag and its text are both in the chain, but not on one element.
      Compile(6, R"([{"event": "$autocapture", "tag_name": "div", "text": "Go"}])"),
      Compile(7, R"([{"event": "$autocapture", "href": "^$", "href_matching": "regex"}])"),
      Compile(8, R"([{"event": "$autocapture", "selector": "button.primary > div.card"}])"),
  });
  EXPECT_EQ(MatchRecord(*set, R"({"event": "$autocapture", "properties": {"$elements_chain":
                "button.primary:text=\"Go\";div.card:attr__class=\"card\""}})"),
            (std::vector<ActionId>{1, 2, 4, 7}));
  // Each element has a text and an href: "" is offered to nothing.
  EXPECT_EQ(MatchRecord(*set, R"({"event": "$autocapture", "properties": {"$elements_chain":
                "button.primary:href=\"/x\"text=\"Go\";div.card:href=\"/y\"text=\"Card\""}})"),
            (std::vector<ActionId>{1, 2, 5}));
}

TEST(ActionSetTest, ScratchIsReusableAcrossSetsOfDifferentSizes) {
  auto small = ActionSet::Build({Compile(1, R"([{}])")});
  auto large = ActionSet::Build(
      {Compile(1, R"([{}])"), Compile(2, R"([{}])"), Compile(3, R"([{"event": "x"}])")});
  EventReader reader;
  MatchScratch scratch;
  std::vector<ActionId> out;
  auto view = reader.Read(R"({"event": "x"})");
  ASSERT_TRUE(view.ok());
  small->Match(**view, &scratch, &out);
  EXPECT_EQ(out, (std::vector<ActionId>{1}));
  large->Match(**view, &scratch, &out);
  EXPECT_EQ(out, (std::vector<ActionId>{1, 2, 3}));
  small->Match(**view, &scratch, &out);
  EXPECT_EQ(out, (std::vector<ActionId>{1}));
}

}  // namespace
}  // namespace actiond::engine
