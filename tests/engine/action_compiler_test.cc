#include "engine/action_compiler.h"

#include <gtest/gtest.h>

#include "engine/compiled_action.h"

namespace actiond::engine {
namespace {

Status CompileSteps(std::string_view steps_json) {
  auto steps = ParseActionSteps(steps_json);
  if (!steps.ok()) return steps.status();
  auto compiled = CompileAction(1, *steps);
  return compiled.ok() ? Status::Ok() : compiled.status();
}

TEST(ActionCompilerTest, AcceptsEveryMatchingModeAndEmptyFields) {
  EXPECT_TRUE(CompileSteps(R"([{"url": "/a", "url_matching": "contains"},
                               {"url": "/a", "url_matching": "exact"},
                               {"url": "^/a", "url_matching": "regex"},
                               {"url": "/a", "url_matching": null},
                               {"url": "/a", "url_matching": ""},
                               {"text": "a", "text_matching": "contains"},
                               {"href": "a", "href_matching": "regex"},
                               {"event": "", "url": "", "selector": "", "properties": []}])")
                  .ok());
}

TEST(ActionCompilerTest, UnknownUrlMatchingIsAnInvalidChoice) {
  Status status = CompileSteps(R"([{"event": "e"}, {"url": "/a", "url_matching": "startswith"}])");
  EXPECT_EQ(status.reason(), StatusReason::kInvalidChoice);
  EXPECT_EQ(status.attr(), "steps__1__url_matching");
  EXPECT_NE(status.message().find("startswith"), std::string_view::npos);
  EXPECT_NE(status.message().find("use contains, exact or regex"), std::string_view::npos)
      << status.ToString();
}

TEST(ActionCompilerTest, UnknownModeIsRejectedEvenWithoutAPattern) {
  Status status = CompileSteps(R"([{"text_matching": "fuzzy"}])");
  EXPECT_EQ(status.reason(), StatusReason::kInvalidChoice);
  EXPECT_EQ(status.attr(), "steps__0__text_matching");
}

TEST(ActionCompilerTest, InvalidRegexNamesTheField) {
  Status url = CompileSteps(R"([{"url": "(unclosed", "url_matching": "regex"}])");
  EXPECT_EQ(url.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(url.attr(), "steps__0__url");
  Status href = CompileSteps(R"json([{}, {"href": "a(?=b)", "href_matching": "regex"}])json");
  EXPECT_EQ(href.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(href.attr(), "steps__1__href");
}

TEST(ActionCompilerTest, CostlyRegexIsAValidationErrorNotAStall) {
  Status status = CompileSteps(R"([{"url": "\\pL{1000}", "url_matching": "regex"}])");
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(status.attr(), "steps__0__url");
}

TEST(ActionCompilerTest, UnsupportedSelectorNamesTheField) {
  Status status = CompileSteps(R"([{"selector": "a:hover"}])");
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(status.attr(), "steps__0__selector");
}

TEST(ActionCompilerTest, FilterErrorsCarryTheFullPath) {
  Status op = CompileSteps(
      R"([{}, {"properties": [{"key": "a", "value": 1}, {"key": "b", "value": 1,
                                                        "operator": "like"}]}])");
  EXPECT_EQ(op.reason(), StatusReason::kInvalidChoice);
  EXPECT_EQ(op.attr(), "steps__1__properties__1__operator");
  Status value =
      CompileSteps(R"([{"properties": [{"key": "a", "value": "(", "operator": "regex"}]}])");
  EXPECT_EQ(value.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(value.attr(), "steps__0__properties__0__value");
  Status type = CompileSteps(R"([{"properties": [{"key": "a", "value": 1, "type": "cohort"}]}])");
  EXPECT_EQ(type.reason(), StatusReason::kInvalidChoice);
  EXPECT_EQ(type.attr(), "steps__0__properties__0__type");
}

TEST(ActionCompilerTest, AbsentConditionsAreNotCompiled) {
  auto steps = ParseActionSteps(R"([{"event": "", "url": null, "tag_name": "", "text": null}])");
  ASSERT_TRUE(steps.ok());
  auto compiled = CompileAction(7, *steps);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ((*compiled)->id(), 7);
  const CompiledStep& step = (*compiled)->steps()[0];
  EXPECT_FALSE(step.event || step.url || step.tag_name || step.text || step.href || step.selector);
  EXPECT_TRUE(step.filters.empty());
}

}  // namespace
}  // namespace actiond::engine
