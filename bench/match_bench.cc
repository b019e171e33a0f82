// Match() cost per event on the realistic workload of docs/performance.md "Matching (engine)": 10,
// 100 and 1,000 actions (event-name only, $pageview + URL, $autocapture text/href/selector, custom
// events with property filters) over posthog-js-style events.
//
// Generate the workload as docs/performance.md says (into /tmp/wl), then
//   ACTIOND_WORKLOAD_DIR=/tmp/wl build/bench/match_bench
//
// BM_Read measures reading a stored record alone; BM_ReadAndMatch/N reads and matches against
// the first N actions, so Match's own cost is the difference. Before timing, the indexed result
// is checked against the plain one-action-at-a-time evaluation on the first events.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_set.h"
#include "engine/compiled_action.h"
#include "engine/event_reader.h"

namespace actiond::engine {
namespace {

constexpr size_t kMaxEvents = 50'000;  // enough to mix event kinds; keeps memory small
constexpr size_t kVerifiedEvents = 2'000;

struct Workload {
  std::vector<ActionListEntry> actions;
  std::vector<std::string> events;
  size_t event_bytes = 0;
};

const Workload& LoadWorkload() {
  static const Workload workload = [] {
    const char* dir_env = std::getenv("ACTIOND_WORKLOAD_DIR");
    std::string dir = dir_env ? dir_env : "/tmp/wl";
    Workload w;
    std::ifstream actions_file(dir + "/actions.json");
    std::ifstream events_file(dir + "/events.jsonl");
    if (!actions_file || !events_file) {
      std::cerr << "match_bench: no workload in " << dir
                << " (generate it with bench/gen_workload.py and set "
                   "ACTIOND_WORKLOAD_DIR)\n";
      std::exit(2);
    }
    std::stringstream actions_json;
    actions_json << actions_file.rdbuf();
    auto list = ParseActionList(actions_json.str());
    if (!list.ok()) {
      std::cerr << "match_bench: " << list.status().ToString() << "\n";
      std::exit(2);
    }
    w.actions = std::move(*list);
    std::string line;
    while (w.events.size() < kMaxEvents && std::getline(events_file, line)) {
      w.event_bytes += line.size();
      w.events.push_back(std::move(line));
    }
    return w;
  }();
  return workload;
}

struct CompiledSet {
  std::vector<std::shared_ptr<const CompiledAction>> actions;
  std::shared_ptr<const ActionSet> set;
  size_t rejected = 0;
};

CompiledSet CompileFirst(size_t count) {
  const Workload& workload = LoadWorkload();
  CompiledSet out;
  for (size_t i = 0; i < count && i < workload.actions.size(); ++i) {
    auto action = CompileAction(workload.actions[i].id, workload.actions[i].steps);
    if (!action.ok()) {
      ++out.rejected;  // the workload holds one selector that is not valid CSS
      continue;
    }
    out.actions.push_back(*action);
  }
  out.set = ActionSet::Build(out.actions);
  return out;
}

// The benchmark must measure a correct matcher: indexed and plain agree before timing starts.
bool VerifyAgainstPlain(const CompiledSet& compiled, benchmark::State& state) {
  EventReader reader;
  MatchScratch scratch;
  std::vector<ActionId> indexed, plain;
  const Workload& workload = LoadWorkload();
  for (size_t i = 0; i < kVerifiedEvents && i < workload.events.size(); ++i) {
    auto view = reader.Read(workload.events[i]);
    if (!view.ok()) {
      state.SkipWithError("workload event does not parse");
      return false;
    }
    compiled.set->Match(**view, &scratch, &indexed);
    plain.clear();
    for (const auto& action : compiled.actions) {
      if (ActionMatches(*action, **view)) plain.push_back(action->id());
    }
    if (indexed != plain) {
      state.SkipWithError("indexed and plain matching disagree");
      return false;
    }
  }
  return true;
}

void BM_Read(benchmark::State& state) {
  const Workload& workload = LoadWorkload();
  EventReader reader;
  size_t i = 0;
  for (auto _ : state) {
    auto view = reader.Read(workload.events[i]);
    benchmark::DoNotOptimize(view);
    if (++i == workload.events.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(workload.event_bytes / workload.events.size()));
}
BENCHMARK(BM_Read);

void BM_ReadAndMatch(benchmark::State& state) {
  const Workload& workload = LoadWorkload();
  CompiledSet compiled = CompileFirst(static_cast<size_t>(state.range(0)));
  if (!VerifyAgainstPlain(compiled, state)) return;
  EventReader reader;
  MatchScratch scratch;
  std::vector<ActionId> matched;
  size_t i = 0, matches = 0;
  for (auto _ : state) {
    auto view = reader.Read(workload.events[i]);
    compiled.set->Match(**view, &scratch, &matched);
    matches += matched.size();
    if (++i == workload.events.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["actions"] = static_cast<double>(compiled.actions.size());
  state.counters["rejected"] = static_cast<double>(compiled.rejected);
  state.counters["matches/event"] =
      static_cast<double>(matches) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ReadAndMatch)->Arg(10)->Arg(100)->Arg(1000);

// Which events a BM_MatchOnly variant cycles through.
enum class EventKind { kAll, kAutocapture, kPageview, kCustom };

bool IsKind(std::string_view name, EventKind kind) {
  switch (kind) {
    case EventKind::kAll:
      return true;
    case EventKind::kAutocapture:
      return name == "$autocapture";
    case EventKind::kPageview:
      return name == "$pageview";
    case EventKind::kCustom:
      return name != "$autocapture" && name != "$pageview";
  }
  return false;
}

// Match alone, on one pre-read event at a time cycled through a window of readers, so that
// the figure excludes JSON parsing (elements are parsed lazily once per reader and then cached,
// so this slightly flatters autocapture events; BM_ReadAndMatch is the honest total). The
// _Autocapture, _Pageview and _Custom variants fill the window with events of that kind only,
// so that each kind's cost is read off directly rather than guessed from the mix.
void MatchOnly(benchmark::State& state, EventKind kind) {
  const Workload& workload = LoadWorkload();
  CompiledSet compiled = CompileFirst(static_cast<size_t>(state.range(0)));
  if (!VerifyAgainstPlain(compiled, state)) return;
  constexpr size_t kWindow = 512;
  std::vector<std::unique_ptr<EventReader>> readers;
  std::vector<const EventView*> views;
  for (size_t i = 0; views.size() < kWindow && i < workload.events.size(); ++i) {
    auto reader = std::make_unique<EventReader>();
    const EventView* view = *reader->Read(workload.events[i]);
    if (!IsKind(view->name(), kind)) continue;
    view->elements();  // parse before timing, as the first pass over the window would
    readers.push_back(std::move(reader));
    views.push_back(view);
  }
  MatchScratch scratch;
  std::vector<ActionId> matched;
  size_t i = 0;
  for (auto _ : state) {
    compiled.set->Match(*views[i], &scratch, &matched);
    benchmark::DoNotOptimize(matched.data());
    if (++i == views.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_MatchOnly(benchmark::State& state) { MatchOnly(state, EventKind::kAll); }
BENCHMARK(BM_MatchOnly)->Arg(10)->Arg(100)->Arg(1000);
void BM_MatchOnly_Autocapture(benchmark::State& state) {
  MatchOnly(state, EventKind::kAutocapture);
}
BENCHMARK(BM_MatchOnly_Autocapture)->Arg(1000);
void BM_MatchOnly_Pageview(benchmark::State& state) { MatchOnly(state, EventKind::kPageview); }
BENCHMARK(BM_MatchOnly_Pageview)->Arg(1000);
void BM_MatchOnly_Custom(benchmark::State& state) { MatchOnly(state, EventKind::kCustom); }
BENCHMARK(BM_MatchOnly_Custom)->Arg(1000);

}  // namespace
}  // namespace actiond::engine

BENCHMARK_MAIN();
