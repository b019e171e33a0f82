// ClusterMetaApplier: applies the cluster's meta topic `<prefix>meta` on this node
// (docs/cluster.md §Projects). Every node applies the WHOLE topic (one partition), in log
// order, so that projects made or changed through any node exist alike on all of them: a
// project_create record creates the project with the record's token when no project has it,
// a project_update record changes the project with the record's token, and the personal key
// records add or revoke a key by its value's hash (engine/meta_log_record.h). Ids follow the meta
// log's order, which is the same on every node, and every node bootstraps project 1 the same way,
// so ids agree too.
//
// It is a consumer of its own, in no consumer group: it assigns itself partition 0 from the next
// offset stored in RocksDB (meta key ClusterApplier::OffsetKey(topic, 0)), else from the
// beginning. The offset is stored after the record's change, in a second commit: applying is
// idempotent (a create finds its token, an update sets the same fields again), so a record
// applied twice after a crash between the two commits leaves the same state.
//
// A record that can never apply (not a meta record, an update of a token no project has, a
// webhook URL the node refuses) is logged and passed over; a store that cannot write is retried
// every second, the record kept.
//
// Caught up: once the applied offset reaches the topic's end as of start (/_readyz waits for
// it, so a node does not serve before it knows the projects the cluster has).
//
// Thread-safety: one thread applies; Applied, CaughtUp and WaitApplied may be called from any
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/cluster_settings.h"
#include "service/kafka_client.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

class AccountService;

class ClusterMetaApplier final : public KafkaOwner {
 public:
  // Starts reading `topic` (which must exist). The store and accounts must outlive it.
  // kInvalidInput for a bad --kafka-config; the Store's errors reading the stored offset.
  static Result<std::unique_ptr<ClusterMetaApplier>> Start(const ClusterSettings& settings,
                                                           std::string topic, storage::Store* store,
                                                           AccountService* accounts,
                                                           LogFunction log);
  ~ClusterMetaApplier() override;  // Stop()
  ClusterMetaApplier(const ClusterMetaApplier&) = delete;
  ClusterMetaApplier& operator=(const ClusterMetaApplier&) = delete;

  // Finishes the record being applied and stops; waiters are woken. Idempotent.
  void Stop();

  int64_t Applied() const;  // the next offset to apply
  bool CaughtUp() const;
  // Waits until every record before `next_offset` has been applied: true then, false when
  // `timeout` passes first or the applier stops.
  bool WaitApplied(int64_t next_offset, std::chrono::milliseconds timeout) const;
  // Waits until every record the topic holds now has been applied (false on timeout): the
  // events applier calls it before passing over a record whose token it does not know, since
  // the meta record that creates the project may simply not be applied here yet.
  bool WaitForEnd(std::chrono::milliseconds timeout) const;

  void OnKafkaLog(std::string_view line) override;

 private:
  ClusterMetaApplier(std::string topic, storage::Store* store, AccountService* accounts,
                     LogFunction log);

  void Run();
  // Applies one record; false when it must be tried again (the store cannot write now).
  bool Apply(int64_t offset, std::string_view value);
  // Stores and publishes `next_offset` (retried until the store writes, or the applier stops).
  void Advance(int64_t next_offset);

  const std::string topic_;
  const std::string offset_key_;
  storage::Store* store_;
  AccountService* accounts_;
  LogFunction log_;
  KafkaHandle consumer_;

  mutable std::mutex mutex_;
  mutable std::condition_variable applied_changed_;
  int64_t applied_ = 0;        // guarded by mutex_
  int64_t caught_up_at_ = -1;  // guarded: the topic's end at start (-1: not known yet)
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace actiond::service
