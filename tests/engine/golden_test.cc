// Runs the conformance cases of tests/conformance/matching.jsonl (docs/semantics.md; the server
// runs the same cases end to end in tests/conformance/run_cases.py) through the engine: compile the
// case's action, read each event as a stored record, count the matches. Cases whose outcome depends
// on person state that earlier events build ($set, $identify, aliases…) need the ingestion
// pipeline: they are left out here and run through the server (tests/conformance/run_cases.py, the
// ctest test conformance_cases).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_set.h"
#include "engine/compiled_action.h"
#include "engine/date_time.h"
#include "engine/event_reader.h"
#include "engine/json_parse.h"
#include "engine/json_text_internal.h"
#include "engine/match_explanation.h"

namespace actiond::engine {
namespace {

struct GoldenCase {
  int line = 0;
  std::string name;
  std::string json;
};

bool DependsOnPersonUpdates(simdjson::dom::element root);

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> cases;
  std::ifstream in(ACTIOND_CONFORMANCE_CASES);
  std::string line;
  int number = 0;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::string_view name;
    if (ParseJson(parser, line, &root, &scratch) != simdjson::SUCCESS ||
        root["name"].get_string().get(name) != simdjson::SUCCESS) {
      continue;
    }
    if (DependsOnPersonUpdates(root)) continue;
    cases.push_back({number, std::string(name), line});
  }
  return cases;
}

bool HasKey(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element ignored;
  return object.is_object() && object[key].get(ignored) == simdjson::SUCCESS;
}

constexpr std::string_view kMergeEvents[] = {"$identify", "$create_alias", "$merge_dangerously"};

bool EventUpdatesPersons(simdjson::dom::element event) {
  for (std::string_view key : {"$set", "$set_once", "$unset"}) {
    if (HasKey(event, key) || HasKey(event["properties"].value_unsafe(), key)) return true;
  }
  std::string_view name;
  if (event["event"].get_string().get(name) == simdjson::SUCCESS) {
    for (std::string_view merge : kMergeEvents) {
      if (name == merge) return true;
    }
  }
  return false;
}

// Person state built by the case's own events needs the ingestion pipeline.
bool DependsOnPersonUpdates(simdjson::dom::element root) {
  simdjson::dom::element single;
  if (root["event"].get(single) == simdjson::SUCCESS) return EventUpdatesPersons(single);
  simdjson::dom::array events;
  if (root["events"].get_array().get(events) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element event : events) {
    if (EventUpdatesPersons(event)) return true;
  }
  return false;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, CountMatchesExpectation) {
  const GoldenCase& golden = GetParam();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string json_scratch;
  ASSERT_EQ(ParseJson(parser, golden.json, &root, &json_scratch), simdjson::SUCCESS);

  simdjson::dom::array events;
  simdjson::dom::element single;
  simdjson::dom::parser events_parser;
  if (root["events"].get_array().get(events) != simdjson::SUCCESS) {
    ASSERT_EQ(root["event"].get(single), simdjson::SUCCESS);
    std::string wrapped = "[";
    AppendJsJson(single, &wrapped);
    wrapped += "]";
    events = events_parser.parse(wrapped).get_array().value();
  }

  std::string steps_json;
  simdjson::dom::element action;
  if (root["action"].get(action) == simdjson::SUCCESS) {
    AppendJsJson(action["steps"].value(), &steps_json);
  } else {
    steps_json = "[";
    AppendJsJson(root["step"].value(), &steps_json);
    steps_json += "]";
  }
  int64_t expected = 0;
  bool matches = false;
  if (root["expect_count"].get_int64().get(expected) != simdjson::SUCCESS) {
    ASSERT_EQ(root["matches"].get_bool().get(matches), simdjson::SUCCESS);
    expected = matches ? 1 : 0;
  }

  auto steps = ParseActionSteps(steps_json);
  ASSERT_TRUE(steps.ok()) << steps.status().ToString();
  auto compiled = CompileAction(1, *steps);
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  auto set = ActionSet::Build({*compiled});

  // As the conformance runner does: the case's `person` is $set on the first event, so it is the
  // person properties of every event of the first event's distinct id.
  std::string person = "{}";
  simdjson::dom::element person_element;
  if (root["person"].get(person_element) == simdjson::SUCCESS) {
    person.clear();
    AppendJsJson(person_element, &person);
  }
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::string first_distinct_id = "golden-user";
  EventReader reader;
  MatchScratch scratch;
  std::vector<ActionId> matched;
  int64_t count = 0;
  bool first = true;
  for (simdjson::dom::element event : events) {
    std::string distinct_id = "golden-user";
    std::string_view given;
    if (event["distinct_id"].get_string().get(given) == simdjson::SUCCESS) distinct_id = given;
    if (first) first_distinct_id = distinct_id;
    first = false;
    bool has_person = true;
    simdjson::dom::element properties = event["properties"].value_unsafe();
    bool process = true;
    if (HasKey(properties, "$process_person_profile") &&
        properties["$process_person_profile"].get_bool().get(process) == simdjson::SUCCESS &&
        !process) {
      has_person = false;
    }

    std::string record = R"({"uuid":"00000000-0000-4000-8000-000000000000","event":)";
    AppendJsJson(event["event"].value(), &record);
    record += R"(,"distinct_id":)";
    AppendJsonString(distinct_id, &record);
    record += R"(,"timestamp":)";
    simdjson::dom::element timestamp;
    if (event["timestamp"].get(timestamp) == simdjson::SUCCESS) {
      AppendJsJson(timestamp, &record);
    } else {
      AppendJsonString(FormatIso8601(now_ms), &record);
    }
    record += R"(,"properties":)";
    if (properties.is_object()) {
      AppendJsJson(properties, &record);
    } else {
      record += "{}";
    }
    simdjson::dom::element chain;
    if (event["elements_chain"].get(chain) == simdjson::SUCCESS) {
      record += R"(,"elements_chain":)";
      AppendJsJson(chain, &record);
    }
    record += R"(,"person_properties":)";
    record += (has_person && distinct_id == first_distinct_id) ? person : "{}";
    record += "}";

    auto view = reader.Read(record);
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    set->Match(**view, &scratch, &matched);
    EXPECT_EQ(!matched.empty(), ActionMatches(**compiled, **view)) << "indexed ≠ plain";
    // Explain must give the matcher's answer on every case (match_explanation.h).
    EXPECT_EQ(ExplainAction(**compiled, **view).matched, !matched.empty()) << "explain ≠ match";
    count += matched.empty() ? 0 : 1;
  }
  EXPECT_EQ(count, expected) << golden.name << " (tests/conformance/matching.jsonl line "
                             << golden.line << ")";
}

INSTANTIATE_TEST_SUITE_P(Conformance, GoldenTest, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& case_info) {
                           return "line" + std::to_string(case_info.param.line);
                         });

}  // namespace
}  // namespace actiond::engine
