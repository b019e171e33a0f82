// Count and people latency of ActionService (the code behind GET …/actions/:id/count/ and
// …/people/) on stores of 1,000 and 1,000,000 events: counts read counters and never scan
// events, so their cost should not grow with the number of stored events.
//
//   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel --target
//   count_bench build-rel/bench/count_bench                               # both sizes
//   build-rel/bench/count_bench --benchmark_filter=events:1000/   # the small store only
//
// The fixture writes straight through WriteBatch (no HTTP, no matching): N ~330-byte
// posthog-js-style events spread over the 90 days before a fixed instant, a person per distinct
// id (N/10 of them), and the match entries of two actions — action 1 ("signed_up", exactly
// 1,000 matching events at every N) and action 2 (`$browser` = Firefox, 10% of the events).
// The store is then closed and reopened, so those reads come from SST files (memtable:0).
// Then a backfill-like pass writes the same matches for actions 3 and 4 (same definitions) in
// chunks of 1,000 events, left in the memtable (memtable:1): the state right after an action
// is created on a running server, where the counters are unmerged merge operands.
// One store per N is built once per process, in a temp dir removed at exit; the fill times are
// printed on stderr.
//
// Before timing, every benchmark's result is checked against a brute-force recount: a scan of
// all stored events, each read and matched by the engine's plain matcher.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_set.h"
#include "engine/compiled_action.h"
#include "engine/date_time.h"
#include "engine/event_reader.h"
#include "service/action_catalog.h"
#include "service/action_service.h"
#include "service/project_locks.h"
#include "storage/action_record.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::storage {
namespace {

constexpr ProjectId kProject = 1;
constexpr ActionId kFixedAction = 1;       // "signed_up": 1,000 matches at every N
constexpr ActionId kTenPercentAction = 2;  // $browser = Firefox: N/10 matches
// The same two definitions, whose matches a backfill-like pass writes after the reopen, so
// that their match entries and counter merge operands are still in the memtable — the state
// right after an action was created and backfilled on a running server.
constexpr ActionId kFixedActionUnflushed = 3;
constexpr ActionId kTenPercentActionUnflushed = 4;
constexpr ActionId kAllActions[] = {kFixedAction, kTenPercentAction, kFixedActionUnflushed,
                                    kTenPercentActionUnflushed};
constexpr size_t kBackfillChunk = 1'000;  // events per backfill commit, like BackfillOptions
constexpr int64_t kFixedMatches = 1'000;
constexpr int64_t kDayMs = 86'400'000;
// 2024-06-15T13:37:21.500Z: "now" is not a midnight, so the last 7 days cut two days in part.
constexpr int64_t kNowMs = 19'889 * kDayMs + 49'041'500;
constexpr int64_t kSpanMs = 90 * kDayMs;
constexpr size_t kPageLimit = 100;
constexpr size_t kEventsPerCommit = 10'000;

// [now - 7 days, now): six whole days and two partly covered ones.
constexpr TimeRange kLast7Days{.from_ms = kNowMs - 7 * kDayMs, .to_ms = kNowMs};
// Thirty whole UTC days ending ten days before now (like date_from=…&date_to=… as dates).
constexpr TimeRange kRange30d{.from_ms = (kNowMs / kDayMs - 40) * kDayMs,
                              .to_ms = (kNowMs / kDayMs - 10) * kDayMs};

uint64_t Mix(uint64_t x) {  // splitmix64: cheap, deterministic spread
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string PersonUuid(int64_t k) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "018f0000-0000-7000-8000-%012" PRIx64, k);
  return buf;
}

// The generated event i of a store of n: which actions it matches is decided here, by
// construction, and recounted later from the stored records by the engine.
struct GeneratedEvent {
  int64_t timestamp_ms;
  std::string uuid;
  std::string distinct_id;
  bool signed_up;  // matches kFixedAction
  bool firefox;    // matches kTenPercentAction
  std::string record;
};

void Generate(int64_t i, int64_t n, int64_t persons, GeneratedEvent* e) {
  const uint64_t r = Mix(static_cast<uint64_t>(i));
  const int64_t step = kSpanMs / n;
  e->timestamp_ms = kNowMs - kSpanMs + i * step + static_cast<int64_t>(r % step);
  e->signed_up = i % (n / kFixedMatches) == 0;
  e->firefox = i % 10 == 3;
  const int64_t person = static_cast<int64_t>((r >> 20) % static_cast<uint64_t>(persons));
  e->distinct_id = "user-" + std::to_string(person);
  char uuid[48];
  std::snprintf(
      uuid, sizeof(uuid), "%08" PRIx64 "-%04" PRIx64 "-7%03" PRIx64 "-8%03" PRIx64 "-%012" PRIx64,
      static_cast<uint64_t>(e->timestamp_ms) >> 16, static_cast<uint64_t>(e->timestamp_ms) & 0xffff,
      (r >> 8) & 0xfff, r & 0xfff, static_cast<uint64_t>(i));
  e->uuid = uuid;
  static constexpr const char* kOthers[] = {"Chrome", "Safari", "Chrome", "Edge"};
  const char* browser = e->firefox ? "Firefox" : kOthers[(r >> 40) % 4];
  const std::string person_uuid = PersonUuid(person);
  char session[48];
  std::snprintf(session, sizeof(session), "018f%04" PRIx64 "-%04" PRIx64 "-7000-9000-%012" PRIx64,
                (r >> 48) & 0xffff, (r >> 32) & 0xffff, person);
  e->record.clear();
  e->record += "{\"uuid\":\"" + e->uuid + "\",\"event\":\"";
  e->record += e->signed_up ? "signed_up" : "$pageview";
  e->record += "\",\"distinct_id\":\"" + e->distinct_id + "\",\"timestamp\":\"" +
               engine::FormatIso8601(e->timestamp_ms) +
               "\",\"properties\":{\"$current_url\":\"https://shop.example.com/products/" +
               std::to_string(r % 5000) + "\",\"$browser\":\"" + browser +
               "\",\"$os\":\"Mac OS X\",\"$lib\":\"web\",\"$lib_version\":\"1.130.0\","
               "\"$session_id\":\"" +
               session + "\",\"$screen_width\":1440},\"person_id\":\"" + person_uuid + "\"}";
}

std::vector<engine::ActionStep> StepsOf(ActionId action) {
  engine::ActionStep step;
  step.id = "1";
  if (action == kFixedAction || action == kFixedActionUnflushed) {
    step.event = "signed_up";
  } else {
    step.properties_json =
        R"([{"key":"$browser","value":"Firefox","operator":"exact","type":"event"}])";
  }
  return {step};
}

// What a brute-force recount over the stored events gives, per action.
struct Expected {
  int64_t all_time = 0;
  int64_t last_7_days = 0;
  int64_t range_30d = 0;
  std::vector<std::string> first_page;  // person uuids, order of first match
  bool has_more = false;
};

bool Contains(const TimeRange& range, int64_t ts) {
  return range.from_ms <= ts && ts < range.to_ms;
}

struct Fixture {
  std::filesystem::path dir;
  int64_t events = 0;
  std::unique_ptr<Store> store;
  service::ActionCatalog catalog;
  service::ProjectLocks locks;
  std::unique_ptr<service::ActionService> service;
  std::map<ActionId, Expected> expected;

  ~Fixture() {
    service.reset();
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

Status Fill(Store* store, int64_t n) {
  const int64_t persons = std::max<int64_t>(n / 10, 1);
  WriteBatch batch(*store);
  Project project{.id = kProject,
                  .name = "Bench",
                  .api_token = "phc_count_bench",
                  .created_at = engine::FormatIso8601(kNowMs - kSpanMs)};
  batch.PutProject(project);
  for (ActionId id : kAllActions) {
    ActionRecord record;
    record.id = id;
    record.team_id = kProject;
    record.name = "bench action " + std::to_string(id);
    record.steps = StepsOf(id);
    record.created_at = engine::FormatIso8601(kNowMs - kSpanMs);
    record.last_calculated_at = engine::FormatIso8601(kNowMs - kSpanMs);
    batch.PutAction(kProject, id, EncodeActionRecord(record));
  }
  for (int64_t k = 0; k < persons; ++k) {
    Person person;
    person.uuid = PersonUuid(k);
    person.id = k + 1;
    person.created_at = engine::FormatIso8601(kNowMs - kSpanMs);
    person.properties_json = "{\"email\":\"user-" + std::to_string(k) + "@example.com\"}";
    person.distinct_ids = {"user-" + std::to_string(k)};
    batch.PutPerson(kProject, person, PersonWrite::kCreate);
    batch.PutDistinctId(kProject, person.distinct_ids[0], person.uuid);
    if (batch.Count() >= 3 * kEventsPerCommit) {
      ACTIOND_RETURN_IF_ERROR(store->Commit(batch));
      batch.Clear();
    }
  }
  GeneratedEvent event;
  for (int64_t i = 0; i < n; ++i) {
    Generate(i, n, persons, &event);
    batch.PutEvent(kProject, event.timestamp_ms, event.uuid, event.record);
    if (event.signed_up) {
      batch.AddMatch(kProject, kFixedAction, event.timestamp_ms, event.uuid, event.distinct_id);
    }
    if (event.firefox) {
      batch.AddMatch(kProject, kTenPercentAction, event.timestamp_ms, event.uuid,
                     event.distinct_id);
    }
    if ((i + 1) % kEventsPerCommit == 0) {
      ACTIOND_RETURN_IF_ERROR(store->Commit(batch));
      batch.Clear();
    }
  }
  if (!batch.empty()) ACTIOND_RETURN_IF_ERROR(store->Commit(batch));
  return Status::Ok();
}

// Writes the matches of the *Unflushed actions in chunks, as the backfill worker does once the
// events are stored.
Status Backfill(Store* store, int64_t n) {
  const int64_t persons = std::max<int64_t>(n / 10, 1);
  WriteBatch batch(*store);
  GeneratedEvent event;
  for (int64_t i = 0; i < n; ++i) {
    Generate(i, n, persons, &event);
    if (event.signed_up) {
      batch.AddMatch(kProject, kFixedActionUnflushed, event.timestamp_ms, event.uuid,
                     event.distinct_id);
    }
    if (event.firefox) {
      batch.AddMatch(kProject, kTenPercentActionUnflushed, event.timestamp_ms, event.uuid,
                     event.distinct_id);
    }
    if ((i + 1) % kBackfillChunk == 0 && !batch.empty()) {
      ACTIOND_RETURN_IF_ERROR(store->Commit(batch));
      batch.Clear();
    }
  }
  if (!batch.empty()) ACTIOND_RETURN_IF_ERROR(store->Commit(batch));
  return Status::Ok();
}

// Recounts every expected result from the stored events alone: each record is read and matched
// by the engine's plain evaluation; persons come from the distinct-id mapping in the records.
Status BruteForce(Fixture* f) {
  struct Compiled {
    ActionId id;
    std::shared_ptr<const engine::CompiledAction> action;
    std::unordered_set<std::string> seen_persons;
  };
  std::vector<Compiled> actions;
  for (ActionId id : kAllActions) {
    ACTIOND_ASSIGN_OR_RETURN(auto compiled, engine::CompileAction(id, StepsOf(id)));
    actions.push_back({id, std::move(compiled), {}});
  }
  engine::EventReader reader;
  Status error;
  ScanOptions all;
  ACTIOND_RETURN_IF_ERROR(f->store->ScanEvents(
      kProject, all, [&](int64_t ts, std::string_view, std::string_view record) {
        auto view = reader.Read(record);
        if (!view.ok()) {
          error = view.status();
          return false;
        }
        for (Compiled& c : actions) {
          if (!engine::ActionMatches(*c.action, **view)) continue;
          Expected& e = f->expected[c.id];
          ++e.all_time;
          if (Contains(kLast7Days, ts)) ++e.last_7_days;
          if (Contains(kRange30d, ts)) ++e.range_30d;
          // Every distinct id is its own person here, named by the number after "user-".
          const std::string_view distinct_id = (*view)->distinct_id();
          const int64_t k = std::stoll(std::string(distinct_id.substr(5)));
          std::string uuid = PersonUuid(k);
          if (c.seen_persons.insert(uuid).second) {
            if (e.first_page.size() < kPageLimit) {
              e.first_page.push_back(std::move(uuid));
            } else {
              e.has_more = true;
            }
          }
        }
        return true;
      }));
  return error;
}

// The stores, one per N. main() clears them before returning: as statics they would be
// destroyed after RocksDB's own function-local statics (its Env is created by the first Open,
// after this map), and closing a store then crashes.
std::map<int64_t, std::unique_ptr<Fixture>>& Fixtures() {
  static auto* fixtures = new std::map<int64_t, std::unique_ptr<Fixture>>();
  return *fixtures;
}

Fixture* GetFixture(int64_t n, benchmark::State& state) {
  auto& fixtures = Fixtures();
  auto it = fixtures.find(n);
  if (it != fixtures.end()) return it->second.get();

  auto f = std::make_unique<Fixture>();
  f->events = n;
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/actiond-count-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return nullptr;
  }
  f->dir = pattern;
  auto fail = [&](const Status& status) -> Fixture* {
    std::cerr << "count_bench: " << status.ToString() << "\n";
    state.SkipWithError("fixture failed");
    return nullptr;
  };

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto store = Store::Open(f->dir.string());
  if (!store.ok()) return fail(store.status());
  if (Status s = Fill(store->get(), n); !s.ok()) return fail(s);
  const auto t1 = Clock::now();
  // Reopen: Close() flushes the memtables, so reads of actions 1 and 2 come from SST files.
  if (Status s = (*store)->Close(); !s.ok()) return fail(s);
  store->reset();
  store = Store::Open(f->dir.string());
  if (!store.ok()) return fail(store.status());
  f->store = std::move(*store);
  const auto t2 = Clock::now();
  if (Status s = Backfill(f->store.get(), n); !s.ok()) return fail(s);
  const auto t3 = Clock::now();
  if (Status s = BruteForce(f.get()); !s.ok()) return fail(s);
  const auto t4 = Clock::now();

  service::ActionServiceOptions options;
  options.start_worker = false;
  f->service = std::make_unique<service::ActionService>(
      f->store.get(), &f->catalog, &f->locks, [] { return kNowMs; }, [](std::string_view) {},
      options);

  auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(f->dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  std::fprintf(stderr,
               "count_bench: %" PRId64
               " events: fill %.2f s (%.0f events/s), close+reopen "
               "%.2f s, backfill of actions 3-4 %.2f s, brute-force recount %.2f s, %.1f MB on "
               "disk\n",
               n, seconds(t1 - t0), n / seconds(t1 - t0), seconds(t2 - t1), seconds(t3 - t2),
               seconds(t4 - t3), bytes / 1e6);
  return (fixtures[n] = std::move(f)).get();
}

// Common set-up: the fixture, the action for (events, matches), and its expected results
// (checked against the requested match count, so the arguments cannot drift from the data).
const Expected* Prepare(benchmark::State& state, Fixture** fixture, ActionId* action) {
  const int64_t events = state.range(0), matches = state.range(1);
  const bool in_memtable = state.range(2) != 0;
  *fixture = GetFixture(events, state);
  if (*fixture == nullptr) return nullptr;
  if (in_memtable) {
    *action = matches == kFixedMatches ? kFixedActionUnflushed : kTenPercentActionUnflushed;
  } else {
    *action = matches == kFixedMatches ? kFixedAction : kTenPercentAction;
  }
  const Expected& e = (*fixture)->expected[*action];
  if (e.all_time != matches) {
    state.SkipWithError("the recount does not find the requested number of matches");
    return nullptr;
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["matches"] = static_cast<double>(matches);
  return &e;
}

void RunCount(benchmark::State& state, const TimeRange& range, int64_t Expected::*expected_count) {
  Fixture* f = nullptr;
  ActionId action = 0;
  const Expected* e = Prepare(state, &f, &action);
  if (e == nullptr) return;
  auto first = f->service->Count(kProject, action, range);
  if (!first.ok() || *first != e->*expected_count) {
    state.SkipWithError("count differs from the brute-force recount");
    return;
  }
  state.counters["count"] = static_cast<double>(*first);
  for (auto _ : state) {
    auto count = f->service->Count(kProject, action, range);
    benchmark::DoNotOptimize(count);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Count_AllTime(benchmark::State& state) {
  RunCount(state, TimeRange{}, &Expected::all_time);
}

void BM_Count_Last7Days(benchmark::State& state) {
  RunCount(state, kLast7Days, &Expected::last_7_days);
}

void BM_Count_DateRange30d(benchmark::State& state) {
  RunCount(state, kRange30d, &Expected::range_30d);
}

// The first page of the people endpoint: ScanMatches until 100 persons are found (one more to
// know has_more) and a distinct-id → person lookup for each new distinct id.
void BM_People_FirstPage(benchmark::State& state) {
  Fixture* f = nullptr;
  ActionId action = 0;
  const Expected* e = Prepare(state, &f, &action);
  if (e == nullptr) return;
  auto first = f->service->People(kProject, action, TimeRange{}, kPageLimit, 0);
  if (!first.ok() || first->has_more != e->has_more ||
      first->people.size() != e->first_page.size()) {
    state.SkipWithError("people page differs from the brute-force recount");
    return;
  }
  for (size_t i = 0; i < e->first_page.size(); ++i) {
    if (first->people[i].uuid != e->first_page[i]) {
      state.SkipWithError("people page differs from the brute-force recount");
      return;
    }
  }
  for (auto _ : state) {
    auto page = f->service->People(kProject, action, TimeRange{}, kPageLimit, 0);
    benchmark::DoNotOptimize(page);
  }
  state.counters["people"] = static_cast<double>(first->people.size());
  state.SetItemsProcessed(state.iterations());
}

// (events, matches, memtable): 1,000 matches at both sizes (at 1,000 events every event
// matches), and the 10% variant; memtable:0 reads an action whose matches were flushed to SST
// files, memtable:1 one whose matches a backfill has just written (still in the memtable).
void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"events", "matches", "memtable"});
  for (int64_t in_memtable : {0, 1}) {
    for (int64_t n : {int64_t{1'000}, int64_t{1'000'000}}) {
      b->Args({n, kFixedMatches, in_memtable});
      b->Args({n, n / 10, in_memtable});
    }
  }
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_Count_AllTime)->Apply(Sizes);
BENCHMARK(BM_Count_Last7Days)->Apply(Sizes);
BENCHMARK(BM_Count_DateRange30d)->Apply(Sizes);
BENCHMARK(BM_People_FirstPage)->Apply(Sizes);

void RemoveFixtures() { Fixtures().clear(); }

}  // namespace
}  // namespace actiond::storage

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  actiond::storage::RemoveFixtures();  // closes the stores and removes their temp dirs
  return 0;
}
