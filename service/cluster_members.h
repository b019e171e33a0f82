// ClusterMembers: which node holds which partition, as the nodes themselves say on the compacted
// topic `<prefix>members` (docs/cluster.md §Routing). Every node publishes, about once a second,
// one record keyed by its node id: {"node", "url" (its --advertise), "partitions" (the events
// partitions it holds now), "at" (its clock, ms)}; a node leaving cleanly publishes an empty
// list. Every node reads the whole topic and keeps each node's latest record, so any node can
// tell where a project's partition is applied and forward a request there.
//
// A record older than kMemberTtlMs is ignored: a node that died stops saying it holds anything
// before Kafka's session timeout has even moved its partitions.
//
// Thread-safety: HolderOf and Members may be called from any thread; one thread reads the topic.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/cluster_settings.h"
#include "service/kafka_client.h"

namespace actiond::service {

inline constexpr int64_t kMemberTtlMs = 5'000;

struct MemberRecord {
  std::string node_id;
  std::string url;
  std::vector<int32_t> partitions;
  int64_t at_ms = 0;
};

std::string EncodeMemberRecord(const MemberRecord& record);
// kParseError / kInvalidInput for a value that is not a member record.
Result<MemberRecord> DecodeMemberRecord(std::string_view value);

class ClusterMembers final : public KafkaOwner {
 public:
  static Result<std::unique_ptr<ClusterMembers>> Start(const ClusterSettings& settings,
                                                       ClockFunction clock, LogFunction log);
  ~ClusterMembers() override;  // Stop()
  ClusterMembers(const ClusterMembers&) = delete;
  ClusterMembers& operator=(const ClusterMembers&) = delete;

  void Stop();  // idempotent

  // The newest live record that lists `partition`; nullopt when no live node says it holds it.
  std::optional<MemberRecord> HolderOf(int32_t partition) const;
  std::vector<MemberRecord> Members() const;  // every node's latest record, live or not

  void OnKafkaLog(std::string_view line) override;

 private:
  ClusterMembers(std::string topic, ClockFunction clock, LogFunction log)
      : topic_(std::move(topic)), clock_(std::move(clock)), log_(std::move(log)) {}
  void Run();

  const std::string topic_;
  const ClockFunction clock_;
  const LogFunction log_;
  KafkaHandle consumer_;
  mutable std::mutex mutex_;
  std::map<std::string, MemberRecord> latest_;  // by node id; guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace actiond::service
