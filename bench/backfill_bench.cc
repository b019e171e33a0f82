// Backfill against a bare scan of the same events (issue #11 item 6, docs/performance.md
// "Backfill against a bare scan"): how close recomputing an action over the stored events comes
// to merely reading them.
//
//   ACTIOND_WORKLOAD_DIR=/tmp/wl build/bench/backfill_bench
//   ACTIOND_BACKFILL_EVENTS=20000 build/bench/backfill_bench        # a quick run
//
// The fixture (built once, timed on stderr): a fresh store in a temp dir, one project, and the
// workload's events (bench/gen_workload.py; at most ACTIOND_BACKFILL_EVENTS, default all)
// ingested through the real path — capture bodies of 100 events, CapturePayloadParser, then
// IngestPipeline::Ingest, as the capture resource does — with no action defined. The stack is
// then closed and reopened, so both benchmarks read flushed tables, not the memtable.
//
//   BM_Scan_Bare           one RocksDB iterator over the project's events (Store::ScanEvents),
//                          touching every byte of every value: the floor any backfill pays.
//   BM_Backfill_OneAction  ActionService::Create of a workload action, then waiting until its
//                          backfill (BackfillWorker: read 1,000 events, parse, match with the
//                          plain matcher, commit the matches, under the project lock) is done.
// Both report events/s (items). Before timing, the backfill's count is checked against a
// brute-force recount (every stored event read and matched by engine::ActionMatches), and the
// scan's event count against the store's. Every action the fixture creates is soft-deleted
// after its iteration, so the next create starts a backfill of its own.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_definition.h"
#include "engine/action_set.h"
#include "engine/capture_payload.h"
#include "engine/compiled_action.h"
#include "engine/event_reader.h"
#include "service/account_service.h"
#include "service/action_catalog.h"
#include "service/action_service.h"
#include "service/ingest_pipeline.h"
#include "service/project_locks.h"
#include "storage/store.h"

namespace actiond::service {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kEventsPerRequest = 100;      // what bench/load_generator and posthog-node send
constexpr int64_t kNowMs = 1'796'000'000'000;  // 2026-11-30: after every workload event
constexpr auto kBackfillTimeout = std::chrono::minutes(30);

// The services the capture resource and the Actions API use, over one store (as ServiceStack
// wires them, without webhooks), with the store at hand for the bare scan.
struct Services {
  std::unique_ptr<storage::Store> store;
  ActionCatalog catalog;
  ProjectLocks locks;
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<IngestPipeline> ingest;
  std::unique_ptr<ActionService> actions;

  ~Services() {
    if (actions) actions->Stop();
    if (store) (void)store->Close();
  }
};

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<Services> stack;
  ProjectId project = 0;
  int64_t events = 0;
  std::vector<engine::ActionListEntry> actions;
  std::shared_ptr<const engine::CompiledAction> compiled_first;  // for the brute force
  size_t first = 0;      // index in `actions` of the benchmarked action
  int64_t expected = 0;  // its brute-force count
  int64_t created = 0;   // actions created so far (their names must differ)

  ~Fixture() {
    stack.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

// CPU seconds of the whole process: the backfill runs on the worker thread, and RocksDB's
// compactions on its own, so the benchmark thread's CPU time would miss most of it.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void Die(const std::string& what, const Status& status) {
  std::cerr << "backfill_bench: " << what << ": " << status.ToString() << "\n";
  std::exit(1);
}

Result<std::unique_ptr<Services>> OpenStack(const std::filesystem::path& dir) {
  auto s = std::make_unique<Services>();
  ACTIOND_ASSIGN_OR_RETURN(s->store, storage::Store::Open(dir.string()));
  auto clock = [] { return kNowMs; };
  s->accounts = std::make_unique<AccountService>(s->store.get(), clock, &s->locks);
  s->ingest = std::make_unique<IngestPipeline>(s->store.get(), &s->catalog, &s->locks);
  s->actions = std::make_unique<ActionService>(s->store.get(), &s->catalog, &s->locks, clock,
                                               [](std::string_view) {});
  ACTIOND_RETURN_IF_ERROR(s->actions->LoadAll());
  return s;
}

// Reads the workload, ingests its events through the capture parser and IngestPipeline.
std::unique_ptr<Fixture> Build() {
  const char* dir_env = std::getenv("ACTIOND_WORKLOAD_DIR");
  const std::string workload = dir_env ? dir_env : "/tmp/wl";
  const char* limit_env = std::getenv("ACTIOND_BACKFILL_EVENTS");
  const int64_t limit = limit_env ? std::atoll(limit_env) : INT64_MAX;
  std::ifstream actions_file(workload + "/actions.json");
  std::ifstream events_file(workload + "/events.jsonl");
  if (!actions_file || !events_file) {
    std::cerr << "backfill_bench: no workload in " << workload
              << " (generate it with bench/gen_workload.py, set ACTIOND_WORKLOAD_DIR)\n";
    std::exit(2);
  }
  auto f = std::make_unique<Fixture>();
  std::stringstream actions_json;
  actions_json << actions_file.rdbuf();
  Result<std::vector<engine::ActionListEntry>> list = engine::ParseActionList(actions_json.str());
  if (!list.ok()) Die("reading actions.json", list.status());
  f->actions = std::move(*list);

  f->dir =
      std::filesystem::temp_directory_path() / ("backfill_bench." + std::to_string(::getpid()));
  Result<std::unique_ptr<Services>> stack = OpenStack(f->dir);
  if (!stack.ok()) Die("opening the store", stack.status());
  f->stack = std::move(*stack);
  Result<Project> project = f->stack->accounts->CreateProject("backfill_bench");
  if (!project.ok()) Die("creating the project", project.status());
  f->project = project->id;

  const auto t0 = Clock::now();
  engine::CapturePayloadParser parser;
  engine::CaptureRequest request;
  engine::CaptureOptions options;
  options.now_ms = kNowMs;
  std::string body;
  std::string line;
  size_t in_body = 0;
  auto flush = [&] {
    if (in_body == 0) return;
    body.append("]}");
    if (Status s = parser.Parse(body, options, &request); !s.ok()) Die("parsing a batch", s);
    Result<IngestResult> ingested = f->stack->ingest->Ingest(f->project, request.events);
    if (!ingested.ok()) Die("ingesting", ingested.status());
    f->events += static_cast<int64_t>(ingested->stored);
    in_body = 0;
  };
  int64_t read = 0;
  while (read < limit && std::getline(events_file, line)) {
    if (in_body == 0) body = R"({"api_key":")" + project->api_token + R"(","batch":[)";
    if (in_body > 0) body.push_back(',');
    body.append(line);
    ++read;
    if (++in_body == kEventsPerRequest) flush();
  }
  flush();
  const auto t1 = Clock::now();
  // Reopen: Close() flushes, so both benchmarks read tables, as a backfill on a server that has
  // run a while mostly does.
  f->stack.reset();  // closes the store
  stack = OpenStack(f->dir);
  if (!stack.ok()) Die("reopening the store", stack.status());
  f->stack = std::move(*stack);

  // The benchmarked action: the workload's first that compiles and matches something (its
  // first is an event-name action, the commonest kind).
  for (size_t i = 0; i < f->actions.size() && f->expected == 0; ++i) {
    Result<std::shared_ptr<const engine::CompiledAction>> compiled =
        engine::CompileAction(f->actions[i].id, f->actions[i].steps);
    if (!compiled.ok()) continue;
    f->first = i;
    f->compiled_first = *compiled;
    engine::EventReader reader;
    int64_t n = 0;
    Status error;
    storage::ScanOptions all;
    Status scanned = f->stack->store->ScanEvents(
        f->project, all, [&](int64_t, std::string_view, std::string_view record) {
          Result<const engine::EventView*> view = reader.Read(record);
          if (!view.ok()) {
            error = view.status();
            return false;
          }
          if (engine::ActionMatches(*f->compiled_first, **view)) ++n;
          return true;
        });
    if (!scanned.ok()) Die("brute-force recount", scanned);
    if (!error.ok()) Die("brute-force recount", error);
    f->expected = n;
  }
  const auto t2 = Clock::now();
  auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::fprintf(stderr,
               "backfill_bench: %" PRId64
               " events ingested in %.2f s (%.0f events/s, %zu per "
               "request); action %" PRId64 " (workload #%zu) matches %" PRId64
               " of them (brute force, %.2f s)\n",
               f->events, seconds(t1 - t0), static_cast<double>(f->events) / seconds(t1 - t0),
               kEventsPerRequest, f->actions[f->first].id, f->first, f->expected, seconds(t2 - t1));
  return f;
}

// Cleared by main() before it returns: a static destroyed after RocksDB's own statics would
// close the store too late.
std::unique_ptr<Fixture>& FixtureSlot() {
  static std::unique_ptr<Fixture> fixture;
  return fixture;
}

Fixture& GetFixture() {
  if (!FixtureSlot()) FixtureSlot() = Build();
  return *FixtureSlot();
}

void BM_Scan_Bare(benchmark::State& state) {
  Fixture& f = GetFixture();
  const storage::Store& store = *f.stack->store;
  int64_t bytes = 0;
  const double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    int64_t n = 0;
    uint64_t touched = 0;
    storage::ScanOptions all;
    Status s =
        store.ScanEvents(f.project, all, [&](int64_t, std::string_view, std::string_view record) {
          for (char c : record) touched += static_cast<unsigned char>(c);
          bytes += static_cast<int64_t>(record.size());
          ++n;
          return true;
        });
    benchmark::DoNotOptimize(touched);
    if (!s.ok() || n != f.events) {
      state.SkipWithError("the scan did not read every stored event");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * f.events);
  state.SetBytesProcessed(bytes);
  state.counters["process_cpu_us_per_event"] =
      (ProcessCpuSeconds() - cpu_start) * 1e6 / static_cast<double>(state.iterations() * f.events);
}

void BM_Backfill_OneAction(benchmark::State& state) {
  Fixture& f = GetFixture();
  ActionService& actions = *f.stack->actions;
  double cpu = 0;
  for (auto _ : state) {
    const double cpu_start = ProcessCpuSeconds();
    engine::ActionRequest request;
    request.name = "backfill_bench " + std::to_string(++f.created);
    request.steps = f.actions[f.first].steps;
    Result<ActionRecord> created = actions.Create(f.project, request, std::nullopt);
    if (!created.ok() || !actions.WaitForBackfills(kBackfillTimeout)) {
      state.SkipWithError("the backfill did not finish");
      return;
    }
    state.PauseTiming();
    cpu += ProcessCpuSeconds() - cpu_start;
    Result<int64_t> count = actions.Count(f.project, created->id);
    engine::ActionRequest remove;
    remove.deleted = true;
    const bool removed = actions.Update(f.project, created->id, remove, /*partial=*/true).ok();
    state.ResumeTiming();
    if (!count.ok() || *count != f.expected || !removed) {
      state.SkipWithError("the backfill's count differs from the brute-force recount");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * f.events);
  state.counters["matches"] = static_cast<double>(f.expected);
  state.counters["process_cpu_us_per_event"] =
      cpu * 1e6 / static_cast<double>(state.iterations() * f.events);
}

BENCHMARK(BM_Scan_Bare)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(BM_Backfill_OneAction)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace actiond::service

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  actiond::service::FixtureSlot().reset();
  benchmark::Shutdown();
  return 0;
}
