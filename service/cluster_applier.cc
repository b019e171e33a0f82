#include "service/cluster_applier.h"

#include <librdkafka/rdkafka.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>

#include "engine/action_definition.h"
#include "engine/action_log_record.h"
#include "engine/capture_log_record.h"
#include "engine/str_cat.h"
#include "service/account_service.h"
#include "service/action_service.h"
#include "service/cluster_members.h"
#include "service/cluster_meta_applier.h"
#include "service/ingest_pipeline.h"
#include "service/thread_name.h"
#include "service/webhook_dispatcher.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::service {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// actiond's consumer defaults; --kafka-config overrides any of them.
KafkaProperties ConsumerDefaults(const ClusterSettings& settings) {
  return {
      {"group.id", settings.group_id()},
      // Static membership: a node restarted under the same --node-id takes its partitions
      // straight back instead of waiting out a rebalance; one that stays away loses them after
      // the session timeout, to the nodes still there.
      {"group.instance.id", settings.node_id},
      {"session.timeout.ms", "10000"},
      {"partition.assignment.strategy", "cooperative-sticky"},
      // Kafka's committed offsets are never the truth (the store's are), so nothing commits
      // them; a partition with no stored offset starts at its first record.
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      // How long a fetch may wait at the broker for new records: what a freshly acknowledged
      // capture can take to be applied on a quiet partition (docs/cluster.md §Settings).
      {"fetch.wait.max.ms", "50"},
      {"allow.auto.create.topics", "false"},
  };
}

constexpr int kWatermarkTimeoutMs = 5'000;
constexpr milliseconds kRetryPause{1'000};
constexpr milliseconds kEndRefresh{200};
constexpr milliseconds kMetaWait{10'000};
constexpr size_t kKeptActionResults = 1024;
// Records queued per apply thread before the poller waits: enough to keep a thread busy
// through a fetch, few enough that a revocation drops little.
constexpr size_t kMaxQueuedRecords = 256;
// Like the embedded apply stage: when the CPU is saturated, answering reads comes first.
constexpr int kApplyNice = 5;
constexpr milliseconds kMembersWait{5'000};

}  // namespace

ClusterApplier::ClusterApplier(const ClusterSettings& settings, const Services& services,
                               LogFunction log)
    : topic_(settings.events_topic()),
      store_(services.store),
      pipeline_(services.pipeline),
      accounts_(services.accounts),
      actions_(services.actions),
      log_(std::move(log)),
      meta_(services.meta),
      members_(services.members),
      dispatcher_(services.dispatcher) {}

Result<std::unique_ptr<ClusterApplier>> ClusterApplier::Start(const ClusterSettings& settings,
                                                              const Services& services,
                                                              LogFunction log) {
  std::unique_ptr<ClusterApplier> applier(new ClusterApplier(settings, services, std::move(log)));
  ACTIOND_ASSIGN_OR_RETURN(
      applier->consumer_,
      MakeKafkaHandle(
          KafkaRole::kConsumer, settings, ConsumerDefaults(settings), applier.get(),
          [](rd_kafka_conf_t* conf) {
            rd_kafka_conf_set_rebalance_cb(
                conf, [](rd_kafka_t* rk, rd_kafka_resp_err_t error,
                         rd_kafka_topic_partition_list_t* partitions, void*) {
                  static_cast<ClusterApplier&>(OwnerOf(rk)).OnRebalance(error, partitions);
                });
          }));
  rd_kafka_t* consumer = applier->consumer_.get();
  rd_kafka_poll_set_consumer(consumer);
  std::unique_ptr<rd_kafka_topic_partition_list_t, decltype(&rd_kafka_topic_partition_list_destroy)>
      topics(rd_kafka_topic_partition_list_new(1), rd_kafka_topic_partition_list_destroy);
  rd_kafka_topic_partition_list_add(topics.get(), applier->topic_.c_str(), RD_KAFKA_PARTITION_UA);
  if (const rd_kafka_resp_err_t error = rd_kafka_subscribe(consumer, topics.get());
      error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(error, engine::StrCat({"subscribing to ", applier->topic_}));
  }
  ClusterApplier* self = applier.get();
  const int threads = settings.apply_threads > 0
                          ? settings.apply_threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    applier->workers_.push_back(std::make_unique<Worker>());
    Worker* worker = applier->workers_.back().get();
    worker->thread = std::thread([self, worker] {
      NameThisThread("cluster-apply");
      self->Work(*worker);
    });
  }
  applier->thread_ = std::thread([self] {
    NameThisThread("cluster-log");
    self->Run();
  });
  return applier;
}

ClusterApplier::~ClusterApplier() { Stop(); }

void ClusterApplier::Stop() {
  stopping_.store(true, std::memory_order_release);
  // The poller first: closing the consumer revokes the partitions, which waits for the records
  // being applied.
  if (thread_.joinable()) thread_.join();
  for (const std::unique_ptr<Worker>& worker : workers_) {
    {
      std::lock_guard lock(worker->mutex);
      worker->queue.clear();
    }
    worker->changed.notify_all();
    if (worker->thread.joinable()) worker->thread.join();
  }
}

bool ClusterApplier::Dispatch(KafkaMessage message) {
  Worker& worker = WorkerOf(message->partition);
  std::unique_lock lock(worker.mutex);
  while (worker.queue.size() >= kMaxQueuedRecords) {
    if (stopping_.load(std::memory_order_acquire)) return false;
    worker.changed.wait_for(lock, milliseconds(100));
  }
  worker.queue.push_back(std::move(message));
  lock.unlock();
  worker.changed.notify_all();
  return true;
}

void ClusterApplier::Work(Worker& worker) {
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), kApplyNice);
  while (true) {
    KafkaMessage message;
    {
      std::unique_lock lock(worker.mutex);
      worker.changed.wait(
          lock, [&] { return !worker.queue.empty() || stopping_.load(std::memory_order_acquire); });
      if (worker.queue.empty()) return;  // stopping
      message = std::move(worker.queue.front());
      worker.queue.pop_front();
      worker.applying = message->partition;
    }
    worker.changed.notify_all();  // room in the queue
    const int32_t partition = message->partition;
    const int64_t offset = message->offset;
    bool mine = false;
    std::string& offset_key = worker.scratch.offset_keys[partition];
    if (offset_key.empty()) offset_key = OffsetKey(topic_, partition);
    LogPosition position{offset_key, offset + 1};
    {
      // A record of a partition this node no longer has, or one already applied (fetched
      // before a seek), is not this node's to apply.
      std::lock_guard lock(mutex_);
      const auto it = assigned_.find(partition);
      mine = it != assigned_.end() && offset >= it->second.applied;
      position.deliver_webhooks = mine && offset >= it->second.webhooks_from;
    }
    const std::string_view value(static_cast<const char*>(message->payload), message->len);
    while (mine && !Apply(worker.scratch, partition, offset, value, position)) {
      if (stopping_.load(std::memory_order_acquire)) break;  // not stored: applied on restart
      std::this_thread::sleep_for(kRetryPause);
    }
    {
      std::lock_guard lock(worker.mutex);
      worker.applying = -1;
    }
    worker.changed.notify_all();  // a revocation may wait for this record
  }
}

std::string ClusterApplier::OffsetKey(const std::string& topic, int32_t partition) {
  return engine::StrCat({"cluster/next-offset/", topic, "/", std::to_string(partition)});
}

void ClusterApplier::OnKafkaLog(std::string_view line) {
  if (log_) log_(line);
}

std::vector<PartitionProgress> ClusterApplier::Progress() const {
  std::lock_guard lock(mutex_);
  std::vector<PartitionProgress> out;
  out.reserve(assigned_.size());
  for (const auto& [partition, progress] : assigned_) out.push_back(progress);
  return out;
}

bool ClusterApplier::CaughtUp() const {
  std::lock_guard lock(mutex_);
  if (!joined_) return false;  // no assignment yet: this node does not know what it owns
  for (const auto& [partition, progress] : assigned_) {
    if (progress.caught_up_at < 0 || progress.applied < progress.caught_up_at) return false;
  }
  return true;
}

void ClusterApplier::Run() {
  rd_kafka_t* consumer = consumer_.get();
  steady_clock::time_point ends_seen;
  while (!stopping_.load(std::memory_order_acquire)) {
    if (steady_clock::now() - ends_seen > kEndRefresh) {  // the log's ends, for Progress()
      ends_seen = steady_clock::now();
      std::lock_guard lock(mutex_);
      for (auto& [partition, progress] : assigned_) {
        int64_t low = 0;
        int64_t high = -1;
        if (rd_kafka_get_watermark_offsets(consumer, topic_.c_str(), partition, &low, &high) ==
                RD_KAFKA_RESP_ERR_NO_ERROR &&
            high >= 0) {
          progress.end = high;
        }
      }
    }
    KafkaMessage message = PollKafkaMessage(consumer, 100);
    if (!message) continue;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        OnKafkaLog(KafkaStatus(message->err, "consuming the event log").ToString());
      }
      continue;
    }
    if (!Dispatch(std::move(message))) break;
  }
  // Leaves the group now, so that the partitions move at once instead of after the session
  // timeout; the revocation arrives through OnRebalance.
  rd_kafka_consumer_close(consumer);
}

void ClusterApplier::OnRebalance(int error, rd_kafka_topic_partition_list_t* partitions) {
  cooperative_ = std::string_view(rd_kafka_rebalance_protocol(consumer_.get())) == "COOPERATIVE";
  if (error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    Assign(partitions);
    std::lock_guard lock(mutex_);
    joined_ = true;
  } else {
    Revoke(partitions);
  }
}

void ClusterApplier::Assign(rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_t* consumer = consumer_.get();
  // What earlier holders delivered: their latest membership records must have been read. When
  // the members topic cannot be read to its end, the offsets read so far are used (a takeover
  // may then send a few deliveries again: at least once).
  if (members_ != nullptr && partitions->cnt > 0 && !members_->WaitForEnd(kMembersWait)) {
    OnKafkaLog("cluster: the members topic was not read to its end; webhooks may repeat");
  }
  for (int i = 0; i < partitions->cnt; ++i) {
    rd_kafka_topic_partition_t& p = partitions->elems[i];
    PartitionProgress progress;
    progress.partition = p.partition;
    // Resume where this store stopped: the truth is the offset written with the data.
    Result<std::optional<std::string>> stored = store_->GetMeta(OffsetKey(topic_, p.partition));
    if (!stored.ok()) {
      OnKafkaLog(engine::StrCat({"cluster: reading partition ", std::to_string(p.partition),
                                 "'s offset: ", stored.status().ToString()}));
    }
    if (stored.ok() && stored->has_value()) {
      progress.applied = std::stoll(**stored);
      p.offset = progress.applied;
    } else {
      p.offset = RD_KAFKA_OFFSET_BEGINNING;
    }
    int64_t low = 0;
    int64_t high = -1;
    if (rd_kafka_query_watermark_offsets(consumer, topic_.c_str(), p.partition, &low, &high,
                                         kWatermarkTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      progress.caught_up_at = high;
      progress.end = high;
      if (!stored.ok() || !stored->has_value()) progress.applied = low;
    }
    if (members_ != nullptr) progress.webhooks_from = members_->DeliveredFrom(p.partition);
    std::lock_guard lock(mutex_);
    assigned_[p.partition] = progress;
    owed_.erase(p.partition);
  }
  if (cooperative_) {
    if (rd_kafka_error_t* e = rd_kafka_incremental_assign(consumer, partitions); e != nullptr) {
      OnKafkaLog(engine::StrCat({"cluster: assign: ", rd_kafka_error_string(e)}));
      rd_kafka_error_destroy(e);
    }
  } else {
    rd_kafka_assign(consumer, partitions);
  }
}

void ClusterApplier::Revoke(rd_kafka_topic_partition_list_t* partitions) {
  std::vector<int32_t> revoked;
  {
    std::lock_guard lock(mutex_);
    if (cooperative_) {
      for (int i = 0; i < partitions->cnt; ++i) revoked.push_back(partitions->elems[i].partition);
    } else {
      for (const auto& [partition, progress] : assigned_) revoked.push_back(partition);
    }
    for (const int32_t partition : revoked) {
      assigned_.erase(partition);
      owed_.erase(partition);
    }
  }
  applied_.notify_all();  // a request waiting on a partition that left gives up now
  // Its queued records are not this node's any more; the one being applied is finished first,
  // so that the stored offset the next holder reads is not moved by this node afterwards.
  auto is_revoked = [&](int32_t partition) {
    return std::find(revoked.begin(), revoked.end(), partition) != revoked.end();
  };
  for (const std::unique_ptr<Worker>& worker : workers_) {
    std::unique_lock lock(worker->mutex);
    std::erase_if(worker->queue,
                  [&](const KafkaMessage& message) { return is_revoked(message->partition); });
    worker->changed.wait(lock, [&] { return !is_revoked(worker->applying); });
  }
  if (cooperative_) {
    if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(consumer_.get(), partitions);
        e != nullptr) {
      rd_kafka_error_destroy(e);
    }
  } else {
    rd_kafka_assign(consumer_.get(), nullptr);
  }
}

bool ClusterApplier::Apply(Scratch& scratch, int32_t partition, int64_t offset,
                           std::string_view value, const LogPosition& position) {
  return engine::IsActionLogRecord(value)
             ? ApplyActionChange(partition, offset, value, position)
             : ApplyCapture(scratch, partition, offset, value, position);
}

Result<std::optional<Project>> ClusterApplier::ProjectOfRecord(const std::string& token) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> project, accounts_->FindProjectByToken(token));
  if (project.has_value() || meta_ == nullptr) return project;
  // The meta record that creates the project may not be applied here yet (a node behind, or
  // one replaying both logs from the start): only once the meta log is applied to its end is
  // an unknown token really unknown. A meta log that cannot be read: try again.
  if (!meta_->WaitForEnd(kMetaWait)) {
    return Status(StatusCode::kUnavailable, "the meta log is not applied to its end");
  }
  return accounts_->FindProjectByToken(token);
}

bool ClusterApplier::ApplyCapture(Scratch& scratch, int32_t partition, int64_t offset,
                                  std::string_view value, const LogPosition& position) {
  int64_t received_ms = 0;
  engine::CaptureRequest& request = scratch.request;
  if (Status decoded = engine::DecodeCaptureLogRecord(value, &request, &received_ms);
      !decoded.ok()) {
    Passed(partition, offset, position, decoded.message());
    return true;
  }
  Result<std::optional<Project>> project = ProjectOfRecord(request.token);
  if (!project.ok()) return false;  // the store or the meta log cannot be read now
  if (!project->has_value()) {
    Passed(partition, offset, position, "no project has its token");
    return true;
  }
  Result<IngestResult> ingested = pipeline_->Ingest((*project)->id, request.events, &position);
  if (!ingested.ok()) {
    if (IsStoreFailure(ingested.status().code())) return false;  // try the record again
    Passed(partition, offset, position, ingested.status().message());
    return true;
  }
  if (ingested->deliveries > 0) {
    std::lock_guard lock(mutex_);
    owed_[partition].push_back({offset, (*project)->id, ingested->last_delivery_id});
  }
  Applied(partition, offset);
  return true;
}

int64_t ClusterApplier::DeliveredFrom(int32_t partition) {
  std::lock_guard lock(mutex_);
  const auto held = assigned_.find(partition);
  if (held == assigned_.end()) return 0;
  if (auto it = owed_.find(partition); it != owed_.end() && dispatcher_ != nullptr) {
    std::deque<OwedDeliveries>& owed = it->second;
    // A project's delivery ids grow in commit order: a record's deliveries are all settled
    // once the project's lowest pending id is past its highest.
    while (!owed.empty() &&
           dispatcher_->LowestPendingId(owed.front().project) > owed.front().last_delivery_id) {
      owed.pop_front();
    }
    if (!owed.empty()) return owed.front().offset;
  }
  return held->second.applied;
}

bool ClusterApplier::ApplyActionChange(int32_t partition, int64_t offset, std::string_view value,
                                       const LogPosition& position) {
  Result<engine::ActionLogRecord> record = engine::DecodeActionLogRecord(value);
  if (!record.ok()) {
    Passed(partition, offset, position, record.status().message());
    return true;
  }
  Result<engine::ActionRequest> request = engine::ParseActionRequest(record->request_json);
  if (actions_ == nullptr || !request.ok()) {
    Passed(partition, offset, position,
           actions_ == nullptr ? "no action service" : "unreadable request");
    return true;
  }
  Result<std::optional<Project>> project = ProjectOfRecord(record->token);
  if (!project.ok()) return false;
  if (!project->has_value()) {
    Passed(partition, offset, position, "no project has its token");
    return true;
  }
  ActionChange change;
  change.op = record->op;
  change.id = record->action_id;
  change.request = std::move(*request);
  change.created_by_json = std::move(record->created_by_json);
  change.at_ms = record->at_ms;
  Result<ActionRecord> result = actions_->ApplyChange((*project)->id, change, &position);
  if (!result.ok() && IsStoreFailure(result.status().code())) return false;
  {
    std::lock_guard lock(mutex_);
    action_results_.emplace_back(std::make_pair(partition, offset), std::move(result));
    if (action_results_.size() > kKeptActionResults) action_results_.pop_front();
  }
  Applied(partition, offset);
  return true;
}

void ClusterApplier::Applied(int32_t partition, int64_t offset) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = assigned_.find(partition); it != assigned_.end()) it->second.applied = offset + 1;
  }
  applied_.notify_all();
}

Result<ActionRecord> ClusterApplier::WaitActionResult(int32_t partition, int64_t offset,
                                                      milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  const std::pair<int32_t, int64_t> key(partition, offset);
  const Result<ActionRecord>* found = nullptr;
  bool moved = false;
  applied_.wait_for(lock, timeout, [&] {
    for (auto it = action_results_.rbegin(); it != action_results_.rend(); ++it) {
      if (it->first == key) {
        found = &it->second;
        return true;
      }
    }
    const auto held = assigned_.find(partition);
    moved = held == assigned_.end();
    // Applied without a result: passed over (logged), or its result already dropped.
    return moved || held->second.applied > offset;
  });
  if (found != nullptr) return *found;
  return Status(StatusCode::kUnavailable,
                moved ? "The action change is in the log, but its project moved to another node "
                        "before this one applied it; it takes effect there."
                      : "The action change is in the log but this node has no result for it; "
                        "read the project's actions to see it.");
}

void ClusterApplier::Passed(int32_t partition, int64_t offset, const LogPosition& position,
                            std::string_view why) {
  OnKafkaLog(engine::StrCat({"cluster: record ", std::to_string(partition), "@",
                             std::to_string(offset), " passed over: ", why}));
  storage::WriteBatch batch(*store_);
  position.WriteTo(batch);
  while (!store_->Commit(batch).ok()) {
    if (stopping_.load(std::memory_order_acquire)) return;
    std::this_thread::sleep_for(kRetryPause);
  }
  Applied(partition, offset);
}

}  // namespace actiond::service
