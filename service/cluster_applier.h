// ClusterApplier: the apply stage of a node in cluster mode (docs/cluster.md §Apply). It joins
// the consumer group `<prefix>nodes` (cooperative-sticky assignment) on the events topic and
// applies every record of the partitions Kafka assigns it, in log order, through the same
// IngestPipeline as embedded mode.
//
// Exactly once without Kafka's offsets: each partition's next offset is stored in RocksDB in
// the SAME WriteBatch as the data its record produced (IngestPipeline's LogPosition). On
// assignment the partition is read from that stored offset (or from the beginning), so a record
// redelivered after a crash or a rebalance is applied once, and a node that starts with an
// empty data directory replays the partition from its first record to the same state.
//
// The log holds two kinds of records (docs/cluster.md §Records): capture records, ingested as
// above, and action changes (engine/action_log_record.h), applied through ActionService at their
// place among the project's events. The result of each action change applied is kept for a
// while, so that the request that wrote it can answer with it (WaitActionResult).
//
// A record whose token no project has waits first for the meta applier to reach the meta
// topic's end (the project may be created by a meta record this node has not applied yet).
// A record that can never apply — not a capture record, a token no project has even then, an
// event the engine refuses — is logged and passed over, its offset stored alone, so one bad record
// cannot stop a partition. A store that cannot write (disk full) is retried every second, the
// record kept, until it can.
//
// Webhooks (docs/cluster.md §Webhooks): on assignment, a partition's records before the highest
// delivered offset any node has published (ClusterMembers::DeliveredFrom) are applied without
// webhooks — an earlier holder sent them; those after it send as in embedded mode, at least once.
// DeliveredFrom() says how far this node's own deliveries of a partition are done, for the
// membership record.
//
// Caught up: a partition is caught up once its applied offset reaches the end the log had when
// it was assigned; CaughtUp() is false before the group's first assignment and while any
// partition is not (/_readyz answers 503 meanwhile).
//
// Parallel apply: one consumer thread polls the log (and runs the group's rebalance callbacks)
// and hands each record to one of the apply threads (ClusterSettings::apply_threads), always the
// same one for a partition, so that a partition is applied in log order while the partitions a
// node holds are applied on several cores at once. A thread's queue is bounded; the poller waits
// when it is full. When a partition is revoked its queued records are dropped and the revocation
// waits for the record being applied, so that the next holder starts from a stored offset no
// record of this node will move.
//
// Thread-safety: Progress(), CaughtUp(), WaitActionResult() and DeliveredFrom() may be called
// from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/capture_payload.h"
#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/cluster_settings.h"
#include "service/domain_types.h"
#include "service/kafka_client.h"
#include "service/log_position.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

class AccountService;
class ActionService;
class ClusterMembers;
class WebhookDispatcher;
class ClusterMetaApplier;
class IngestPipeline;

struct PartitionProgress {
  int32_t partition = 0;
  int64_t applied = 0;        // the next offset to apply (records before it are in the store)
  int64_t caught_up_at = -1;  // the log's end when assigned (-1: not known yet)
  int64_t end = -1;           // the log's end as last seen by the consumer (-1: not known)
  // Records before it were delivered by an earlier holder: applied here without webhooks.
  int64_t webhooks_from = 0;
};

class ClusterApplier final : public KafkaOwner {
 public:
  // What the applier applies records through. All must outlive it; `actions` may be null (no
  // action records expected: tests of capture alone), `meta` too (no meta log to wait for).
  struct Services {
    storage::Store* store = nullptr;
    IngestPipeline* pipeline = nullptr;
    AccountService* accounts = nullptr;
    ActionService* actions = nullptr;
    const ClusterMetaApplier* meta = nullptr;
    // Where earlier holders said their deliveries were done; null: every record delivers.
    const ClusterMembers* members = nullptr;
    // Whose pending deliveries say how far this node's are done; null: no webhooks here.
    const WebhookDispatcher* dispatcher = nullptr;
  };
  // Joins the group and starts applying.
  static Result<std::unique_ptr<ClusterApplier>> Start(const ClusterSettings& settings,
                                                       const Services& services, LogFunction log);
  ~ClusterApplier() override;  // Stop()
  ClusterApplier(const ClusterApplier&) = delete;
  ClusterApplier& operator=(const ClusterApplier&) = delete;

  // Finishes the record being applied, leaves the group (its partitions move to other nodes)
  // and stops. Idempotent.
  void Stop();

  std::vector<PartitionProgress> Progress() const;  // assigned partitions, ascending
  bool CaughtUp() const;

  // The result of the action record at `offset` of `partition` once this node has applied it:
  // the action as changed, or the change's refusal (400, 404). kUnavailable when `timeout`
  // passes first or the partition leaves this node meanwhile (the record is in the log all the
  // same; whichever node holds the partition applies it).
  Result<ActionRecord> WaitActionResult(int32_t partition, int64_t offset,
                                        std::chrono::milliseconds timeout) const;

  // The offset of `partition` before which every webhook delivery this node's applies owed is
  // delivered (or failed for good): the first applied record with a pending delivery, or the
  // applied offset when none has one. 0 for a partition this node does not hold.
  int64_t DeliveredFrom(int32_t partition);

  // The meta key a partition's next offset is kept under.
  static std::string OffsetKey(const std::string& topic, int32_t partition);

  void OnKafkaLog(std::string_view line) override;

 private:
  ClusterApplier(const ClusterSettings& settings, const Services& services, LogFunction log);

  void Run();
  void OnRebalance(int error, rd_kafka_topic_partition_list_s* partitions);
  void Assign(rd_kafka_topic_partition_list_s* partitions);
  void Revoke(rd_kafka_topic_partition_list_s* partitions);
  // What one apply thread reuses from record to record.
  struct Scratch {
    engine::CaptureRequest request;              // the record being applied; its buffers reused
    std::map<int32_t, std::string> offset_keys;  // OffsetKey per partition, made once
  };
  // One apply thread: its queue of polled records, and the partition it is applying.
  struct Worker {
    std::mutex mutex;
    std::condition_variable changed;  // a record queued or taken, or one applied
    std::deque<KafkaMessage> queue;   // guarded by mutex
    int32_t applying = -1;            // guarded by mutex; -1: none
    Scratch scratch;                  // the thread's own
    std::thread thread;
  };
  void Work(Worker& worker);
  Worker& WorkerOf(int32_t partition) { return *workers_[partition % workers_.size()]; }
  // Queues a polled record on its partition's worker; false when stopping first.
  bool Dispatch(KafkaMessage message);
  // Applies the record at `position` (its partition's next offset is offset + 1); false when
  // it must be tried again (the store cannot write).
  bool Apply(Scratch& scratch, int32_t partition, int64_t offset, std::string_view value,
             const LogPosition& position);
  bool ApplyCapture(Scratch& scratch, int32_t partition, int64_t offset, std::string_view value,
                    const LogPosition& position);
  bool ApplyActionChange(int32_t partition, int64_t offset, std::string_view value,
                         const LogPosition& position);
  // The project with `token`, after waiting for the meta log when no project has it yet;
  // nullopt inside the Result: none has it even then. An error: try the record again.
  Result<std::optional<Project>> ProjectOfRecord(const std::string& token);
  void Applied(int32_t partition, int64_t offset);
  // Logs why the record at `position` can never apply, and stores its offset alone.
  void Passed(int32_t partition, int64_t offset, const LogPosition& position, std::string_view why);

  const std::string topic_;
  storage::Store* store_;
  IngestPipeline* pipeline_;
  AccountService* accounts_;
  ActionService* actions_;
  LogFunction log_;
  const ClusterMetaApplier* meta_;
  const ClusterMembers* members_;
  const WebhookDispatcher* dispatcher_;
  KafkaHandle consumer_;
  bool cooperative_ = true;
  std::vector<std::unique_ptr<Worker>> workers_;  // fixed after Start

  mutable std::mutex mutex_;
  std::map<int32_t, PartitionProgress> assigned_;  // guarded by mutex_
  bool joined_ = false;  // guarded: a first assignment (maybe empty) has arrived
  // The results of the latest action records applied, oldest first (guarded by mutex_; at most
  // kKeptActionResults: a request waits for its own within seconds of writing it).
  std::deque<std::pair<std::pair<int32_t, int64_t>, Result<ActionRecord>>> action_results_;
  mutable std::condition_variable applied_;  // notified, under mutex_, after each record
  // Per partition, in offset order, the applied records whose deliveries may still be pending
  // (guarded by mutex_).
  struct OwedDeliveries {
    int64_t offset = 0;
    ProjectId project = 0;
    int64_t last_delivery_id = 0;
  };
  std::map<int32_t, std::deque<OwedDeliveries>> owed_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace actiond::service
