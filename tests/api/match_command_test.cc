#include "api/match_command.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace actiond::api {
namespace {

const std::string kDir = std::string(ACTIOND_GOLDEN_DIR) + "/match_command";

struct RunResult {
  int exit_code;
  std::string out;
  std::string err;
};

RunResult RunWith(const MatchCommandOptions& options) {
  std::ostringstream out, err;
  int code = RunMatchCommand(options, out, err);
  return {code, out.str(), err.str()};
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(MatchCommandTest, PrintsTheMatchingActionsOfEachEvent) {
  RunResult run = RunWith({kDir + "/actions.json", kDir + "/events.jsonl"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(
      run.out,
      R"({"line":1,"uuid":"e1","event":"$pageview","matches":[{"id":1,"name":"Pricing viewed"}]})"
      "\n"
      R"({"line":3,"uuid":"e2","event":"$autocapture","matches":[{"id":2,"name":"Signed up"}]})"
      "\n"
      R"({"line":4,"uuid":"e3","event":"other","matches":[]})"
      "\n");
}

TEST(MatchCommandTest, AnInvalidActionFailsWithItsFieldAndExitCode2) {
  std::string actions = WriteTemp(
      "bad_actions.json", R"([{"id": 5, "name": "x", "steps": [{"selector": "a:hover"}]}])");
  RunResult run = RunWith({actions, kDir + "/events.jsonl"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("steps__0__selector"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(":hover"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(MatchCommandTest, SkipInvalidActionsReportsAndGoesOn) {
  std::string actions =
      WriteTemp("mixed_actions.json",
                R"([{"id": 5, "name": "x", "steps": [{"url": "(", "url_matching": "regex"}]},
          {"id": 6, "name": "all", "steps": [{}]}])");
  RunResult run = RunWith({actions, kDir + "/events.jsonl", /*skip_invalid_actions=*/true});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.err.find("skipped 1 invalid action"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find(R"("matches":[{"id":6,"name":"all"}])"), std::string::npos);
}

TEST(MatchCommandTest, ExplainAddsEachActionsExplanationToEveryLine) {
  MatchCommandOptions options{kDir + "/actions.json", kDir + "/events.jsonl"};
  options.explain = true;
  options.explain_action = 1;
  RunResult run = RunWith(options);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(
      run.out.substr(0, run.out.find('\n')),
      R"({"line":1,"uuid":"e1","event":"$pageview","matches":[{"id":1,"name":"Pricing viewed"}],)"
      R"("explanations":[{"id":1,"name":"Pricing viewed","explanation":{"matched":true,"steps":[)"
      R"({"index":0,"matched":true,"conditions":[{"field":"event","expected":"$pageview",)"
      R"("actual":"$pageview","passed":true,"reason":"the event is \"$pageview\""},)"
      R"({"field":"url","expected":"/pricing","matching":"contains",)"
      R"("actual":"https://a.io/pricing","passed":true,)"
      R"x("reason":"$current_url contains \"/pricing\" (LIKE, case-sensitive)"}]}]}}]})x");

  // Every action (the deleted one is not compiled, so not explained), matching or not.
  options.explain_action = 0;
  run = RunWith(options);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string last = run.out.substr(run.out.rfind("{\"line\":4"));
  EXPECT_NE(last.find(R"("explanations":[{"id":1,)"), std::string::npos) << last;
  EXPECT_NE(last.find(R"({"id":2,"name":"Signed up","explanation":{"matched":false,)"),
            std::string::npos)
      << last;

  options.explain_action = 42;
  EXPECT_EQ(RunWith(options).exit_code, 2);
}

TEST(MatchCommandTest, BadFilesAndLinesExitWith2) {
  EXPECT_EQ(RunWith({"/nonexistent/actions.json", kDir + "/events.jsonl"}).exit_code, 2);
  EXPECT_EQ(RunWith({kDir + "/actions.json", "/nonexistent/events.jsonl"}).exit_code, 2);
  std::string events = WriteTemp("bad_events.jsonl", "{\"event\": \"ok\"}\nnot json\n");
  RunResult run = RunWith({kDir + "/actions.json", events});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(":2:"), std::string::npos) << run.err;
  std::string not_actions = WriteTemp("not_actions.json", "{\"x\": 1}");
  EXPECT_EQ(RunWith({not_actions, kDir + "/events.jsonl"}).exit_code, 2);
}

}  // namespace
}  // namespace actiond::api
