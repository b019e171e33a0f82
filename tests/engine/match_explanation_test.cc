#include "engine/match_explanation.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/action_compiler.h"
#include "engine/action_set.h"
#include "engine/compiled_action.h"
#include "engine/event_reader.h"

namespace actiond::engine {
namespace {

// Explains the one-action `steps_json` against a stored-event `record`, and checks on the way
// that the explanation agrees with the matcher.
class Explainer {
 public:
  ActionExplanation Explain(std::string_view steps_json, std::string_view record) {
    auto steps = ParseActionSteps(steps_json);
    EXPECT_TRUE(steps.ok()) << steps.status().ToString();
    auto compiled = CompileAction(1, *steps);
    EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
    auto view = reader_.Read(record);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    ActionExplanation explanation = ExplainAction(**compiled, **view);
    EXPECT_EQ(explanation.matched, ActionMatches(**compiled, **view)) << record;
    return explanation;
  }

  // The single condition of the first step.
  ConditionExplanation Only(std::string_view steps_json, std::string_view record) {
    ActionExplanation e = Explain(steps_json, record);
    EXPECT_EQ(e.steps.size(), 1u);
    if (e.steps.empty()) return {};
    EXPECT_EQ(e.steps[0].conditions.size(), 1u);
    if (e.steps[0].conditions.empty()) return {};
    EXPECT_EQ(e.steps[0].matched, e.steps[0].conditions[0].passed);
    return e.steps[0].conditions[0];
  }

 private:
  EventReader reader_;
};

std::string PageviewAt(std::string_view url) {
  return R"({"event": "$pageview", "properties": {"$current_url": ")" + std::string(url) + R"("}})";
}

constexpr std::string_view kChain = R"({"event": "$autocapture", "elements_chain":
  "button.btn.primary:attr__data-attr=\"cta\"nth-child=\"1\"text=\"Sign up\";a.nav:href=\"/pricing\"text=\"Pricing\";div:attr__id=\"main\";body"})";

TEST(MatchExplanationTest, EventConditionShowsTheEventSeen) {
  Explainer x;
  ConditionExplanation c = x.Only(R"([{"event": "signup"}])", R"({"event": "$pageview"})");
  EXPECT_EQ(c.field, "event");
  EXPECT_EQ(c.expected_json, R"("signup")");
  EXPECT_EQ(c.actual_json, R"("$pageview")");
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.reason.find("not \"signup\""), std::string::npos) << c.reason;
  EXPECT_TRUE(x.Only(R"([{"event": "signup"}])", R"({"event": "signup"})").passed);
}

TEST(MatchExplanationTest, UrlConditionReportsEachMatchingMode) {
  Explainer x;
  const std::string record = PageviewAt("https://a.io/pricing?x=1");
  struct Case {
    std::string_view steps, matching;
    bool passed;
  } cases[] = {
      {R"([{"url": "/pricing"}])", "contains", true},
      {R"([{"url": "/pri_ing", "url_matching": "contains"}])", "contains", true},
      {R"([{"url": "/PRICING", "url_matching": "contains"}])", "contains", false},
      {R"([{"url": "https://a.io/pricing", "url_matching": "exact"}])", "exact", false},
      {R"([{"url": "https://a.io/pricing?x=1", "url_matching": "exact"}])", "exact", true},
      {R"([{"url": "^https://a\\.io/p", "url_matching": "regex"}])", "regex", true},
      {R"([{"url": "^/p", "url_matching": "regex"}])", "regex", false},
  };
  for (const Case& k : cases) {
    ConditionExplanation c = x.Only(k.steps, record);
    EXPECT_EQ(c.field, "url");
    EXPECT_EQ(c.matching, k.matching) << k.steps;
    EXPECT_EQ(c.passed, k.passed) << k.steps;
    EXPECT_EQ(c.actual_json, R"("https://a.io/pricing?x=1")");
  }
}

TEST(MatchExplanationTest, UrlConditionWithoutCurrentUrlShowsNull) {
  Explainer x;
  ConditionExplanation c = x.Only(R"([{"url": "/pricing"}])", R"({"event": "$pageview"})");
  EXPECT_FALSE(c.passed);
  EXPECT_FALSE(c.actual_json.has_value());
  EXPECT_EQ(c.reason, "the event has no $current_url");
  c = x.Only(R"([{"url": "7"}])", R"({"event": "e", "properties": {"$current_url": 7}})");
  EXPECT_FALSE(c.passed);  // a number is not a URL (docs/semantics.md §3)
  EXPECT_EQ(c.actual_json, "7");
}

TEST(MatchExplanationTest, ElementConditionsNameTheElementThatSatisfiedThem) {
  Explainer x;
  ActionExplanation e =
      x.Explain(R"([{"tag_name": "a", "text": "Pricing", "href": "/pricing"}])", kChain);
  ASSERT_TRUE(e.matched);
  ASSERT_EQ(e.steps[0].conditions.size(), 3u);
  EXPECT_EQ(e.steps[0].conditions[0].field, "tag_name");
  EXPECT_EQ(e.steps[0].conditions[1].field, "text");
  EXPECT_EQ(e.steps[0].conditions[1].matching, "exact");
  EXPECT_EQ(e.steps[0].conditions[2].field, "href");
  for (const ConditionExplanation& c : e.steps[0].conditions) {
    EXPECT_TRUE(c.passed);
    EXPECT_EQ(c.element_index, 1u);
  }
  EXPECT_EQ(e.steps[0].conditions[1].actual_json, R"("Pricing")");
}

TEST(MatchExplanationTest, ElementConditionsOnDifferentElementsShowTheClosestCandidate) {
  Explainer x;
  // button has the text, a has the tag: no single element has both.
  ActionExplanation e = x.Explain(R"([{"tag_name": "a", "text": "Sign up"}])", kChain);
  EXPECT_FALSE(e.matched);
  ASSERT_EQ(e.steps[0].conditions.size(), 2u);
  const ConditionExplanation& tag = e.steps[0].conditions[0];
  const ConditionExplanation& text = e.steps[0].conditions[1];
  // Element 0 (button) and element 1 (a) each pass one: the first of equals is the candidate.
  EXPECT_EQ(tag.element_index, 0u);
  EXPECT_EQ(text.element_index, 0u);
  EXPECT_FALSE(tag.passed);
  EXPECT_TRUE(text.passed);
  EXPECT_EQ(tag.actual_json, R"("button")");
  EXPECT_NE(tag.reason.find("closest candidate"), std::string::npos) << tag.reason;
}

TEST(MatchExplanationTest, TextAndHrefReportEachMatchingMode) {
  Explainer x;
  struct Case {
    std::string_view steps, field, matching;
    bool passed;
  } cases[] = {
      {R"([{"text": "sign UP", "text_matching": "contains"}])", "text", "contains", true},
      {R"([{"text": "Sign", "text_matching": "exact"}])", "text", "exact", false},
      {R"([{"text": "^Sign", "text_matching": "regex"}])", "text", "regex", true},
      {R"([{"href": "PRIC", "href_matching": "contains"}])", "href", "contains", true},
      {R"([{"href": "/pricing"}])", "href", "exact", true},
      {R"([{"href": "^/x", "href_matching": "regex"}])", "href", "regex", false},
  };
  for (const Case& k : cases) {
    ConditionExplanation c = x.Only(k.steps, kChain);
    EXPECT_EQ(c.field, k.field);
    EXPECT_EQ(c.matching, k.matching) << k.steps;
    EXPECT_EQ(c.passed, k.passed) << k.steps;
    EXPECT_TRUE(c.element_index.has_value()) << k.steps;
  }
}

TEST(MatchExplanationTest, ElementConditionsWithoutElementsSayThereAreNone) {
  Explainer x;
  ConditionExplanation c = x.Only(R"([{"tag_name": "a"}])", R"({"event": "$autocapture"})");
  EXPECT_FALSE(c.passed);
  EXPECT_FALSE(c.element_index.has_value());
  EXPECT_FALSE(c.actual_json.has_value());
  EXPECT_EQ(c.reason, "the event has no elements");
}

TEST(MatchExplanationTest, SelectorNamesTheBoundElementOrTheClosestCandidate) {
  Explainer x;
  ConditionExplanation c = x.Only(R"([{"selector": "div#main a.nav"}])", kChain);
  EXPECT_TRUE(c.passed);
  EXPECT_EQ(c.element_index, 1u);
  EXPECT_EQ(c.expected_json, R"("div#main a.nav")");

  // `a.nav` exists, but not as a child of body.
  c = x.Only(R"([{"selector": "body > a.nav"}])", kChain);
  EXPECT_FALSE(c.passed);
  EXPECT_EQ(c.element_index, 1u);
  EXPECT_NE(c.reason.find("ancestors"), std::string::npos) << c.reason;

  c = x.Only(R"([{"selector": "span"}])", kChain);
  EXPECT_FALSE(c.passed);
  EXPECT_FALSE(c.element_index.has_value());
  EXPECT_EQ(c.reason, "no element matches the selector's last compound");
}

TEST(MatchExplanationTest, EventPropertyFiltersShowValueOperatorAndAbsence) {
  Explainer x;
  const std::string_view record = R"({"event": "e", "properties": {"amount": 42, "plan": "pro"}})";
  ConditionExplanation c = x.Only(
      R"([{"properties": [{"key": "amount", "value": 50, "operator": "gt", "type": "event"}]}])",
      record);
  EXPECT_EQ(c.field, "properties__0");
  EXPECT_EQ(c.op, "gt");
  EXPECT_EQ(c.filter_type, "event");
  EXPECT_EQ(c.key, "amount");
  EXPECT_EQ(c.expected_json, "50");
  EXPECT_EQ(c.actual_json, "42");
  EXPECT_FALSE(c.passed);

  c = x.Only(R"([{"properties": [{"key": "plan", "value": ["pro", "team"]}]}])", record);
  EXPECT_EQ(c.op, "exact");  // the default
  EXPECT_EQ(c.expected_json, R"(["pro","team"])");
  EXPECT_TRUE(c.passed);

  // Absent: null actual; a negative operator passes, a positive one fails.
  c = x.Only(R"([{"properties": [{"key": "coupon", "value": "X", "operator": "is_not"}]}])",
             record);
  EXPECT_FALSE(c.actual_json.has_value());
  EXPECT_TRUE(c.passed);
  EXPECT_NE(c.reason.find("is absent"), std::string::npos) << c.reason;
  c = x.Only(R"([{"properties": [{"key": "coupon", "operator": "is_set"}]}])", record);
  EXPECT_FALSE(c.passed);
  EXPECT_EQ(c.expected_json, "null");
}

TEST(MatchExplanationTest, PersonFiltersReadThePersonPropertiesOfTheRecord) {
  Explainer x;
  const std::string_view steps =
      R"([{"properties": [{"key": "plan", "value": "pro", "type": "person"}]}])";
  ConditionExplanation c = x.Only(
      steps,
      R"({"event": "e", "person_properties": {"plan": "pro"}, "properties": {"plan": "free"}})");
  EXPECT_TRUE(c.passed);
  EXPECT_EQ(c.filter_type, "person");
  EXPECT_EQ(c.actual_json, R"("pro")");
  c = x.Only(steps, R"({"event": "e", "properties": {"plan": "pro"}})");
  EXPECT_FALSE(c.passed);
  EXPECT_FALSE(c.actual_json.has_value());
  EXPECT_NE(c.reason.find("person property \"plan\" is absent"), std::string::npos) << c.reason;
}

TEST(MatchExplanationTest, ElementFiltersNameTheElement) {
  Explainer x;
  ConditionExplanation c = x.Only(
      R"([{"properties": [{"key": "text", "value": "Pricing", "type": "element"}]}])", kChain);
  EXPECT_TRUE(c.passed);
  EXPECT_EQ(c.element_index, 1u);
  EXPECT_EQ(c.actual_json, R"("Pricing")");
  // A negative operator fails because of the element that passes its positive test.
  c = x.Only(
      R"([{"properties": [{"key": "selector", "value": "a.nav", "operator": "is_not", "type": "element"}]}])",
      kChain);
  EXPECT_FALSE(c.passed);
  EXPECT_EQ(c.element_index, 1u);
}

TEST(MatchExplanationTest, EveryStepAndConditionIsReportedAfterAFailure) {
  Explainer x;
  ActionExplanation e = x.Explain(
      R"([{"event": "signup", "url": "/x", "properties": [{"key": "a", "value": 1}]},
          {"event": "$pageview", "url": "/pricing"}])",
      PageviewAt("https://a.io/pricing"));
  EXPECT_TRUE(e.matched);
  ASSERT_EQ(e.steps.size(), 2u);
  EXPECT_FALSE(e.steps[0].matched);
  EXPECT_EQ(e.steps[0].conditions.size(), 3u);  // not cut short after `event` failed
  EXPECT_TRUE(e.steps[1].matched);
  EXPECT_EQ(e.steps[1].index, 1u);
}

TEST(MatchExplanationTest, ActionWithoutStepsMatchesNothing) {
  Explainer x;
  ActionExplanation e = x.Explain("[]", R"({"event": "e"})");
  EXPECT_FALSE(e.matched);
  EXPECT_TRUE(e.steps.empty());
}

}  // namespace
}  // namespace actiond::engine
