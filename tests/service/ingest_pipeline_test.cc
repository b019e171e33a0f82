// One capture request → events, persons, matches and counters in one commit: exactly once,
// persons stamped on records, person filters, all or nothing, and concurrent requests.
#include "service/ingest_pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_definition.h"
#include "engine/capture_payload.h"
#include "service/action_catalog.h"
#include "service/project_locks.h"
#include "tests/storage/store_fixture.h"

namespace actiond::service {
namespace {

// The services are tested against a real Store (tests/storage/store_fixture.h).
using namespace ::actiond::storage;  // NOLINT(google-build-using-namespace)

constexpr ProjectId kProject = 1;
constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
constexpr int64_t kNow = kT0 + 3'600'000;

std::string Uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

engine::CapturedEvent Event(int n, std::string name, std::string distinct_id,
                            std::string set_json = "{}") {
  engine::CapturedEvent e;
  e.uuid = Uuid(n);
  e.event = std::move(name);
  e.distinct_id = std::move(distinct_id);
  e.timestamp_ms = kT0 + n * 1000;
  e.properties_json = "{}";
  e.set_json = std::move(set_json);
  return e;
}

class IngestPipelineTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    pipeline_ = std::make_unique<IngestPipeline>(store_.get(), &catalog_, &locks_);
  }

  void AddAction(ActionId id, const std::string& steps_json, ProjectId project = kProject) {
    auto steps = engine::ParseActionSteps(steps_json);
    ASSERT_TRUE(steps.ok()) << steps.status().ToString();
    auto compiled = engine::CompileAction(id, *steps);
    ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
    catalog_.Put(project, *compiled);
  }

  IngestResult Ingest(const std::vector<engine::CapturedEvent>& events,
                      ProjectId project = kProject) {
    auto result = pipeline_->Ingest(project, events);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : IngestResult{};
  }

  std::string Record(const std::string& uuid) {
    auto event = Ok(store_->GetEvent(kProject, uuid));
    EXPECT_TRUE(event.has_value()) << uuid << " not stored";
    return event ? event->record_json : "";
  }

  std::string PersonUuid(const std::string& distinct_id) {
    return Ok(store_->GetPersonUuid(kProject, distinct_id)).value_or("");
  }

  int64_t Count(ActionId action) { return Ok(store_->Count(kProject, action)); }
  int64_t EventCount() { return Ok(store_->EventCount(kProject)); }

  // The (uuid, distinct_id) of the action's matches, in (ts, uuid) order.
  std::vector<std::pair<std::string, std::string>> Matches(ActionId action) {
    std::vector<std::pair<std::string, std::string>> out;
    Status s = store_->ScanMatches(kProject, action, {},
                                   [&](int64_t, std::string_view uuid, std::string_view id) {
                                     out.emplace_back(std::string(uuid), std::string(id));
                                     return true;
                                   });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  ActionCatalog catalog_;
  ProjectLocks locks_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

TEST_F(IngestPipelineTest, ALogPositionIsStoredWithTheEventsAndAlsoWhenEveryEventIsADuplicate) {
  // Cluster mode (docs/cluster.md §Exactly once): the partition's next offset commits with the
  // data, so a record delivered again is recognised even when it adds nothing.
  const std::vector<engine::CapturedEvent> events = {Event(1, "buy", "u"), Event(2, "buy", "v")};
  const LogPosition first{"cluster/next-offset/t/0", 8};
  ASSERT_TRUE(pipeline_->Ingest(kProject, events, &first).ok());
  EXPECT_EQ(Ok(store_->GetMeta(first.meta_key)), std::optional<std::string>("8"));
  EXPECT_EQ(EventCount(), 2);

  const LogPosition again{"cluster/next-offset/t/0", 9};
  auto r = pipeline_->Ingest(kProject, events, &again);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stored, 0u);
  EXPECT_EQ(r->duplicates, 2u);
  EXPECT_EQ(Ok(store_->GetMeta(again.meta_key)), std::optional<std::string>("9"));
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(IngestPipelineTest, APersonsUuidIsDerivedFromItsProjectAndFirstDistinctId) {
  // The same events make the same persons on every node that applies them (service/person_uuid.h).
  Ingest({Event(1, "buy", "user-1")}, 1);
  EXPECT_EQ(Ok(store_->GetPersonUuid(1, "user-1")).value_or(""),
            "6931a681-6e90-500d-8294-14582dcc2e3f");
}

TEST_F(IngestPipelineTest, StoresEachEventStampedWithItsPersonAsOfThatEvent) {
  auto r = Ingest({Event(1, "$pageview", "u", R"({"plan":"free"})"),
                   Event(2, "upgrade", "u", R"({"plan":"pro"})")});
  EXPECT_EQ(r.stored, 2u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.matches, 0u);
  const std::string person = PersonUuid("u");
  ASSERT_EQ(person.size(), 36u);
  EXPECT_EQ(Record(Uuid(1)),
            R"({"uuid":")" + Uuid(1) +
                R"(","event":"$pageview","distinct_id":"u","timestamp":"2023-11-14T22:13:21.000Z",)"
                R"("properties":{},"person_id":")" +
                person + R"(","person_properties":{"plan":"free"}})");
  EXPECT_NE(Record(Uuid(2)).find(R"("person_id":")" + person +
                                 R"(","person_properties":{"plan":"pro"}})"),
            std::string::npos);
  EXPECT_EQ(EventCount(), 2);
  EXPECT_EQ(Ok(store_->CountPersons(kProject)), 1);
  auto stored = Ok(store_->GetPerson(kProject, person));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->properties_json, R"({"plan":"pro"})");
  EXPECT_EQ(stored->created_at, "2023-11-14T22:13:21.000Z");
}

TEST_F(IngestPipelineTest, ARepeatedUuidWithinARequestIsStoredOnce) {
  AddAction(7, R"([{"event":"buy"}])");
  auto r = Ingest({Event(1, "buy", "u", R"({"n":1})"), Event(1, "buy", "u", R"({"n":2})"),
                   Event(2, "buy", "u"), Event(1, "buy", "v")});
  EXPECT_EQ(r.stored, 2u);
  EXPECT_EQ(r.duplicates, 2u);
  EXPECT_EQ(r.matches, 2u);
  EXPECT_EQ(EventCount(), 2);
  EXPECT_EQ(Count(7), 2);
  // The repeats were skipped whole: their $set never applied, "v" never got a person.
  EXPECT_EQ(Ok(store_->GetPersonByDistinctId(kProject, "u"))->properties_json, R"({"n":1})");
  EXPECT_EQ(PersonUuid("v"), "");
}

TEST_F(IngestPipelineTest, AResentRequestChangesNothing) {
  AddAction(7, R"([{"event":"buy"}])");
  const std::vector<engine::CapturedEvent> request = {Event(1, "buy", "u", R"({"n":1})"),
                                                      Event(2, "view", "u")};
  Ingest(request);
  Ingest({Event(3, "buy", "u", R"({"n":3})")});
  auto r = Ingest(request);
  EXPECT_EQ(r.stored, 0u);
  EXPECT_EQ(r.duplicates, 2u);
  EXPECT_EQ(r.matches, 0u);
  EXPECT_EQ(EventCount(), 3);
  EXPECT_EQ(Count(7), 2);
  EXPECT_EQ(Ok(store_->GetPersonByDistinctId(kProject, "u"))->properties_json, R"({"n":3})");
}

TEST_F(IngestPipelineTest, MatchesAreRecordedAndCounted) {
  AddAction(3, R"([{"event":"signup"}])");
  AddAction(4, R"([{"event":"signup"},{"event":"login"}])");
  AddAction(5, R"([{"event":"never"}])");
  auto r = Ingest({Event(1, "signup", "a"), Event(2, "login", "b"), Event(3, "other", "c")});
  EXPECT_EQ(r.stored, 3u);
  EXPECT_EQ(r.matches, 3u);
  EXPECT_EQ(Count(3), 1);
  EXPECT_EQ(Count(4), 2);
  EXPECT_EQ(Count(5), 0);
  using Matched = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Matches(4), (Matched{{Uuid(1), "a"}, {Uuid(2), "b"}}));
  EXPECT_EQ(Count(4), 2);
  // Another project's actions never see this project's events.
  AddAction(9, R"([{"event":"signup"}])", 2);
  Ingest({Event(4, "signup", "a")});
  EXPECT_EQ(Count(3), 2);
  EXPECT_EQ(Ok(store_->Count(2, 9)), 0);
}

TEST_F(IngestPipelineTest, PersonFiltersSeeTheEventsOwnUpdates) {
  AddAction(1, R"([{"event":"buy","properties":[{"key":"plan","value":"pro","type":"person"}]}])");
  engine::CapturedEvent unset = Event(3, "buy", "u");
  unset.unset_keys = {"plan"};
  engine::CapturedEvent once = Event(4, "buy", "u");
  once.set_once_json = R"({"plan":"pro"})";
  engine::CapturedEvent later_once = Event(5, "buy", "u");
  later_once.set_once_json = R"({"plan":"free"})";
  auto r = Ingest({Event(1, "buy", "u", R"({"plan":"free"})"),
                   Event(2, "buy", "u", R"({"plan":"pro"})"), unset, once, later_once});
  EXPECT_EQ(r.matches, 3u);
  using Matched = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Matches(1), (Matched{{Uuid(2), "u"}, {Uuid(4), "u"}, {Uuid(5), "u"}}));
}

// A request the capture parser read is matched from its own parse (no record parsed back); the
// same events without that parse (as a cluster log record brings them) from their properties
// text. Both must store the same records and match the same events.
TEST_F(IngestPipelineTest, AParsedRequestMatchesAsItsEventsDo) {
  class Fixed : public engine::RandomSource {
    void Fill(uint8_t* out, size_t size) override { std::fill(out, out + size, uint8_t{1}); }
  } random;
  for (ProjectId project : {ProjectId{1}, ProjectId{2}}) {
    AddAction(1, R"([{"event":"buy","properties":[{"key":"amount","value":50,"operator":"gt"}]}])",
              project);
    AddAction(2, R"([{"event":"buy","properties":[{"key":"plan","value":"pro","type":"person"}]}])",
              project);
    AddAction(3, R"([{"event":"$autocapture","selector":"nav a.cta","text":"Go"}])", project);
    AddAction(4, R"([{"event":"$pageview","url":"/pricing","url_matching":"contains"}])", project);
  }
  const std::string body = R"({"api_key": "phc_t", "batch": [
    {"event": "buy", "distinct_id": "u", "uuid": ")" +
                           Uuid(1) + R"(", "properties": {"amount": 60}},
    {"event": "buy", "distinct_id": "u", "uuid": ")" +
                           Uuid(2) + R"(", "properties": {"amount": 10},
     "$set": {"plan": "pro"}},
    {"event": "buy", "distinct_id": "u", "uuid": ")" +
                           Uuid(3) + R"(",
     "properties": {"amount": 1e2, "amount": 5}},
    {"event": "$autocapture", "distinct_id": "v", "uuid": ")" +
                           Uuid(4) + R"(",
     "elements_chain": "a.cta:text=\"Go\";nav"},
    {"event": "$autocapture", "distinct_id": "v", "uuid": ")" +
                           Uuid(5) + R"(",
     "properties": {"$elements": [{"tag_name": "a", "attr__class": "cta", "$el_text": "Go"},
                                  {"tag_name": "nav"}]}},
    {"event": "$pageview", "distinct_id": "w", "uuid": ")" +
                           Uuid(6) + R"(",
     "properties": {"$current_url": "https://x.io/pricing", "$process_person_profile": false}}
  ]})";
  engine::CapturePayloadParser parser;
  engine::CaptureOptions options;
  options.now_ms = kNow;
  options.random = &random;
  engine::CaptureRequest request;
  ASSERT_TRUE(parser.Parse(body, options, &request).ok());
  ASSERT_NE(request.parsed, nullptr);

  auto parsed = pipeline_->Ingest(1, request);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto unparsed = pipeline_->Ingest(2, request.events);
  ASSERT_TRUE(unparsed.ok()) << unparsed.status().ToString();
  EXPECT_EQ(parsed->stored, 6u);
  EXPECT_EQ(parsed->matches, 6u);  // 1: event 1; 2: events 2, 3; 3: events 4, 5; 4: event 6
  EXPECT_EQ(unparsed->matches, parsed->matches);
  for (ActionId action : {1, 2, 3, 4}) {
    EXPECT_EQ(Ok(store_->Count(1, action)), Ok(store_->Count(2, action))) << action;
  }
  EXPECT_EQ(Ok(store_->Count(1, 3)), 2);
  EXPECT_EQ(Ok(store_->Count(1, 2)), 2);  // the person property set by event 2, seen by 2 and 3
}

TEST_F(IngestPipelineTest, AMergingEventsFiltersSeeTheMergedPerson) {
  AddAction(1, R"([{"event":"$identify","properties":[)"
               R"({"key":"plan","value":"pro","type":"person"},)"
               R"({"key":"theme","value":"dark","type":"person"}]}])");
  AddAction(2, R"([{"event":"buy","properties":[{"key":"utm","value":"news","type":"person"}]}])");
  engine::CapturedEvent identify = Event(3, "$identify", "user");
  identify.anon_distinct_id = "anon";
  identify.set_once_json = R"({"theme":"light"})";
  identify.set_json = R"({"plan":"pro"})";
  auto r =
      Ingest({Event(1, "$pageview", "anon", R"({"theme":"dark","utm":"news"})"),
              Event(2, "buy", "user"), identify, Event(4, "buy", "user"), Event(5, "buy", "anon")});
  EXPECT_EQ(r.stored, 5u);
  using Matched = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Matches(1), (Matched{{Uuid(3), "user"}}));
  EXPECT_EQ(Matches(2), (Matched{{Uuid(4), "user"}, {Uuid(5), "anon"}}));
  EXPECT_EQ(PersonUuid("anon"), PersonUuid("user"));
  EXPECT_EQ(Ok(store_->CountPersons(kProject)), 1);
  // Event 1 keeps the person it had then; event 5 has the merged one.
  const std::string person = PersonUuid("user");
  EXPECT_NE(Record(Uuid(1)).find(R"("person_properties":{"theme":"dark","utm":"news"})"),
            std::string::npos);
  EXPECT_EQ(Record(Uuid(1)).find(person), std::string::npos);
  EXPECT_NE(
      Record(Uuid(5)).find(R"("person_id":")" + person +
                           R"(","person_properties":{"theme":"dark","utm":"news","plan":"pro"})"),
      std::string::npos);
}

TEST_F(IngestPipelineTest, RefusedMergeStillStoresTheEvent) {
  AddAction(
      1,
      R"([{"event":"sub","properties":[{"key":"utm","operator":"is_not_set","type":"person"}]}])");
  engine::CapturedEvent identify = Event(2, "$identify", "user-a");
  identify.anon_distinct_id = "anon";
  engine::CapturedEvent alias = Event(3, "$create_alias", "user-b");
  alias.alias = "user-a";
  auto r = Ingest({Event(1, "$pageview", "anon", R"({"utm":"podcast"})"), identify, alias,
                   Event(4, "sub", "user-b")});
  EXPECT_EQ(r.stored, 4u);
  EXPECT_EQ(Count(1), 1);
  EXPECT_NE(PersonUuid("user-b"), PersonUuid("user-a"));
  EXPECT_TRUE(Ok(store_->GetPersonByDistinctId(kProject, "user-b"))->is_identified);
}

TEST_F(IngestPipelineTest, WithoutAPersonProfileThereIsNoPerson) {
  AddAction(1, R"([{"event":"buy"}])");
  AddAction(
      2,
      R"([{"event":"buy","properties":[{"key":"plan","operator":"is_not_set","type":"person"}]}])");
  Ingest({Event(1, "x", "u", R"({"plan":"free"})")});
  engine::CapturedEvent personless = Event(2, "buy", "u", R"({"plan":"pro"})");
  personless.process_person_profile = false;
  engine::CapturedEvent fresh = Event(3, "buy", "nobody", R"({"a":1})");
  fresh.process_person_profile = false;
  auto r = Ingest({personless, fresh});
  EXPECT_EQ(r.stored, 2u);
  EXPECT_EQ(r.matches, 4u);
  EXPECT_EQ(Record(Uuid(2)),
            R"({"uuid":")" + Uuid(2) +
                R"(","event":"buy","distinct_id":"u","timestamp":"2023-11-14T22:13:22.000Z",)"
                R"("properties":{},"person_properties":{}})");
  using Matched = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Matches(1), (Matched{{Uuid(2), ""}, {Uuid(3), ""}}));
  EXPECT_EQ(Matches(2), (Matched{{Uuid(2), ""}, {Uuid(3), ""}}));
  EXPECT_EQ(Ok(store_->GetPersonByDistinctId(kProject, "u"))->properties_json,
            R"({"plan":"free"})");
  EXPECT_EQ(PersonUuid("nobody"), "");
  EXPECT_EQ(Ok(store_->CountPersons(kProject)), 1);
}

TEST_F(IngestPipelineTest, AnErrorMidRequestStoresNothing) {
  AddAction(1, R"([{"event":"buy"}])");
  auto r = pipeline_->Ingest(
      kProject, std::vector{Event(1, "buy", "u", R"({"a":1})"), Event(2, "buy", "v", "[1]")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message().substr(0, 9), "event 1: ");
  EXPECT_FALSE(Ok(store_->GetEvent(kProject, Uuid(1))).has_value());
  EXPECT_EQ(EventCount(), 0);
  EXPECT_EQ(Count(1), 0);
  EXPECT_EQ(Ok(store_->CountPersons(kProject)), 0);
  EXPECT_EQ(PersonUuid("u"), "");
  // The same request, fixed, goes through in full afterwards.
  auto ok = Ingest({Event(1, "buy", "u", R"({"a":1})"), Event(2, "buy", "v")});
  EXPECT_EQ(ok.stored, 2u);
  EXPECT_EQ(Count(1), 2);
}

TEST_F(IngestPipelineTest, PersonsCarryOverFromRequestToRequestAsStored) {
  // Later requests read persons through the pipeline's cache (service/person_cache.h): each
  // must see exactly what the earlier ones committed, merges and deletions included.
  Ingest(
      {Event(1, "x", "anon", R"({"theme":"dark"})"), Event(2, "x", "user", R"({"plan":"free"})")});
  engine::CapturedEvent identify = Event(3, "$identify", "user");
  identify.anon_distinct_id = "anon";
  Ingest({identify});
  Ingest({Event(4, "x", "anon", R"({"plan":"pro"})")});  // anon now is user's person
  engine::CapturedEvent unset = Event(5, "x", "user");
  unset.unset_keys = {"theme"};
  Ingest({unset, Event(6, "x", "user")});

  const std::string person = PersonUuid("user");
  EXPECT_EQ(PersonUuid("anon"), person);
  EXPECT_EQ(Ok(store_->CountPersons(kProject)), 1);
  const auto stored = Ok(store_->GetPersonByDistinctId(kProject, "anon"));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->properties_json, R"({"plan":"pro"})");
  EXPECT_TRUE(stored->is_identified);
  EXPECT_NE(Record(Uuid(4)).find(R"("person_id":")" + person +
                                 R"(","person_properties":{"plan":"pro","theme":"dark"})"),
            std::string::npos);
  EXPECT_NE(Record(Uuid(6)).find(R"("person_properties":{"plan":"pro"})"), std::string::npos);
  // A pipeline that has cached nothing reads the same persons from the store.
  IngestPipeline fresh(store_.get(), &catalog_, &locks_);
  pipeline_.reset();
  ASSERT_TRUE(fresh.Ingest(kProject, std::vector{Event(7, "x", "anon", R"({"n":1})")}).ok());
  EXPECT_NE(Record(Uuid(7)).find(R"("person_properties":{"plan":"pro","n":1})"), std::string::npos);
}

TEST_F(IngestPipelineTest, AFailedRequestLeavesLaterRequestsThePersonsAsStored) {
  Ingest({Event(1, "x", "u", R"({"a":1})")});
  // Event 0 changes u's person in the overlay, event 1 fails the request: nothing is stored,
  // and the next request must not see the change.
  auto failed = pipeline_->Ingest(
      kProject, std::vector{Event(2, "x", "u", R"({"a":2})"), Event(3, "x", "v", "[1]")});
  ASSERT_FALSE(failed.ok());
  Ingest({Event(4, "x", "u")});
  EXPECT_NE(Record(Uuid(4)).find(R"("person_properties":{"a":1})"), std::string::npos);
  EXPECT_EQ(Ok(store_->GetPersonByDistinctId(kProject, "u"))->properties_json, R"({"a":1})");
}

TEST_F(IngestPipelineTest, AnEmptyRequestIsANoOp) {
  auto r = Ingest({});
  EXPECT_EQ(r.stored + r.duplicates + r.matches, 0u);
  EXPECT_EQ(EventCount(), 0);
}

TEST_F(IngestPipelineTest, ParsedCaptureBodiesIngestWithTopLevelSetWinning) {
  AddAction(1, R"([{"event":"plan_changed","properties":[)"
               R"({"key":"plan","value":"scale","type":"person"},)"
               R"({"key":"seats","value":"3","type":"person"}]}])");
  engine::CapturePayloadParser parser;
  engine::CaptureRequest request;
  engine::CaptureOptions options;
  options.now_ms = kNow;
  ASSERT_TRUE(parser
                  .Parse(R"({"api_key":"phc_x","batch":[
      {"event":"plan_changed","distinct_id":"user-p5","uuid":")" +
                             Uuid(1) + R"(","timestamp":"2023-11-14T22:13:21Z",
       "properties":{"$set":{"plan":"starter","seats":3}},"$set":{"plan":"scale"}}]})",
                         options, &request)
                  .ok());
  auto r = Ingest(request.events);
  EXPECT_EQ(r.stored, 1u);
  EXPECT_EQ(Count(1), 1);
  EXPECT_EQ(Ok(store_->GetPersonByDistinctId(kProject, "user-p5"))->properties_json,
            R"({"plan":"scale","seats":3})");
}

TEST_F(IngestPipelineTest, ConcurrentRequestsWithOverlappingUuidsStoreEachOnce) {
  AddAction(1, R"([{"event":"buy"}])");
  constexpr int kThreads = 4;
  constexpr int kUnique = 400;
  constexpr int kPerRequest = 25;
  std::vector<IngestResult> totals(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every thread sends every uuid, each starting at a different place.
      for (int start = 0; start < kUnique; start += kPerRequest) {
        std::vector<engine::CapturedEvent> events;
        for (int k = 0; k < kPerRequest; ++k) {
          const int n = (start + k + t * 100) % kUnique;
          events.push_back(Event(n, "buy", "user-" + std::to_string(n % 10), R"({"x":1})"));
        }
        auto r = pipeline_->Ingest(kProject, events);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        totals[t].stored += r->stored;
        totals[t].duplicates += r->duplicates;
        totals[t].matches += r->matches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  size_t stored = 0, duplicates = 0, matches = 0;
  for (const auto& total : totals) {
    stored += total.stored;
    duplicates += total.duplicates;
    matches += total.matches;
  }
  EXPECT_EQ(stored, size_t{kUnique});
  EXPECT_EQ(duplicates, size_t{kUnique * (kThreads - 1)});
  EXPECT_EQ(matches, size_t{kUnique});
  EXPECT_EQ(EventCount(), kUnique);
  EXPECT_EQ(Count(1), kUnique);
  EXPECT_EQ(Matches(1).size(), size_t{kUnique});
  EXPECT_EQ(Ok(store_->CountPersons(kProject)), 10);
}

}  // namespace
}  // namespace actiond::service
