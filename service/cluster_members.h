// ClusterMembers: which node holds which partition, as the nodes themselves say on the compacted
// topic `<prefix>members` (docs/cluster.md §Routing). Every node publishes, about once a second,
// one record keyed by its node id: {"node", "url" (its --advertise), "partitions" (the events
// partitions it holds now), "delivered" ([partition, offset] pairs: for each partition it holds,
// the offset before which every webhook delivery its records owed is done), "at" (its clock,
// ms)}; a node leaving cleanly publishes an empty list. Every node reads the whole topic and keeps
// each node's latest record, so any node can tell where a project's partition is applied and
// forward a request there.
//
// A record older than kMemberTtlMs is ignored for routing: a node that died stops saying it holds
// anything before Kafka's session timeout has even moved its partitions. Delivered offsets never
// expire: DeliveredFrom is the highest any node ever published for the partition, the point a
// new holder sends webhooks from (docs/cluster.md §Webhooks).
//
// Thread-safety: HolderOf and Members may be called from any thread; one thread reads the topic.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
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
  std::map<int32_t, int64_t> delivered;  // partition → offset its deliveries are done before
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
  // The highest delivered offset any node has published for `partition`; 0 when none has.
  int64_t DeliveredFrom(int32_t partition) const;
  // Blocks until every record the topic held when called has been read (true), or `timeout`
  // passed or the end could not be learnt (false).
  bool WaitForEnd(std::chrono::milliseconds timeout) const;

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
  std::map<int32_t, int64_t> delivered_;        // the highest ever read; guarded by mutex_
  int64_t next_offset_ = 0;                     // of the topic's records read; guarded
  mutable std::condition_variable read_;        // notified under mutex_ after each record
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace actiond::service
