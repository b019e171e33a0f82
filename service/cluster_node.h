// ClusterNode: this process as a node of a cluster on Kafka (docs/cluster.md): the producer
// that capture requests write through, the applier that turns the partitions Kafka assigns
// this node into its RocksDB state, and the membership that says which node holds which
// partition (published about once a second, read from every node), so that a request for a
// project is answered where its partition is applied.
//
// Start() checks the events topic (creating it when absent, service/kafka_topics.h) and learns
// its partition count before anything is produced, then joins the consumer group. It checks the
// meta topic too and starts applying it (service/cluster_meta_applier.h). Close() stops
// applying first, then flushes what capture requests produced.
//
// Thread-safety: ProduceCapture, ProduceMeta, ProduceActionChange, the Wait* functions,
// Progress and CaughtUp may be called from any thread once Start() returned.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/capture_payload.h"
#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/cluster_applier.h"
#include "service/cluster_members.h"
#include "service/cluster_meta_applier.h"
#include "service/cluster_settings.h"
#include "service/kafka_producer.h"

namespace actiond::service {

class ClusterNode {
 public:
  // Errors: kInvalidInput (a bad --kafka-config), kUnavailable (the cluster cannot be reached),
  // kPermissionDenied (the cluster refuses to create the topic).
  // `services` (which must outlive the node) are what records are applied through; the node
  // adds its own meta applier and membership to them.
  static Result<std::unique_ptr<ClusterNode>> Start(const ClusterSettings& settings,
                                                    ClusterApplier::Services services,
                                                    const ClockFunction& clock,
                                                    const LogFunction& log);
  ~ClusterNode();  // Close()
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  // Writes the validated events of one capture request for the project `token` to the
  // project's partition as one record (engine/capture_log_record.h); `done` runs once, on the
  // producer's thread, with OK when the log has the record (then, and only then, the request
  // may be acknowledged) or kUnavailable.
  void ProduceCapture(std::string_view token, int64_t received_ms,
                      std::span<const engine::CapturedEvent> events, KafkaProducer::Delivered done);

  // Writes one meta record (engine/meta_log_record.h) to the meta topic; `done` runs once, on
  // the producer's thread, with OK and the record's offset once the log has it, or
  // kUnavailable.
  void ProduceMeta(std::string_view record, KafkaProducer::DeliveredAt done);
  // True once this node has applied every meta record before `next_offset`; false when
  // `timeout` passed first.
  bool WaitMetaApplied(int64_t next_offset, std::chrono::milliseconds timeout) const {
    return meta_->WaitApplied(next_offset, timeout);
  }

  // Writes one action change (engine/action_log_record.h) to the partition of the project
  // `token`; `done` runs once, on the producer's thread, with OK and the record's offset once
  // the log has it, or kUnavailable.
  void ProduceActionChange(std::string_view token, std::string_view record,
                           KafkaProducer::DeliveredAt done);
  // The action change at `offset` of the project's partition as this node applied it
  // (ClusterApplier::WaitActionResult).
  Result<ActionRecord> WaitActionResult(std::string_view token, int64_t offset,
                                        std::chrono::milliseconds timeout) const {
    return applier_->WaitActionResult(PartitionOf(token), offset, timeout);
  }

  int32_t PartitionOf(std::string_view token) const;

  // Where a request for the project with `token` is answered (docs/cluster.md §Routing):
  //   kLocal       this node holds the partition and has caught up with it;
  //   kForward     another live node holds it: `url` is its --advertise;
  //   kUnavailable this node is still catching up with it, or no live node says it holds it
  //                (a rebalance is moving it): `reason` says which; answer 503.
  struct Route {
    enum class Kind { kLocal, kForward, kUnavailable } kind = Kind::kLocal;
    std::string url;
    std::string reason;
  };
  Route RouteFor(std::string_view token) const;
  std::vector<MemberRecord> Members() const { return members_->Members(); }
  int32_t partitions() const noexcept { return partitions_; }
  const ClusterSettings& settings() const noexcept { return settings_; }
  std::vector<PartitionProgress> Progress() const { return applier_->Progress(); }
  // Both logs: the events partitions this node holds, and the meta topic as of start.
  bool CaughtUp() const { return applier_->CaughtUp() && meta_->CaughtUp(); }

  void Close();  // idempotent

 private:
  explicit ClusterNode(ClusterSettings settings, ClockFunction clock)
      : settings_(std::move(settings)), clock_(std::move(clock)) {}

  // `delivered`: a leaving node's offsets (DeliveredOffsets, taken before it let go of its
  // partitions); ignored otherwise, when they are read afresh.
  void PublishMembership(bool leaving, std::map<int32_t, int64_t> delivered);
  std::map<int32_t, int64_t> DeliveredOffsets() const;

  const ClusterSettings settings_;
  const ClockFunction clock_;
  const std::string events_topic_ = settings_.events_topic();
  int32_t partitions_ = 0;
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<ClusterApplier> applier_;
  std::unique_ptr<ClusterMembers> members_;
  std::mutex stop_mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;  // guarded by stop_mutex_
  std::thread publisher_;
  const std::string meta_topic_ = settings_.meta_topic();
  std::unique_ptr<ClusterMetaApplier> meta_;
};

}  // namespace actiond::service
