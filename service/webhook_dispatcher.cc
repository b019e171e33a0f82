#include "service/webhook_dispatcher.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>

#include "engine/http_url.h"
#include "engine/str_cat.h"
#include "engine/webhook_retry.h"
#include "service/thread_name.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::service {

namespace {

// Deliveries to one origin share a lane; the path does not matter for fairness.
std::string OriginOf(const std::string& url) {
  std::optional<engine::HttpUrl> parsed = engine::ParseHttpUrl(url);
  if (!parsed) return url;
  return engine::StrCat({parsed->https ? std::string_view("https://") : std::string_view("http://"),
                         parsed->HostHeader(), ":", std::to_string(parsed->port)});
}

std::string IdempotencyKey(const Delivery& d) {
  std::string key = engine::StrCat({d.event_uuid, ":", std::to_string(d.action_id)});
  if (!d.hook_id.empty()) key.append(":").append(d.hook_id);
  return key;
}

// While the store cannot record an outcome, the delivery waits this long and is tried again.
constexpr int64_t kStoreRetryMs = 5'000;

}  // namespace

WebhookDispatcher::WebhookDispatcher(storage::Store* store, WebhookTransport* transport,
                                     WebhookOptions options, ClockFunction clock, LogFunction log)
    : store_(store),
      transport_(transport),
      options_(std::move(options)),
      clock_(std::move(clock)),
      log_(std::move(log)) {}

WebhookDispatcher::~WebhookDispatcher() {
  Stop();
  // Completion callbacks capture `this`: wait until the transport has run every one of them.
  std::unique_lock lock(mutex_);
  posts_done_.wait(lock, [&] { return posts_outstanding_ == 0; });
}

void WebhookDispatcher::Log(const std::string& message) const {
  if (log_) log_(message);
}

Status WebhookDispatcher::Start() {
  std::map<ProjectId, int64_t> counts;
  std::vector<std::tuple<ProjectId, int64_t, std::string, int64_t>> pending;
  ACTIOND_RETURN_IF_ERROR(
      store_->ScanAllDeliveries([&](ProjectId project, DeliveryState state, const Delivery& d) {
        ++counts[project];
        if (state == DeliveryState::kPending) {
          pending.emplace_back(project, d.id, d.target, d.next_attempt_ms);
        }
        return true;
      }));
  {
    std::lock_guard lock(mutex_);
    undelivered_ = std::move(counts);
    stopping_ = false;
  }
  for (const auto& [project, id, target, due] : pending) Enqueue(project, id, target, due);
  if (!pending.empty()) {
    Log(engine::StrCat({"webhooks: ", std::to_string(pending.size()),
                        " pending deliveries resumed from the outbox"}));
  }
  thread_ = std::thread([this] {
    NameThisThread("webhooks");
    Run();
  });
  return Status::Ok();
}

void WebhookDispatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool WebhookDispatcher::TryReserve(ProjectId project) {
  std::lock_guard lock(mutex_);
  int64_t& count = undelivered_[project];
  if (count >= options_.outbox_max) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    if (full_logged_.insert(project).second) {
      Log(engine::StrCat({"webhooks: the outbox of project ", std::to_string(project), " holds ",
                          std::to_string(count),
                          " undelivered deliveries (--webhook-outbox-max); new ones are dropped",
                          " until it drains"}));
    }
    return false;
  }
  ++count;
  return true;
}

void WebhookDispatcher::Release(ProjectId project, int64_t count) {
  std::lock_guard lock(mutex_);
  int64_t& held = undelivered_[project];
  held = std::max<int64_t>(0, held - count);
  if (held < options_.outbox_max) full_logged_.erase(project);
}

int64_t WebhookDispatcher::undelivered(ProjectId project) const {
  std::lock_guard lock(mutex_);
  auto it = undelivered_.find(project);
  return it == undelivered_.end() ? 0 : it->second;
}

void WebhookDispatcher::Enqueue(ProjectId project, int64_t delivery_id, const std::string& target,
                                int64_t due_ms) {
  {
    std::lock_guard lock(mutex_);
    lanes_[LaneKey(project, OriginOf(target))].queue.emplace(due_ms, delivery_id);
    pending_ids_[project].insert(delivery_id);
  }
  wake_.notify_all();
}

int64_t WebhookDispatcher::LowestPendingId(ProjectId project) const {
  std::lock_guard lock(mutex_);
  const auto it = pending_ids_.find(project);
  if (it == pending_ids_.end() || it->second.empty()) return std::numeric_limits<int64_t>::max();
  return *it->second.begin();
}

std::vector<std::pair<WebhookDispatcher::LaneKey, int64_t>> WebhookDispatcher::TakeDue(
    int64_t now_ms) {
  std::vector<std::pair<LaneKey, int64_t>> due;
  for (auto& [key, lane] : lanes_) {
    while (lane.in_flight < options_.per_target_concurrency && !lane.queue.empty() &&
           lane.queue.begin()->first <= now_ms) {
      due.emplace_back(key, lane.queue.begin()->second);
      lane.queue.erase(lane.queue.begin());
      ++lane.in_flight;
    }
  }
  return due;
}

void WebhookDispatcher::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    while (!completions_.empty() && !stopping_) {
      Completion completion = std::move(completions_.front());
      completions_.pop_front();
      lock.unlock();
      Finish(std::move(completion));
      lock.lock();
    }
    if (stopping_) break;
    const int64_t now = clock_();
    std::vector<std::pair<LaneKey, int64_t>> due = TakeDue(now);
    if (!due.empty()) {
      lock.unlock();
      for (const auto& [lane, id] : due) Send(lane, id);
      lock.lock();
      continue;
    }
    // Sleep until the earliest delivery a lane with room could send, or until woken.
    int64_t next = std::numeric_limits<int64_t>::max();
    for (const auto& [key, lane] : lanes_) {
      if (lane.in_flight < options_.per_target_concurrency && !lane.queue.empty()) {
        next = std::min(next, lane.queue.begin()->first);
      }
    }
    if (!completions_.empty()) continue;
    if (next == std::numeric_limits<int64_t>::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_for(lock, std::chrono::milliseconds(std::clamp<int64_t>(next - now, 1, 60'000)));
    }
  }
}

void WebhookDispatcher::Send(const LaneKey& lane, int64_t delivery_id) {
  // While the store cannot write, an outcome could not be recorded and the delivery would be
  // POSTed again: hold it back instead (docs/operations.md §Disk full).
  if (!store_->writable()) {
    Settle(lane, delivery_id, clock_() + kStoreRetryMs);
    return;
  }
  Result<std::optional<Delivery>> found =
      store_->GetDelivery(lane.first, DeliveryState::kPending, delivery_id);
  if (!found.ok()) {
    Log(engine::StrCat({"webhooks: reading delivery ", std::to_string(delivery_id), ": ",
                        found.status().ToString()}));
    Settle(lane, delivery_id, clock_() + kStoreRetryMs);
    return;
  }
  if (!*found) {  // retried or discarded through the API meanwhile: nothing is owed here
    Settle(lane, delivery_id, std::nullopt);
    return;
  }
  Delivery delivery = std::move(**found);
  WebhookRequest request{delivery.target, delivery.body, IdempotencyKey(delivery)};
  {
    std::lock_guard guard(mutex_);
    ++posts_outstanding_;
  }
  transport_->Post(std::move(request), [this, lane, delivery = std::move(delivery)](
                                           WebhookResponse response) mutable {
    {
      std::lock_guard guard(mutex_);
      if (!stopping_) {
        completions_.push_back(Completion{lane, std::move(delivery), std::move(response)});
      }
      --posts_outstanding_;
    }
    posts_done_.notify_all();
    wake_.notify_all();
  });
}

void WebhookDispatcher::Settle(const LaneKey& lane, int64_t delivery_id,
                               std::optional<int64_t> due_ms) {
  {
    std::lock_guard lock(mutex_);
    Lane& l = lanes_[lane];
    --l.in_flight;
    if (due_ms) l.queue.emplace(*due_ms, delivery_id);
  }
  wake_.notify_all();
}

void WebhookDispatcher::Finish(Completion completion) {
  Delivery& d = completion.delivery;
  const ProjectId project = completion.lane.first;
  const WebhookResponse& response = completion.response;
  const int64_t now = clock_();
  const engine::DeliveryOutcome outcome = response.status == 0
                                              ? engine::DeliveryOutcome::kRetry
                                              : engine::ClassifyHttpStatus(response.status);
  storage::WriteBatch batch(*store_);
  std::optional<int64_t> due;
  bool leaves_outbox = false;
  if (outcome == engine::DeliveryOutcome::kDelivered) {
    batch.DeleteDelivery(project, DeliveryState::kPending, d.id);
    leaves_outbox = true;
  } else {
    ++d.attempts;
    d.last_status = response.status;
    d.last_error = response.status == 0
                       ? response.error
                       : engine::StrCat({"HTTP ", std::to_string(response.status)});
    if (outcome == engine::DeliveryOutcome::kFinal || d.attempts >= options_.max_attempts) {
      batch.DeleteDelivery(project, DeliveryState::kPending, d.id);
      batch.PutDelivery(project, DeliveryState::kFailed, d);
    } else {
      thread_local std::mt19937_64 random{std::random_device{}()};
      const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(random);
      int64_t wait = engine::BackoffMs(d.attempts, options_.backoff_base_ms, jitter);
      if (response.retry_after) {
        if (auto asked = engine::ParseRetryAfterMs(*response.retry_after, now)) wait = *asked;
      }
      d.next_attempt_ms = now + wait;
      batch.PutDelivery(project, DeliveryState::kPending, d);
      due = d.next_attempt_ms;
    }
  }
  if (Status committed = store_->Commit(batch); !committed.ok()) {
    if (committed.reason() != StatusReason::kStoreUnwritable) {  // that one is logged once
      Log(engine::StrCat({"webhooks: recording the outcome of delivery ", std::to_string(d.id),
                          " failed (", committed.ToString(), "); it will be sent again"}));
    }
    Settle(completion.lane, d.id, now + kStoreRetryMs);
    return;
  }
  if (!due) {  // delivered, or failed for good: no longer pending
    std::lock_guard lock(mutex_);
    if (auto it = pending_ids_.find(project); it != pending_ids_.end()) it->second.erase(d.id);
  }
  if (leaves_outbox) {
    delivered_.fetch_add(1, std::memory_order_relaxed);
    Release(project, 1);
  } else if (due) {
    retried_.fetch_add(1, std::memory_order_relaxed);
  } else {
    dead_lettered_.fetch_add(1, std::memory_order_relaxed);
    Log(engine::StrCat({"webhooks: delivery ", std::to_string(d.id), " of project ",
                        std::to_string(project), " (action ", std::to_string(d.action_id),
                        ") failed after ", std::to_string(d.attempts),
                        " attempt(s): ", d.last_error, "; it is in the dead-letter list"}));
  }
  Settle(completion.lane, d.id, due);
}

Result<Delivery> WebhookDispatcher::Retry(ProjectId project, int64_t delivery_id) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Delivery> found,
                           store_->GetDelivery(project, DeliveryState::kFailed, delivery_id));
  if (!found) return NotFound("Not found.");
  Delivery d = std::move(*found);
  d.attempts = 0;
  d.next_attempt_ms = clock_();
  storage::WriteBatch batch(*store_);
  batch.DeleteDelivery(project, DeliveryState::kFailed, d.id);
  batch.PutDelivery(project, DeliveryState::kPending, d);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  Enqueue(project, d.id, d.target, d.next_attempt_ms);
  return d;
}

Status WebhookDispatcher::Discard(ProjectId project, int64_t delivery_id) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Delivery> found,
                           store_->GetDelivery(project, DeliveryState::kFailed, delivery_id));
  if (!found) return NotFound("Not found.");
  storage::WriteBatch batch(*store_);
  batch.DeleteDelivery(project, DeliveryState::kFailed, delivery_id);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  Release(project, 1);
  return Status::Ok();
}

}  // namespace actiond::service
