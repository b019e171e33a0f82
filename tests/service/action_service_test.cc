// ActionService: create/update/soft-delete semantics, name rules, live matching, backfill
// exactness (also with events arriving mid-backfill), outdated jobs, restart, counts, people.
#include "service/action_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/action_definition.h"
#include "engine/capture_payload.h"
#include "service/action_catalog.h"
#include "service/apply_executor.h"
#include "service/ingest_pipeline.h"
#include "service/project_locks.h"
#include "tests/storage/store_fixture.h"

namespace actiond::service {
namespace {

// The services are tested against a real Store (tests/storage/store_fixture.h).
using namespace ::actiond::storage;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kT0 = 1'710'720'000'000;  // 2024-03-18T00:00:00Z
constexpr ProjectId kProject = 1;

engine::ActionRequest Request(std::string_view json) {
  auto parsed = engine::ParseActionRequest(json);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : engine::ActionRequest{};
}

class ActionServiceTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    AddProject(kProject);
    Start();
  }

  void TearDown() override { service_.reset(); }

  // A fresh catalog and service over the current store, as at process start.
  void Start(bool start_worker = false, size_t chunk_events = 10) {
    service_.reset();
    catalog_ = std::make_unique<ActionCatalog>();
    ingest_ = std::make_unique<IngestPipeline>(store_.get(), catalog_.get(), &locks_);
    ActionServiceOptions options;
    options.start_worker = start_worker;
    options.backfill.chunk_events = chunk_events;
    options.backfill.log_every_chunks = 1;
    options.backfill.run_in_project_order = run_in_project_order_;
    service_ = std::make_unique<ActionService>(
        store_.get(), catalog_.get(), &locks_, [this] { return now_.load(); },
        [this](std::string_view line) { log_.emplace_back(line); }, options);
    Status s = service_->LoadAll();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void Restart(bool start_worker = false) {
    service_.reset();
    Reopen();
    Start(start_worker);
  }

  void AddProject(ProjectId id) {
    WriteBatch b = Batch();
    b.PutProject(Project{id, "p" + std::to_string(id), "phc_token_" + std::to_string(id),
                         "2024-01-01T00:00:00.000Z", ""});
    Commit(b);
  }

  // Ingests one event through the real pipeline (live matching included).
  void Ingest(std::string_view event, int64_t ts, std::string_view distinct_id = "user",
              ProjectId project = kProject, bool person = true) {
    engine::CapturedEvent e;
    char uuid[40];
    std::snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012d", next_uuid_++);
    e.uuid = uuid;
    e.event = std::string(event);
    e.distinct_id = std::string(distinct_id);
    e.timestamp_ms = ts;
    e.properties_json = "{}";
    e.process_person_profile = person;
    IngestEvents({e}, project);
  }

  void IngestEvents(const std::vector<engine::CapturedEvent>& events,
                    ProjectId project = kProject) {
    auto result = ingest_->Ingest(project, events);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }

  ActionRecord Create(std::string_view json, ProjectId project = kProject) {
    auto created = service_->Create(project, Request(json), creator_);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : ActionRecord{};
  }

  ActionRecord Update(ActionId id, std::string_view json, bool partial = true) {
    auto updated = service_->Update(kProject, id, Request(json), partial);
    EXPECT_TRUE(updated.ok()) << updated.status().ToString();
    return updated.ok() ? *updated : ActionRecord{};
  }

  ActionRecord Get(ActionId id) { return Ok(service_->Get(kProject, id)); }

  int64_t Count(ActionId id, TimeRange range = {}) {
    return Ok(service_->Count(kProject, id, range));
  }

  // Runs the queued backfill chunks on this thread until none is left.
  int RunBackfills() {
    int chunks = 0;
    while (service_->backfill_worker()->RunOneChunk()) ++chunks;
    return chunks;
  }

  bool BackfillPending(ActionId id) {
    return Ok(store_->GetMeta(BackfillMetaKey(kProject, id))).has_value();
  }

  ProjectLocks locks_;
  // Where backfill commits run (BackfillOptions::run_in_project_order); empty: in place.
  std::function<bool(ProjectId, std::function<void()>)> run_in_project_order_;
  std::unique_ptr<ActionCatalog> catalog_;
  std::unique_ptr<IngestPipeline> ingest_;
  std::unique_ptr<ActionService> service_;
  std::atomic<int64_t> now_{kT0 + 100 * kDay};
  std::vector<std::string> log_;
  ActionCreator creator_{
      1,   "0190a1b2-0000-7000-8000-000000000001", "admin-distinct", "Admin", "admin@localhost",
      true};
  int next_uuid_ = 1;
};

TEST_F(ActionServiceTest, CreateStoresEveryFieldOfTheActionObject) {
  ActionRecord a = Create(R"({"name":"  Signed up ","description":"d","tags":["x","y"],
      "post_to_slack":true,"slack_message_format":"[action.name]",
      "steps":[{"event":"signup","url":"/a","url_matching":"exact","name":"s"},{"event":"b"}]})");
  EXPECT_EQ(a.id, 1);
  EXPECT_EQ(a.team_id, kProject);
  EXPECT_EQ(a.name, "Signed up");  // trimmed, as DRF does
  EXPECT_EQ(a.description, "d");
  EXPECT_EQ(a.tags, (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(a.post_to_slack);
  EXPECT_EQ(a.slack_message_format, "[action.name]");
  ASSERT_EQ(a.steps.size(), 2u);
  ASSERT_TRUE(a.steps[0].id && a.steps[1].id);
  EXPECT_NE(*a.steps[0].id, *a.steps[1].id);
  EXPECT_EQ(a.created_at, "2024-06-26T00:00:00.000Z");
  EXPECT_EQ(a.created_by_json,
            R"({"id":1,"uuid":"0190a1b2-0000-7000-8000-000000000001","distinct_id":)"
            R"("admin-distinct","first_name":"Admin","email":"admin@localhost",)"
            R"("is_email_verified":true})");
  EXPECT_FALSE(a.deleted);
  EXPECT_TRUE(a.is_calculating);
  EXPECT_FALSE(a.last_calculated_at);

  ActionRecord stored = Get(a.id);
  EXPECT_EQ(EncodeActionRecord(stored), EncodeActionRecord(a));
  EXPECT_EQ(Create(R"({"name":"second"})").id, 2);
}

TEST_F(ActionServiceTest, EncodedRecordHasTheSeedsShape) {
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"e","properties":[
      {"key":"k","value":"v","operator":"exact","type":"event"}]}]})");
  const std::string step_id = *a.steps[0].id;
  EXPECT_EQ(EncodeActionRecord(a),
            R"({"id":1,"name":"n","description":"","tags":[],"post_to_slack":false,)"
            R"("slack_message_format":"","steps":[{"id":")" +
                step_id +
                R"(","event":"e","tag_name":null,"text":null,"text_matching":null,)"
                R"("href":null,"href_matching":null,"selector":null,"url":null,)"
                R"("url_matching":"contains","name":null,"properties":[{"key":"k",)"
                R"("value":"v","operator":"exact","type":"event"}]}],)"
                R"("created_at":"2024-06-26T00:00:00.000Z","created_by":)" +
                a.created_by_json +
                R"(,"deleted":false,"is_calculating":true,"last_calculated_at":null,)"
                R"("team_id":1,"is_action":true})");
}

TEST_F(ActionServiceTest, NameIsRequiredNotBlankAndAtMost400CodePoints) {
  auto missing = service_->Create(kProject, Request(R"({"steps":[]})"), creator_);
  EXPECT_EQ(missing.status().reason(), StatusReason::kRequired);
  EXPECT_EQ(missing.status().attr(), "name");
  auto blank = service_->Create(kProject, Request(R"({"name":"  "})"), creator_);
  EXPECT_EQ(blank.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(blank.status().attr(), "name");

  std::string at_limit;
  for (int i = 0; i < 400; ++i) at_limit += "\xC3\xA9";  // é: 2 bytes, 1 code point
  EXPECT_TRUE(
      service_->Create(kProject, Request(R"({"name":")" + at_limit + "\"}"), creator_).ok());
  auto too_long = service_->Create(kProject, Request(R"({"name":")" + at_limit + "x\"}"), creator_);
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(too_long.status().attr(), "name");
}

TEST_F(ActionServiceTest, PutRequiresNamePatchDoesNot) {
  ActionRecord a = Create(R"({"name":"n"})");
  auto put = service_->Update(kProject, a.id, Request(R"({"description":"x"})"), false);
  EXPECT_EQ(put.status().reason(), StatusReason::kRequired);
  EXPECT_EQ(Update(a.id, R"({"description":"x"})").description, "x");
  EXPECT_EQ(Get(a.id).name, "n");
}

TEST_F(ActionServiceTest, NamesAreUniqueAmongNonDeletedActions) {
  ActionRecord first = Create(R"({"name":"dup"})");
  auto second = service_->Create(kProject, Request(R"({"name":"dup"})"), creator_);
  ASSERT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(second.status().attr(), "name");
  EXPECT_EQ(second.status().message(), "This project already has an action with this name, ID 1");
  // Case matters, and other projects do not.
  EXPECT_TRUE(service_->Create(kProject, Request(R"({"name":"DUP"})"), creator_).ok());
  AddProject(2);
  EXPECT_TRUE(service_->Create(2, Request(R"({"name":"dup"})"), creator_).ok());

  // Renaming onto a taken name fails; keeping one's own name does not.
  ActionRecord other = Create(R"({"name":"other"})");
  EXPECT_EQ(
      service_->Update(kProject, other.id, Request(R"({"name":"dup"})"), true).status().code(),
      StatusCode::kAlreadyExists);
  EXPECT_TRUE(service_->Update(kProject, first.id, Request(R"({"name":"dup"})"), true).ok());

  // A soft-deleted action frees its name; undeleting it then collides.
  Update(first.id, R"({"deleted":true})");
  ActionRecord again = Create(R"({"name":"dup"})");
  auto undelete = service_->Update(kProject, first.id, Request(R"({"deleted":false})"), true);
  EXPECT_EQ(undelete.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(Get(first.id).deleted);
  EXPECT_NE(again.id, first.id);
}

TEST_F(ActionServiceTest, CompilerErrorsPassThroughAndStoreNothing) {
  auto bad = service_->Create(
      kProject,
      Request(R"({"name":"n","steps":[{"event":"e"},{"url":"(","url_matching":"regex"}]})"),
      creator_);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(bad.status().attr(), "steps__1__url");
  EXPECT_TRUE(Ok(service_->List(kProject)).empty());

  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"e"}]})");
  auto choice =
      service_->Update(kProject, a.id, Request(R"({"steps":[{"url_matching":"fuzzy"}]})"), true);
  EXPECT_EQ(choice.status().reason(), StatusReason::kInvalidChoice);
  EXPECT_EQ(choice.status().attr(), "steps__0__url_matching");
  EXPECT_EQ(*Get(a.id).steps[0].event, "e");
}

TEST_F(ActionServiceTest, UnknownProjectOrActionIsNotFound) {
  EXPECT_EQ(service_->Create(99, Request(R"({"name":"n"})"), creator_).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Get(kProject, 5).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Get(99, 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Count(kProject, 5).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->People(kProject, 5, {}, 10, 0).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Update(kProject, 5, Request(R"({"name":"x"})"), true).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->List(99).status().code(), StatusCode::kNotFound);
}

TEST_F(ActionServiceTest, ActionIsOnlyVisibleInItsProject) {
  AddProject(2);
  ActionRecord a = Create(R"({"name":"n"})", 2);
  EXPECT_EQ(service_->Get(kProject, a.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Ok(service_->List(2)).size(), 1u);
  EXPECT_TRUE(Ok(service_->List(kProject)).empty());
}

TEST_F(ActionServiceTest, CreatedActionMatchesTheVeryNextEvent) {
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  Ingest("buy", kT0);
  Ingest("view", kT0 + 1);
  EXPECT_EQ(Count(a.id), 1);
}

TEST_F(ActionServiceTest, BackfillCountsStoredEventsAndFinishes) {
  for (int i = 0; i < 35; ++i) Ingest(i % 3 == 0 ? "buy" : "view", kT0 + i * 1000);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  EXPECT_TRUE(a.is_calculating);
  EXPECT_TRUE(service_->backfill_worker()->RunOneChunk());
  EXPECT_TRUE(Get(a.id).is_calculating);
  EXPECT_EQ(Count(a.id), 4);  // buys among the first 10 events: 0, 3, 6, 9
  EXPECT_EQ(RunBackfills(), 3);
  EXPECT_EQ(Count(a.id), 12);
  ActionRecord done = Get(a.id);
  EXPECT_FALSE(done.is_calculating);
  EXPECT_EQ(done.last_calculated_at, "2024-06-26T00:00:00.000Z");
  EXPECT_FALSE(BackfillPending(a.id));
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_.back().find("done: 35 events"), std::string::npos) << log_.back();
}

TEST_F(ActionServiceTest, ProgressIsReportedWhileTheBackfillRuns) {
  for (int i = 0; i < 35; ++i) Ingest("view", kT0 + i * 1000);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  auto progress = Ok(service_->Progress(kProject, a.id));
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->events_scanned, 0);
  EXPECT_EQ(progress->events_total, 35);  // fixed when the backfill started
  EXPECT_TRUE(service_->backfill_worker()->RunOneChunk());
  progress = Ok(service_->Progress(kProject, a.id));
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->events_scanned, 10);
  EXPECT_EQ(progress->events_total, 35);
  // Events ingested meanwhile are read too: the total never falls behind what was scanned.
  for (int i = 0; i < 30; ++i) Ingest("view", kT0 + 100'000 + i);
  EXPECT_TRUE(service_->backfill_worker()->RunOneChunk());
  EXPECT_TRUE(service_->backfill_worker()->RunOneChunk());
  EXPECT_TRUE(service_->backfill_worker()->RunOneChunk());
  progress = Ok(service_->Progress(kProject, a.id));
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->events_scanned, 40);
  EXPECT_EQ(progress->events_total, 40);
  RunBackfills();
  EXPECT_FALSE(Ok(service_->Progress(kProject, a.id)).has_value());
}

TEST_F(ActionServiceTest, BackfillOfAnEmptyProjectFinishesInOneChunk) {
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  EXPECT_EQ(RunBackfills(), 1);
  EXPECT_FALSE(Get(a.id).is_calculating);
  EXPECT_EQ(Count(a.id), 0);
}

TEST_F(ActionServiceTest, EventsArrivingDuringBackfillCountOnce) {
  for (int i = 0; i < 30; ++i) Ingest("buy", kT0 + i * 1000);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  ASSERT_TRUE(service_->backfill_worker()->RunOneChunk());  // cursor after the 10th event
  // Behind the cursor, ahead of it, and beyond the last stored event: all matched live, and
  // the backfill must not add them again.
  Ingest("buy", kT0 + 500);
  Ingest("buy", kT0 + 20'500);
  Ingest("buy", kT0 + 100'000);
  Ingest("view", kT0 + 20'600);
  EXPECT_EQ(Count(a.id), 13);
  RunBackfills();
  EXPECT_EQ(Count(a.id), 33);
  EXPECT_FALSE(Get(a.id).is_calculating);
}

TEST_F(ActionServiceTest, ChangingStepsRecomputesAndStopsTheOutdatedJob) {
  for (int i = 0; i < 30; ++i) Ingest(i % 2 == 0 ? "buy" : "view", kT0 + i * 1000);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  ASSERT_TRUE(service_->backfill_worker()->RunOneChunk());
  EXPECT_EQ(Count(a.id), 5);
  ActionRecord changed = Update(a.id, R"({"steps":[{"event":"view"}]})");
  EXPECT_TRUE(changed.is_calculating);
  EXPECT_EQ(Count(a.id), 0);  // old matches dropped in the same commit
  Ingest("view", kT0 + 100'000);
  Ingest("buy", kT0 + 100'001);
  EXPECT_EQ(Count(a.id), 1);  // live matching uses the new steps at once
  // Two jobs are queued; the old one drops itself without writing.
  EXPECT_EQ(service_->backfill_worker()->pending(), 2u);
  RunBackfills();
  EXPECT_EQ(Count(a.id), 16);
  EXPECT_FALSE(Get(a.id).is_calculating);
}

TEST_F(ActionServiceTest, StepsResentUnchangedKeepMatches) {
  for (int i = 0; i < 5; ++i) Ingest("buy", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy","name":"x"}]})");
  RunBackfills();
  const std::string id = *Get(a.id).steps[0].id;
  ActionRecord same =
      Update(a.id, R"({"steps":[{"id":")" + id +
                       R"(","event":"buy","name":"renamed","url_matching":"contains"}]})");
  EXPECT_FALSE(same.is_calculating);
  EXPECT_EQ(service_->backfill_worker()->pending(), 0u);
  EXPECT_EQ(Count(a.id), 5);
  EXPECT_EQ(*same.steps[0].name, "renamed");
  EXPECT_EQ(*same.steps[0].id, id);
}

TEST_F(ActionServiceTest, NameOnlyChangeLeavesMatchesAndBackfillAlone) {
  for (int i = 0; i < 5; ++i) Ingest("buy", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  ActionRecord renamed = Update(a.id, R"({"name":"m","description":"new"})");
  EXPECT_EQ(renamed.name, "m");
  EXPECT_FALSE(renamed.is_calculating);
  EXPECT_EQ(service_->backfill_worker()->pending(), 0u);
  EXPECT_EQ(Count(a.id), 5);
  EXPECT_EQ(Get(a.id).last_calculated_at, "2024-06-26T00:00:00.000Z");
}

TEST_F(ActionServiceTest, SoftDeleteKeepsCountStopsMatchingAndUndeleteCatchesUp) {
  for (int i = 0; i < 3; ++i) Ingest("buy", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  ActionRecord deleted = Update(a.id, R"({"deleted":true})");
  EXPECT_TRUE(deleted.deleted);
  Ingest("buy", kT0 + 10);
  EXPECT_EQ(Count(a.id), 3);
  EXPECT_TRUE(Get(a.id).deleted);
  EXPECT_TRUE(Ok(service_->List(kProject)).empty());
  EXPECT_EQ(Ok(service_->List(kProject, true)).size(), 1u);
  EXPECT_EQ(catalog_->Snapshot(kProject)->size(), 0u);

  ActionRecord back = Update(a.id, R"({"deleted":false})");
  EXPECT_FALSE(back.deleted);
  EXPECT_TRUE(back.is_calculating);
  Ingest("buy", kT0 + 11);
  RunBackfills();
  EXPECT_EQ(Count(a.id), 5);  // the event missed while deleted is backfilled, none twice
  EXPECT_FALSE(Get(a.id).is_calculating);
}

TEST_F(ActionServiceTest, StepChangeWhileDeletedKeepsCountUntilUndelete) {
  for (int i = 0; i < 3; ++i) Ingest(i == 0 ? "buy" : "view", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  Update(a.id, R"({"deleted":true})");
  ActionRecord changed = Update(a.id, R"({"steps":[{"event":"view"}]})");
  EXPECT_FALSE(changed.is_calculating);
  EXPECT_EQ(Count(a.id), 1);  // its count when it was deleted
  EXPECT_EQ(RunBackfills(), 0);
  Restart();  // the stale mark is stored, not held in memory
  EXPECT_EQ(Count(a.id), 1);
  Update(a.id, R"({"deleted":false})");
  RunBackfills();
  EXPECT_EQ(Count(a.id), 2);  // the old step's match is gone, the new step's are counted
  // A later delete and undelete without step changes keeps the matches.
  Update(a.id, R"({"deleted":true})");
  Update(a.id, R"({"deleted":false})");
  RunBackfills();
  EXPECT_EQ(Count(a.id), 2);
}

TEST_F(ActionServiceTest, SoftDeleteDuringBackfillStillCompletesIt) {
  for (int i = 0; i < 25; ++i) Ingest("buy", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  ASSERT_TRUE(service_->backfill_worker()->RunOneChunk());
  Update(a.id, R"({"deleted":true})");
  RunBackfills();
  EXPECT_EQ(Count(a.id), 25);
  ActionRecord done = Get(a.id);
  EXPECT_TRUE(done.deleted);
  EXPECT_FALSE(done.is_calculating);
}

TEST_F(ActionServiceTest, RestartResumesBackfillFromItsCursor) {
  for (int i = 0; i < 35; ++i) Ingest("buy", kT0 + i * 10);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  ASSERT_TRUE(service_->backfill_worker()->RunOneChunk());
  ASSERT_TRUE(service_->backfill_worker()->RunOneChunk());
  EXPECT_EQ(Count(a.id), 20);
  Restart();
  EXPECT_EQ(catalog_->Snapshot(kProject)->size(), 1u);  // published again at start
  EXPECT_TRUE(Get(a.id).is_calculating);
  EXPECT_EQ(RunBackfills(), 2);  // 20..29, then 30..34 and done: nothing read twice
  EXPECT_EQ(Count(a.id), 35);
  EXPECT_FALSE(Get(a.id).is_calculating);
  Ingest("buy", kT0 + 1);
  EXPECT_EQ(Count(a.id), 36);
}

TEST_F(ActionServiceTest, LoadAllPublishesOnlyNonDeletedActions) {
  Create(R"({"name":"a","steps":[{"event":"x"}]})");
  ActionRecord b = Create(R"({"name":"b","steps":[{"event":"x"}]})");
  Create(R"({"name":"c","steps":[{"event":"y"}]})");
  Update(b.id, R"({"deleted":true})");
  RunBackfills();
  Restart();
  EXPECT_EQ(catalog_->Snapshot(kProject)->size(), 2u);
  EXPECT_EQ(RunBackfills(), 0);
}

TEST_F(ActionServiceTest, WorkerThreadFinishesBackfillsAndStopsOnShutdown) {
  Start(/*start_worker=*/true);
  for (int i = 0; i < 50; ++i) Ingest("buy", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  ASSERT_TRUE(service_->WaitForBackfills(std::chrono::seconds(20)));
  EXPECT_EQ(Count(a.id), 50);
  EXPECT_FALSE(Get(a.id).is_calculating);
  service_->Stop();
  service_->Stop();  // idempotent
}

TEST_F(ActionServiceTest, BackfillCommitsTakeTheirTurnOnTheProjectsStrand) {
  ApplyExecutor apply({.threads = 2, .max_queued = 16, .nice = 0});
  run_in_project_order_ = [&apply](ProjectId project, std::function<void()> job) {
    return apply.TrySubmit(project, std::move(job));
  };
  Start();
  for (int i = 0; i < 5; ++i) Ingest("buy", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");

  // An apply of the project is running: the chunk reads and matches, then its commit waits
  // behind that apply instead of committing beside it.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(apply.TrySubmit(kProject, [released] { released.wait(); }));
  auto chunk = std::async(std::launch::async, [&] { return RunBackfills(); });
  EXPECT_EQ(chunk.wait_for(300ms), std::future_status::timeout);
  EXPECT_EQ(Count(a.id), 0);
  release.set_value();
  ASSERT_EQ(chunk.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(chunk.get(), 1);
  EXPECT_EQ(Count(a.id), 5);
  EXPECT_FALSE(Get(a.id).is_calculating);
}

TEST_F(ActionServiceTest, ABackfillChunkTheStrandRefusesIsRetriedLater) {
  std::atomic<bool> refuse{true};
  run_in_project_order_ = [&refuse](ProjectId, std::function<void()> job) {
    if (refuse.load()) return false;  // as a full apply queue answers
    job();
    return true;
  };
  Start();
  for (int i = 0; i < 5; ++i) Ingest("buy", kT0 + i);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  EXPECT_TRUE(service_->backfill_worker()->RunOneChunk());
  EXPECT_EQ(Count(a.id), 0);
  EXPECT_TRUE(BackfillPending(a.id)) << "nothing committed, the job still queued";
  refuse = false;
  EXPECT_EQ(RunBackfills(), 1);
  EXPECT_EQ(Count(a.id), 5);
  EXPECT_FALSE(BackfillPending(a.id));
}

TEST_F(ActionServiceTest, CountOverRanges) {
  Ingest("buy", kT0 - 1);
  Ingest("buy", kT0);
  Ingest("buy", kT0 + kDay / 2);
  Ingest("buy", kT0 + kDay);
  Ingest("buy", kT0 + 3 * kDay + 5);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  EXPECT_EQ(Count(a.id), 5);
  EXPECT_EQ(Count(a.id, {kT0, kT0 + kDay}), 2);
  EXPECT_EQ(Count(a.id, {kT0 + 1, kT0 + kDay + 1}), 2);
  EXPECT_EQ(Count(a.id, {kT0, std::numeric_limits<int64_t>::max()}), 4);
  EXPECT_EQ(Count(a.id, {std::numeric_limits<int64_t>::min(), kT0}), 1);
  EXPECT_EQ(Count(a.id, {kT0 + kDay, kT0}), 0);  // empty range
}

std::vector<int64_t> Counts(const CountSeries& series) {
  std::vector<int64_t> out;
  for (const SeriesBucket& b : series.buckets) out.push_back(b.count);
  return out;
}

TEST_F(ActionServiceTest, SeriesFromCountersAndFromMatchesAgree) {
  Ingest("buy", kT0 + 1, "a");
  Ingest("buy", kT0 + kDay / 2, "a");
  Ingest("buy", kT0 + kDay / 2 + 1, "b");
  Ingest("buy", kT0 + 3 * kDay + 5, "a");
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  SeriesQuery query;
  query.range = {kT0, kT0 + 4 * kDay};
  query.interval = engine::Interval::kDay;
  query.now_ms = now_.load();
  const CountSeries days = Ok(service_->Series(kProject, a.id, query));  // per-day counters
  EXPECT_EQ(days.total, 4);
  EXPECT_EQ(Counts(days), (std::vector<int64_t>{3, 0, 0, 1}));
  query.interval = engine::Interval::kHour;  // the match index
  const CountSeries hours = Ok(service_->Series(kProject, a.id, query));
  EXPECT_EQ(hours.total, 4);
  EXPECT_EQ(hours.buckets.size(), 96u);
  EXPECT_EQ(hours.buckets[0].count, 1);
  EXPECT_EQ(hours.buckets[12].count, 2);
  EXPECT_EQ(hours.buckets[72].count, 1);
  query.interval = engine::Interval::kDay;
  query.distinct_persons = true;
  const CountSeries persons = Ok(service_->Series(kProject, a.id, query));
  EXPECT_EQ(persons.total, 2);
  EXPECT_EQ(Counts(persons), (std::vector<int64_t>{2, 0, 0, 1}));
}

TEST_F(ActionServiceTest, SeriesOpenEndsRunFromTheFirstMatchToNowAndCapTheBuckets) {
  Ingest("buy", kT0 + 5, "a");
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  SeriesQuery query;
  query.interval = engine::Interval::kDay;
  query.now_ms = kT0 + 2 * kDay + 7;
  const CountSeries series = Ok(service_->Series(kProject, a.id, query));
  EXPECT_EQ(Counts(series), (std::vector<int64_t>{1, 0, 0}));
  query.interval = engine::Interval::kHour;
  query.now_ms = kT0 + 500 * kDay;  // 12,000 hours
  auto too_many = service_->Series(kProject, a.id, query);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().attr(), "interval");
}

TEST_F(ActionServiceTest, PeopleListsEachPersonOnceInFirstMatchOrder) {
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  Ingest("buy", kT0 + 1, "carol");
  Ingest("buy", kT0 + 2, "alice");
  Ingest("buy", kT0 + 3, "carol");
  Ingest("buy", kT0 + 4, "ghost", kProject, /*person=*/false);
  Ingest("buy", kT0 + 5, "anon-bob");
  Ingest("buy", kT0 + 6, "dave");
  Ingest("view", kT0 + 7, "erin");
  // bob identifies: his anonymous id's person is now his; listed once.
  engine::CapturedEvent identify;
  identify.uuid = "00000000-0000-4000-8000-999999999999";
  identify.event = "$identify";
  identify.distinct_id = "bob";
  identify.anon_distinct_id = "anon-bob";
  identify.timestamp_ms = kT0 + 8;
  identify.properties_json = "{}";
  IngestEvents({identify});
  Ingest("buy", kT0 + 9, "bob");

  auto distinct = [](const PeoplePage& page) {
    std::vector<std::string> ids;
    for (const Person& p : page.people) ids.push_back(p.distinct_ids.front());
    return ids;
  };
  PeoplePage all = Ok(service_->People(kProject, a.id, {}, 100, 0));
  ASSERT_EQ(all.people.size(), 4u);
  EXPECT_FALSE(all.has_more);
  EXPECT_EQ(distinct(all)[0], "carol");
  EXPECT_EQ(distinct(all)[1], "alice");
  EXPECT_EQ(distinct(all)[3], "dave");
  const Person& bob = all.people[2];
  EXPECT_EQ(bob.distinct_ids.size(), 2u);

  PeoplePage first = Ok(service_->People(kProject, a.id, {}, 2, 0));
  EXPECT_EQ(first.people.size(), 2u);
  EXPECT_TRUE(first.has_more);
  PeoplePage second = Ok(service_->People(kProject, a.id, {}, 2, 2));
  EXPECT_EQ(second.people.size(), 2u);
  EXPECT_FALSE(second.has_more);
  EXPECT_EQ(second.people[0].uuid, bob.uuid);
  EXPECT_TRUE(Ok(service_->People(kProject, a.id, {}, 2, 4)).people.empty());

  PeoplePage ranged = Ok(service_->People(kProject, a.id, {kT0 + 2, kT0 + 4}, 100, 0));
  EXPECT_EQ(distinct(ranged), (std::vector<std::string>{"alice", "carol"}));
}

TEST_F(ActionServiceTest, BackfilledMatchesListPeopleLikeLiveOnes) {
  Ingest("buy", kT0 + 1, "zed");
  Ingest("buy", kT0 + 2, "nobody", kProject, /*person=*/false);
  ActionRecord a = Create(R"({"name":"n","steps":[{"event":"buy"}]})");
  RunBackfills();
  EXPECT_EQ(Count(a.id), 2);
  PeoplePage page = Ok(service_->People(kProject, a.id, {}, 100, 0));
  ASSERT_EQ(page.people.size(), 1u);
  EXPECT_EQ(page.people[0].distinct_ids, (std::vector<std::string>{"zed"}));
}

TEST(BackfillStateTest, MetaKeyAndStateRoundTrip) {
  const std::string key = BackfillMetaKey(12, 345);
  EXPECT_EQ(key, "backfill/00000000000000000012/00000000000000000345");
  ProjectId project = 0;
  ActionId action = 0;
  ASSERT_TRUE(ParseBackfillMetaKey(key, &project, &action));
  EXPECT_EQ(project, 12);
  EXPECT_EQ(action, 345);
  EXPECT_FALSE(ParseBackfillMetaKey("backfill/12/345", &project, &action));

  BackfillState state{7, 1000, 5000, EventCursor{kT0, "00000000-0000-4000-8000-000000000001"}};
  auto decoded = DecodeBackfillState(EncodeBackfillState(state));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, state);
  BackfillState fresh{8, 0, 0, std::nullopt};
  EXPECT_EQ(*DecodeBackfillState(EncodeBackfillState(fresh)), fresh);
  EXPECT_EQ(DecodeBackfillState("x").status().code(), StatusCode::kCorruption);
}

// A store written before events_total was kept resumes its backfills (events_total 0).
TEST(BackfillStateTest, StatesWithoutATotalStillDecode) {
  std::string old(1, static_cast<char>(storage::kRecordFormat));
  for (uint64_t v : {uint64_t{7}, uint64_t{1000}}) {
    for (int shift = 56; shift >= 0; shift -= 8) old.push_back(static_cast<char>(v >> shift));
  }
  auto decoded = DecodeBackfillState(old);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->job_id, 7);
  EXPECT_EQ(decoded->events_done, 1000);
  EXPECT_EQ(decoded->events_total, 0);
  EXPECT_FALSE(decoded->cursor.has_value());
}

}  // namespace
}  // namespace actiond::service

namespace actiond::service {
namespace {

// Cluster mode (docs/cluster.md §Actions): a change prepared on one node, applied from the log.
class ActionChangeFromLogTest : public ActionServiceTest {
 protected:
  static constexpr std::string_view kOffsetKey = "cluster/next-offset/t/0";

  std::optional<std::string> StoredOffset() { return Ok(store_->GetMeta(kOffsetKey)); }
};

TEST_F(ActionChangeFromLogTest, APreparedCreateAppliesWithTheChosenIdsTimeAndOffset) {
  ActionChange change = Ok(service_->PrepareCreate(
      kProject, Request(R"({"name":" buy ","steps":[{"event":"buy"},{"event":"pay"}]})"), creator_,
      /*choose_ids=*/true));
  EXPECT_EQ(*change.request.name, "buy");  // validated before the log: trimmed
  ASSERT_EQ(change.request.steps->size(), 2u);
  EXPECT_TRUE((*change.request.steps)[0].id && (*change.request.steps)[1].id);
  // Another node applies it: its clock is elsewhere, and its sequences were lower.
  change.id = 40;
  (*change.request.steps)[1].id = "77";
  change.at_ms = kT0;
  now_ = kT0 + 5 * kDay;
  const LogPosition position{kOffsetKey, 12};
  const ActionRecord applied = Ok(service_->ApplyChange(kProject, change, &position));
  EXPECT_EQ(applied.id, 40);
  EXPECT_EQ(applied.created_at, "2024-03-18T00:00:00.000Z");
  EXPECT_EQ(*applied.steps[1].id, "77");
  EXPECT_EQ(StoredOffset(), "12");
  // The ids it chose are never chosen again here.
  const ActionRecord later = Create(R"({"name":"later","steps":[{"event":"x"}]})");
  EXPECT_GT(later.id, 40);
  EXPECT_GT(std::stoll(*later.steps[0].id), 77);
  Ingest("buy", kT0 + kDay);
  EXPECT_EQ(Count(40), 1);
}

TEST_F(ActionChangeFromLogTest, ARefusedChangeStoresItsOffsetAloneAndChangesNothing) {
  const ActionRecord first = Create(R"({"name":"buy","steps":[{"event":"buy"}]})");
  ActionChange same_name = Ok(service_->PrepareCreate(
      kProject, Request(R"({"name":"buy","steps":[{"event":"pay"}]})"), creator_, true));
  const LogPosition position{kOffsetKey, 5};
  // The name was free when prepared on its node, but not at the record's place in the log.
  EXPECT_EQ(service_->ApplyChange(kProject, same_name, &position).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(StoredOffset(), "5");
  EXPECT_EQ(Ok(service_->List(kProject)).size(), 1u);

  // A chosen id an earlier change took (a node that held the project before chose it too).
  ActionChange taken = Ok(service_->PrepareCreate(
      kProject, Request(R"({"name":"pay","steps":[{"event":"pay"}]})"), creator_, true));
  taken.id = first.id;
  const LogPosition next{kOffsetKey, 6};
  EXPECT_EQ(service_->ApplyChange(kProject, taken, &next).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(StoredOffset(), "6");
  EXPECT_EQ(Get(first.id).name, "buy");

  // A PATCH of an action a change before it deleted for good is a 404 — and still applied.
  ActionChange patch = Ok(service_->PrepareUpdate(kProject, 999, Request(R"({"name":"x"})"),
                                                  /*partial=*/true, true));
  const LogPosition third{kOffsetKey, 7};
  EXPECT_EQ(service_->ApplyChange(kProject, patch, &third).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoredOffset(), "7");
}

TEST_F(ActionChangeFromLogTest, APatchAppliesToTheActionAsItIsAtItsPlaceInTheLog) {
  const ActionRecord action = Create(R"({"name":"buy","steps":[{"event":"buy"}]})");
  // Two PATCHes prepared before either was applied: each changes only its own fields.
  const ActionChange rename = Ok(service_->PrepareUpdate(
      kProject, action.id, Request(R"({"name":"purchase"})"), /*partial=*/true, true));
  const ActionChange describe = Ok(service_->PrepareUpdate(
      kProject, action.id, Request(R"({"description":"why"})"), /*partial=*/true, true));
  const LogPosition p1{kOffsetKey, 1};
  const LogPosition p2{kOffsetKey, 2};
  Ok(service_->ApplyChange(kProject, rename, &p1));
  const ActionRecord after = Ok(service_->ApplyChange(kProject, describe, &p2));
  EXPECT_EQ(after.name, "purchase");
  EXPECT_EQ(after.description, "why");
  EXPECT_EQ(StoredOffset(), "2");
}

}  // namespace
}  // namespace actiond::service
