#include "engine/action_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

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

// Steps with the same selector share its result within an event (the selector is evaluated
// once); each step's other conditions still decide it, and a step that fails before reaching its
// selector must not be taken as the selector's answer.
TEST(ActionSetTest, StepsSharingASelectorAreEachDecidedAsAlone) {
  constexpr std::string_view kSelector = "div.card > button.primary";
  std::vector<std::shared_ptr<const CompiledAction>> actions = {
      // Tried first (same keys, lower id): fails on its URL, before its selector.
      Compile(1, R"([{"event": "$autocapture", "url": "/nowhere",
                      "selector": "div.card > button.primary"}])"),
      // Has all its keys but fails on its element (no div has the text), also before its
      // selector.
      Compile(2, R"([{"event": "$autocapture", "tag_name": "div", "text": "Go",
                      "selector": "div.card > button.primary"}])"),
      // The same selector, written with surrounding spaces.
      Compile(3, R"([{"event": "$autocapture", "selector": "  div.card > button.primary "}])"),
      // The same tokens, another selector: its own answer.
      Compile(4, R"([{"event": "$autocapture", "selector": "div.card button.primary"}])"),
      // Passes its selector, fails its property filter afterwards.
      Compile(5, R"([{"event": "$autocapture", "selector": "div.card > button.primary",
                      "properties": [{"key": "plan", "value": "pro", "type": "event"}]}])"),
  };
  for (ActionId id = 10; id < 30; ++id) {
    actions.push_back(Compile(
        id, R"([{"event": "$autocapture", "selector": ")" + std::string(kSelector) + R"("}])"));
  }
  auto set = ActionSet::Build(actions);
  std::vector<ActionId> all_shared;
  for (ActionId id = 10; id < 30; ++id) all_shared.push_back(id);

  EventReader reader;
  MatchScratch scratch;  // one scratch for all events, as a matcher thread keeps it
  std::vector<ActionId> out;
  auto match = [&](std::string_view chain, std::string_view plan = "free") {
    std::string record = R"({"event": "$autocapture", "properties": {"plan": ")" +
                         std::string(plan) + R"(", "$current_url": "https://a.io/x",
                         "$elements_chain": ")" +
                         std::string(chain) + R"("}})";
    auto view = reader.Read(record);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    if (!view.ok()) return std::vector<ActionId>{};
    set->Match(**view, &scratch, &out);
    for (const auto& action : actions) {  // the plain evaluation agrees
      EXPECT_EQ(std::count(out.begin(), out.end(), action->id()) == 1,
                ActionMatches(*action, **view))
          << "action " << action->id() << " on " << chain;
    }
    return out;
  };
  std::vector<ActionId> child = {3, 4};
  child.insert(child.end(), all_shared.begin(), all_shared.end());
  constexpr std::string_view kChild = R"(button.primary:text=\"Go\";div.card)";
  // Every token present in both chains, but the button is no child of the card here.
  constexpr std::string_view kGrandchild = R"(button.primary:text=\"Go\";span;div.card)";
  EXPECT_EQ(match(kChild), child);
  EXPECT_EQ(match(kGrandchild), (std::vector<ActionId>{4}));  // nothing kept from the last event
  EXPECT_EQ(match(kChild), child);
  std::vector<ActionId> with_plan = {3, 4, 5};
  with_plan.insert(with_plan.end(), all_shared.begin(), all_shared.end());
  EXPECT_EQ(match(kChild, "pro"), with_plan);
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
