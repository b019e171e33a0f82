// The indexed ActionSet against the plain one-action-at-a-time evaluation on the shared
// benchmark workload (bench/gen_workload.py: 1,000 actions, posthog-js-style events), every
// event × every action: the optimisations of action_set.cc must not change a single match
// (docs/architecture.md, "The matcher"). ctest generates the workload first (the fixture in
// tests/engine/CMakeLists.txt) and passes its directory in ACTIOND_WORKLOAD_DIR.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_definition.h"
#include "engine/action_set.h"
#include "engine/compiled_action.h"
#include "engine/event_reader.h"
#include "engine/event_view.h"

namespace actiond::engine {
namespace {

struct Workload {
  std::vector<std::shared_ptr<const CompiledAction>> actions;
  size_t rejected = 0;
  std::vector<std::string> events;
};

Workload Load() {
  Workload workload;
  const char* dir = std::getenv("ACTIOND_WORKLOAD_DIR");
  EXPECT_NE(dir, nullptr) << "ACTIOND_WORKLOAD_DIR is not set";
  if (dir == nullptr) return workload;
  std::ifstream actions_file(std::string(dir) + "/actions.json");
  std::stringstream actions_json;
  actions_json << actions_file.rdbuf();
  auto list = ParseActionList(actions_json.str());
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  if (!list.ok()) return workload;
  for (const ActionListEntry& entry : *list) {
    auto action = CompileAction(entry.id, entry.steps);
    if (action.ok()) {
      workload.actions.push_back(*action);
    } else {
      ++workload.rejected;
    }
  }
  std::ifstream events_file(std::string(dir) + "/events.jsonl");
  for (std::string line; std::getline(events_file, line);) workload.events.push_back(line);
  return workload;
}

TEST(WorkloadAgreementTest, IndexedSetAgreesWithPlainEvaluationOnEveryEventAndAction) {
  const Workload workload = Load();
  // The workload's one selector that is not valid CSS is rejected; the rest compile.
  ASSERT_EQ(workload.actions.size(), 999u);
  EXPECT_EQ(workload.rejected, 1u);
  ASSERT_GE(workload.events.size(), 10'000u);

  // Two sets through one scratch, alternately, as a thread serving two projects would: marks
  // left by one set must not leak into the other's answers.
  auto all = ActionSet::Build(workload.actions);
  std::vector<std::shared_ptr<const CompiledAction>> first_hundred(workload.actions.begin(),
                                                                   workload.actions.begin() + 99);
  auto small = ActionSet::Build(first_hundred);
  MatchScratch scratch;
  std::vector<ActionId> indexed, plain;
  size_t matches = 0, events_matching = 0;
  for (size_t i = 0; i < workload.events.size(); ++i) {
    EventReader reader;  // a fresh reader: elements parsed for this event, nothing cached
    auto view = reader.Read(workload.events[i]);
    ASSERT_TRUE(view.ok()) << "event " << i;
    const auto& set = i % 2 == 0 ? all : small;
    set->Match(**view, &scratch, &indexed);
    plain.clear();
    for (const auto& action : set->actions()) {
      if (ActionMatches(*action, **view)) plain.push_back(action->id());
    }
    ASSERT_EQ(indexed, plain) << "event " << i << " (" << (*view)->name() << ") against "
                              << set->size() << " actions";
    matches += plain.size();
    events_matching += plain.empty() ? 0 : 1;
  }
  // The comparison means something only if the workload matches often.
  EXPECT_GT(matches, workload.events.size());
  EXPECT_GT(events_matching, workload.events.size() / 2);
}

}  // namespace
}  // namespace actiond::engine
