// Webhooks end to end below the HTTP layer: a live match stages its delivery in the ingest
// commit, the dispatcher sends it through a fake transport, and the outbox records every
// outcome — delivered, retried with backoff or Retry-After, dead-lettered, retried by hand,
// dropped at the bound — and resumes after a restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_definition.h"
#include "engine/capture_payload.h"
#include "service/action_catalog.h"
#include "service/ingest_pipeline.h"
#include "service/project_locks.h"
#include "service/webhook_catalog.h"
#include "service/webhook_dispatcher.h"
#include "service/webhook_outbox.h"
#include "service/webhook_service.h"
#include "tests/storage/store_fixture.h"

namespace actiond::service {
namespace {

using namespace ::actiond::storage;  // NOLINT(google-build-using-namespace)
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr ProjectId kProject = 1;
constexpr ProjectId kOther = 2;
constexpr ActionId kAction = 7;
constexpr int64_t kT0 = 1'700'000'000'000;

int64_t WallMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Answers each Post on a thread of its own (requests run concurrently, as over sockets) with
// what the responder says for it.
class FakeTransport final : public WebhookTransport {
 public:
  using Responder = std::function<WebhookResponse(const WebhookRequest&, int attempt)>;

  ~FakeTransport() override {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    for (std::thread& t : threads) t.join();
  }

  void SetResponder(Responder responder) {
    std::lock_guard lock(mutex_);
    respond_ = std::move(responder);
  }

  void Post(WebhookRequest request, std::function<void(WebhookResponse)> done) override {
    std::lock_guard lock(mutex_);
    const int attempt = ++attempts_[request.idempotency_key];
    Responder respond = respond_;
    const auto at = steady_clock::now();
    threads_.emplace_back(
        [this, request = std::move(request), done = std::move(done), respond, attempt, at] {
          WebhookResponse response =
              respond ? respond(request, attempt) : WebhookResponse{200, "", std::nullopt};
          {
            std::lock_guard guard(mutex_);
            sent_.push_back(Sent{request, response, at, steady_clock::now()});
          }
          answered_.notify_all();
          done(response);
        });
  }

  // Requests answered so far, in the order their answers came, with when each was sent and
  // answered.
  struct Sent {
    WebhookRequest request;
    WebhookResponse response;
    steady_clock::time_point at;
    steady_clock::time_point answered;
  };
  std::vector<Sent> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

  // Waits until `n` requests have been answered; false after `timeout`.
  bool WaitForSent(size_t n, milliseconds timeout = milliseconds(5000)) const {
    std::unique_lock lock(mutex_);
    return answered_.wait_for(lock, timeout, [&] { return sent_.size() >= n; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable answered_;
  std::map<std::string, int> attempts_;
  std::vector<Sent> sent_;
  Responder respond_;
  std::vector<std::thread> threads_;
};

std::string Uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

engine::CapturedEvent Event(int n, std::string name) {
  engine::CapturedEvent e;
  e.uuid = Uuid(n);
  e.event = std::move(name);
  e.distinct_id = "user-" + std::to_string(n);
  e.timestamp_ms = kT0 + n;
  e.properties_json = R"({"plan":"pro"})";
  return e;
}

class WebhookDeliveryTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    options_.backoff_base_ms = 20;
    options_.site_url = "https://ph.example.com";
    AddProject(kProject, "https://hooks.slack.com/services/T/B/x");
    AddProject(kOther, "http://127.0.0.1:1/teams");
  }
  void TearDown() override {
    if (dispatcher_) dispatcher_->Stop();
    StoreTest::TearDown();
  }

  void AddProject(ProjectId id, const std::string& slack_url) {
    WriteBatch b = Batch();
    b.PutProject(Project{id, "p", "phc_" + std::to_string(id), "t", slack_url});
    Commit(b);
    webhooks_.SetSlackUrl(id, slack_url);
  }

  void AddAction(ProjectId project, ActionId id, const std::string& event, bool post_to_slack,
                 const std::string& format = "") {
    auto steps = engine::ParseActionSteps(R"([{"event":")" + event + R"("}])");
    ASSERT_TRUE(steps.ok());
    auto compiled = engine::CompileAction(id, *steps);
    ASSERT_TRUE(compiled.ok());
    catalog_.Put(project, *compiled);
    ActionRecord record;
    record.id = id;
    record.team_id = project;
    record.name = "Signed up";
    record.post_to_slack = post_to_slack;
    record.slack_message_format = format;
    record.steps = *steps;
    WriteBatch b = Batch();
    b.PutAction(project, id, EncodeActionRecord(record));
    Commit(b);
    webhooks_.PutAction(project, record);
  }

  // Builds the dispatcher (not started) and the pipeline that stages into it.
  void Build() {
    dispatcher_ = std::make_unique<WebhookDispatcher>(store_.get(), &transport_, options_, WallMs,
                                                      [this](std::string_view m) {
                                                        std::lock_guard lock(log_mutex_);
                                                        log_.emplace_back(m);
                                                      });
    outbox_ = std::make_unique<WebhookOutbox>(store_.get(), dispatcher_.get(), WallMs);
    pipeline_ = std::make_unique<IngestPipeline>(store_.get(), &catalog_, &locks_, &webhooks_,
                                                 outbox_.get());
    service_ = std::make_unique<WebhookService>(store_.get(), &locks_, &webhooks_,
                                                dispatcher_.get(), WallMs);
  }
  void Start() { ASSERT_TRUE(dispatcher_->Start().ok()); }

  IngestResult Ingest(ProjectId project, std::vector<engine::CapturedEvent> events) {
    auto result = pipeline_->Ingest(project, events);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : IngestResult{};
  }

  std::vector<Delivery> Deliveries(ProjectId project, DeliveryState state) {
    return Ok(store_->ListDeliveries(project, state, -1, 1000));
  }

  // Polls until the project's outbox holds exactly `pending` pending and `failed` failed ones.
  bool WaitForOutbox(ProjectId project, size_t pending, size_t failed,
                     milliseconds timeout = milliseconds(5000)) {
    const auto deadline = steady_clock::now() + timeout;
    while (steady_clock::now() < deadline) {
      if (Deliveries(project, DeliveryState::kPending).size() == pending &&
          Deliveries(project, DeliveryState::kFailed).size() == failed) {
        return true;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
    return false;
  }

  WebhookOptions options_;
  ActionCatalog catalog_;
  ProjectLocks locks_;
  WebhookCatalog webhooks_;
  FakeTransport transport_;
  std::unique_ptr<WebhookDispatcher> dispatcher_;
  std::unique_ptr<WebhookOutbox> outbox_;
  std::unique_ptr<IngestPipeline> pipeline_;
  std::unique_ptr<WebhookService> service_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

TEST_F(WebhookDeliveryTest, EachLiveMatchOfAPostToSlackActionSendsOneMessage) {
  AddAction(kProject, kAction, "signup", true,
            "[action.name] by [person] on [event.properties.plan]");
  AddAction(kProject, 8, "signup", false);  // matches too, but does not post
  Build();
  Start();
  const IngestResult result =
      Ingest(kProject, {Event(1, "signup"), Event(2, "view"), Event(3, "signup")});
  EXPECT_EQ(result.matches, 4u);
  EXPECT_EQ(result.deliveries, 2u);
  ASSERT_TRUE(transport_.WaitForSent(2));
  ASSERT_TRUE(WaitForOutbox(kProject, 0, 0));
  auto sent = transport_.sent();
  ASSERT_EQ(sent.size(), 2u);
  // Requests of a lane run concurrently (up to per_target_concurrency): answers may come in
  // either order.
  std::sort(sent.begin(), sent.end(), [](const auto& a, const auto& b) {
    return a.request.idempotency_key < b.request.idempotency_key;
  });
  EXPECT_EQ(sent[0].request.url, "https://hooks.slack.com/services/T/B/x");
  EXPECT_EQ(sent[0].request.idempotency_key, Uuid(1) + ":7");
  EXPECT_EQ(sent[0].request.body,
            R"({"text":"<https://ph.example.com/project/1/action/7|Signed up> by )"
            R"(<https://ph.example.com/project/1/person/user-1|user-1> on pro"})");
  EXPECT_EQ(sent[1].request.idempotency_key, Uuid(3) + ":7");
  EXPECT_EQ(dispatcher_->undelivered(kProject), 0);
  EXPECT_EQ(dispatcher_->delivered(), 2);
}

TEST_F(WebhookDeliveryTest, TheDeliveryIsCommittedWithItsMatchAndSentAfterARestart) {
  AddAction(kProject, kAction, "signup", true);
  Build();  // not started: as if the process died right after the commit
  Ingest(kProject, {Event(1, "signup")});
  ASSERT_EQ(Deliveries(kProject, DeliveryState::kPending).size(), 1u);
  EXPECT_EQ(Ok(store_->Count(kProject, kAction)), 1);
  EXPECT_TRUE(transport_.sent().empty());
  dispatcher_.reset();
  Reopen();
  Build();
  Start();  // the new process resumes the outbox
  ASSERT_TRUE(transport_.WaitForSent(1));
  EXPECT_EQ(transport_.sent()[0].request.idempotency_key, Uuid(1) + ":7");
  EXPECT_TRUE(WaitForOutbox(kProject, 0, 0));
}

TEST_F(WebhookDeliveryTest, AFinalAnswerIsADeadLetterThatARetrySendsAgain) {
  AddAction(kProject, kAction, "signup", true);
  transport_.SetResponder([](const WebhookRequest&, int attempt) {
    return attempt == 1 ? WebhookResponse{400, "", std::nullopt}
                        : WebhookResponse{200, "", std::nullopt};
  });
  Build();
  Start();
  Ingest(kProject, {Event(1, "signup")});
  ASSERT_TRUE(WaitForOutbox(kProject, 0, 1));
  std::vector<Delivery> failed = Deliveries(kProject, DeliveryState::kFailed);
  EXPECT_EQ(failed[0].attempts, 1);
  EXPECT_EQ(failed[0].last_status, 400);
  EXPECT_EQ(failed[0].last_error, "HTTP 400");
  EXPECT_EQ(transport_.sent().size(), 1u) << "a 400 is not retried by itself";
  EXPECT_EQ(dispatcher_->undelivered(kProject), 1) << "dead letters count toward the bound";

  auto retried = service_->RetryDelivery(kProject, failed[0].id);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->attempts, 0);
  ASSERT_TRUE(transport_.WaitForSent(2));
  EXPECT_TRUE(WaitForOutbox(kProject, 0, 0));
  EXPECT_EQ(service_->RetryDelivery(kProject, failed[0].id).status().code(), StatusCode::kNotFound);
}

TEST_F(WebhookDeliveryTest, TheLowestPendingIdFollowsDeliveriesUntilTheyAreSettled) {
  // The cluster publishes how far a partition's deliveries are done from this (docs/cluster.md
  // §Webhooks): a retried delivery holds it back; a delivered or dead-lettered one does not.
  options_.backoff_base_ms = 1;
  AddAction(kProject, kAction, "signup", true);
  transport_.SetResponder([](const WebhookRequest& request, int attempt) {
    const bool first = request.idempotency_key.rfind(Uuid(1), 0) == 0;
    if (first && attempt < 3) return WebhookResponse{503, "", std::string("0")};
    return WebhookResponse{first ? 200 : 400, "", std::nullopt};
  });
  Build();
  EXPECT_EQ(dispatcher_->LowestPendingId(kProject), std::numeric_limits<int64_t>::max());
  const IngestResult one = Ingest(kProject, {Event(1, "signup")});
  const IngestResult two = Ingest(kProject, {Event(2, "signup"), Event(3, "signup")});
  ASSERT_EQ(one.deliveries, 1u);
  ASSERT_EQ(two.deliveries, 2u);
  EXPECT_LT(one.last_delivery_id, two.last_delivery_id);
  EXPECT_EQ(dispatcher_->LowestPendingId(kProject), one.last_delivery_id);
  Start();
  // Events 2 and 3 are dead letters at once; event 1 is delivered on its third attempt.
  ASSERT_TRUE(WaitForOutbox(kProject, 0, 2));
  EXPECT_EQ(dispatcher_->LowestPendingId(kProject), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(dispatcher_->LowestPendingId(kProject + 1), std::numeric_limits<int64_t>::max());
}

TEST_F(WebhookDeliveryTest, RetryableFailuresBackOffUntilTheLastAttempt) {
  options_.max_attempts = 3;
  AddAction(kProject, kAction, "signup", true);
  transport_.SetResponder([](const WebhookRequest&, int) {
    return WebhookResponse{0, "connection refused", std::nullopt};
  });
  Build();
  Start();
  Ingest(kProject, {Event(1, "signup")});
  ASSERT_TRUE(WaitForOutbox(kProject, 0, 1));
  auto sent = transport_.sent();
  ASSERT_EQ(sent.size(), 3u);
  // base 20 ms, ×3 per retry, jitter in [0.8, 1.2): at least 16 ms, then at least 48 ms.
  EXPECT_GE(sent[1].at - sent[0].at, milliseconds(16));
  EXPECT_GE(sent[2].at - sent[1].at, milliseconds(48));
  const Delivery failed = Deliveries(kProject, DeliveryState::kFailed)[0];
  EXPECT_EQ(failed.attempts, 3);
  EXPECT_EQ(failed.last_status, 0);
  EXPECT_EQ(failed.last_error, "connection refused");
  std::lock_guard lock(log_mutex_);
  EXPECT_EQ(std::count_if(
                log_.begin(), log_.end(),
                [](const std::string& m) { return m.find("dead-letter") != std::string::npos; }),
            1)
      << "a final failure is logged once";
}

TEST_F(WebhookDeliveryTest, RetryAfterReplacesTheBackoff) {
  AddAction(kProject, kAction, "signup", true);
  transport_.SetResponder([](const WebhookRequest&, int attempt) {
    return attempt == 1 ? WebhookResponse{429, "", std::string("1")}
                        : WebhookResponse{200, "", std::nullopt};
  });
  Build();
  Start();
  Ingest(kProject, {Event(1, "signup")});
  ASSERT_TRUE(transport_.WaitForSent(2, milliseconds(5000)));
  auto sent = transport_.sent();
  EXPECT_GE(sent[1].at - sent[0].at, milliseconds(990)) << "not the 20 ms backoff";
  EXPECT_TRUE(WaitForOutbox(kProject, 0, 0));
}

TEST_F(WebhookDeliveryTest, AFullOutboxDropsNewDeliveriesButNeverTheMatches) {
  options_.outbox_max = 2;
  AddAction(kProject, kAction, "signup", true);
  Build();  // not started: nothing drains
  const IngestResult result =
      Ingest(kProject, {Event(1, "signup"), Event(2, "signup"), Event(3, "signup")});
  EXPECT_EQ(result.matches, 3u);
  EXPECT_EQ(result.deliveries, 2u);
  EXPECT_EQ(result.deliveries_dropped, 1u);
  EXPECT_EQ(dispatcher_->dropped(), 1);
  EXPECT_EQ(Ok(store_->Count(kProject, kAction)), 3);
  EXPECT_EQ(Deliveries(kProject, DeliveryState::kPending).size(), 2u);
}

TEST_F(WebhookDeliveryTest, ASlowReceiverHoldsOnlyItsOwnLane) {
  AddAction(kProject, kAction, "signup", true);
  AddAction(kOther, 9, "signup", true);
  options_.per_target_concurrency = 1;
  transport_.SetResponder([&](const WebhookRequest& r, int) {
    if (r.url.find("slack") != std::string::npos) std::this_thread::sleep_for(milliseconds(1500));
    return WebhookResponse{200, "", std::nullopt};
  });
  Build();
  Start();
  const auto start = steady_clock::now();
  Ingest(kProject, {Event(1, "signup"), Event(2, "signup")});
  Ingest(kOther, {Event(3, "signup")});
  EXPECT_LT(steady_clock::now() - start, milliseconds(500)) << "ingestion never waits";
  ASSERT_TRUE(transport_.WaitForSent(1, milliseconds(1000)));
  auto sent = transport_.sent();
  EXPECT_NE(sent[0].request.url.find("teams"), std::string::npos)
      << "the other project's receiver is served while the slow one is busy";
  EXPECT_LT(sent[0].answered - start, milliseconds(1000));
  // The slow lane sends one at a time: its second request leaves after the first's answer.
  ASSERT_TRUE(transport_.WaitForSent(3, milliseconds(6000)));
  sent = transport_.sent();
  EXPECT_GE(sent[2].at, sent[1].answered);
}

TEST_F(WebhookDeliveryTest, RestHooksGetPostHogsPayloadWithTheirIdInTheKey) {
  AddAction(kProject, kAction, "signup", false);
  Build();
  Start();
  auto hook = service_->CreateHook(
      kProject, 1, HookRequest{"action_performed", "https://hooks.zapier.com/x", kAction});
  ASSERT_TRUE(hook.ok()) << hook.status().ToString();
  Ingest(kProject, {Event(1, "signup")});
  ASSERT_TRUE(transport_.WaitForSent(1));
  auto sent = transport_.sent();
  EXPECT_EQ(sent[0].request.url, "https://hooks.zapier.com/x");
  EXPECT_EQ(sent[0].request.idempotency_key, Uuid(1) + ":7:" + hook->id);
  EXPECT_NE(sent[0].request.body.find(R"("hook":{"id":")" + hook->id), std::string::npos);
  EXPECT_NE(sent[0].request.body.find(R"("eventUuid":")" + Uuid(1)), std::string::npos);

  ASSERT_TRUE(service_->DeleteHook(kProject, hook->id).ok());
  Ingest(kProject, {Event(2, "signup")});
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(transport_.sent().size(), 1u) << "an unsubscribed hook is sent nothing";
}

TEST_F(WebhookDeliveryTest, HookRequestsAreValidated) {
  Build();
  auto code_and_attr = [&](HookRequest request) {
    auto result = service_->CreateHook(kProject, 1, request);
    return std::make_pair(result.status().code(), std::string(result.status().attr()));
  };
  EXPECT_EQ(code_and_attr({"action_performed", "NOT_A_URL", std::nullopt}),
            std::make_pair(StatusCode::kInvalidInput, std::string("target")));
  EXPECT_EQ(code_and_attr({"annotation_created", "https://x/", std::nullopt}).second, "event");
  EXPECT_EQ(code_and_attr({"action_performed", std::nullopt, std::nullopt}).second, "target");
  EXPECT_EQ(code_and_attr({"action_performed", "https://x/", 404}).second, "resource_id");
  EXPECT_TRUE(
      service_->CreateHook(kProject, 1, {"action_performed", "https://x/", std::nullopt}).ok());
}

}  // namespace
}  // namespace actiond::service
