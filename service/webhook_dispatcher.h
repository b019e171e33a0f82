// WebhookDispatcher: the deliver stage (docs/webhooks.md §6). It owes every pending delivery of
// the outbox (storage: the `deliveries` column family, written in the match's own WriteBatch)
// one successful POST, and deletes it after a 2xx.
//
// Scheduling: deliveries queue per lane — one lane per (project, target origin) — in order of
// due time, then of id (the order of commit). A lane has at most `per_target_concurrency`
// requests in flight, so a slow or dead endpoint holds only its own lane: ingestion never
// waits for a delivery, and other lanes (other projects, other targets) go on.
//
// Outcomes (engine/webhook_retry.h): a 2xx deletes the delivery; a retryable failure stores
// attempts, last status and error, and the next attempt time (backoff with jitter, or the
// answer's Retry-After); a final answer (4xx other than 408/429) or the last allowed attempt
// moves it to the failed state (the dead-letter list), logged once. Every change is one
// commit, so a crash at any point loses nothing: Start() reloads every pending delivery, and
// one that was in flight is sent again (at least once; receivers deduplicate by the
// Idempotency-Key header, `<event uuid>:<action id>[:<hook id>]`).
//
// The outbox bound: each project holds at most `outbox_max` undelivered deliveries (pending
// and failed). TryReserve, called by ingestion under the project's lock, refuses beyond it;
// the match is still stored and counted, only its delivery is dropped (and counted).
//
// Thread-safety: every method may be called from any thread. One scheduler thread runs
// between Start() and Stop(); the transport's completion callbacks hand results to it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/domain_types.h"
#include "service/webhook_transport.h"

namespace actiond::service {

using storage::Delivery;
using storage::DeliveryState;

struct WebhookOptions {
  std::string site_url = "http://127.0.0.1:8000";  // links in messages (--site-url)
  int64_t max_attempts = 10;                       // then the dead-letter list
  int64_t outbox_max = 10'000;                     // undelivered per project
  int64_t backoff_base_ms = 10'000;                // the first retry's wait
  int per_target_concurrency = 4;                  // requests in flight per lane
};

class WebhookDispatcher {
 public:
  // The pointees must outlive the dispatcher (Stop() it before closing the store).
  WebhookDispatcher(storage::Store* store, WebhookTransport* transport, WebhookOptions options,
                    ClockFunction clock, LogFunction log);
  ~WebhookDispatcher();  // Stop()
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Loads the outbox (counts per project, pending deliveries into their lanes) and starts the
  // scheduler thread. Errors: the store's.
  Status Start();
  // Stops scheduling and waits for the thread; requests in flight are abandoned (their
  // deliveries stay pending and are sent again after a restart). Idempotent.
  void Stop();

  // Takes one place in the project's outbox; false when it is full (the delivery is dropped:
  // dropped() counts it). Release gives back places of deliveries that were not committed.
  bool TryReserve(ProjectId project);
  void Release(ProjectId project, int64_t count);

  // A committed pending delivery: schedule it.
  void Enqueue(ProjectId project, int64_t delivery_id, const std::string& target, int64_t due_ms);

  // Dead letters (docs/webhooks.md §6): a failed delivery back to pending with its attempts
  // reset, due now; or discarded. kNotFound when the project has no such failed delivery.
  Result<Delivery> Retry(ProjectId project, int64_t delivery_id);
  Status Discard(ProjectId project, int64_t delivery_id);

  const WebhookOptions& options() const noexcept { return options_; }
  int64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  int64_t delivered() const noexcept { return delivered_.load(std::memory_order_relaxed); }
  int64_t dead_lettered() const noexcept { return dead_lettered_.load(std::memory_order_relaxed); }
  // Failed attempts that were scheduled to be tried again.
  int64_t retried() const noexcept { return retried_.load(std::memory_order_relaxed); }
  int64_t undelivered(ProjectId project) const;
  // The lowest id among the project's pending deliveries (queued, waiting to be retried, or in
  // flight); INT64_MAX when none is pending. A delivery that failed for good counts as settled.
  // The cluster uses it to publish how far a partition's deliveries are done (docs/cluster.md
  // §Webhooks): a project's delivery ids grow in commit order.
  int64_t LowestPendingId(ProjectId project) const;

 private:
  struct Lane {
    std::set<std::pair<int64_t, int64_t>> queue;  // (due ms, delivery id)
    int in_flight = 0;
  };
  using LaneKey = std::pair<ProjectId, std::string>;  // project, scheme://host:port
  struct Completion {
    LaneKey lane;
    Delivery delivery;
    WebhookResponse response;
  };

  void Run();
  // Under mutex_: the due deliveries of every lane with room, marked in flight.
  std::vector<std::pair<LaneKey, int64_t>> TakeDue(int64_t now_ms);
  void Send(const LaneKey& lane, int64_t delivery_id);
  void Finish(Completion completion);
  // Records the lane's slot as free again and, unless the delivery is done, queues it at due_ms.
  void Settle(const LaneKey& lane, int64_t delivery_id, std::optional<int64_t> due_ms);
  void Log(const std::string& message) const;

  storage::Store* store_;
  WebhookTransport* transport_;
  const WebhookOptions options_;
  ClockFunction clock_;
  LogFunction log_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                               // guarded by mutex_
  std::map<LaneKey, Lane> lanes_;                       // guarded by mutex_
  std::deque<Completion> completions_;                  // guarded by mutex_
  std::map<ProjectId, int64_t> undelivered_;            // guarded by mutex_
  std::map<ProjectId, std::set<int64_t>> pending_ids_;  // guarded by mutex_
  std::set<ProjectId> full_logged_;  // guarded by mutex_: "outbox full" said once
  std::atomic<int64_t> dropped_{0}, delivered_{0}, dead_lettered_{0}, retried_{0};
  // Every Post's `done` must have run before the dispatcher goes away.
  int64_t posts_outstanding_ = 0;  // guarded by mutex_
  std::condition_variable posts_done_;
  std::thread thread_;
};

}  // namespace actiond::service
