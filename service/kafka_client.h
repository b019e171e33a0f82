// KafkaClient: one librdkafka handle (producer or consumer) made from ClusterSettings, with
// actiond's defaults under the operator's --kafka-config (docs/cluster.md §Settings). librdkafka's
// own log lines are passed to the service's LogFunction. Only service/kafka_*.cc and
// service/cluster_*.cc include librdkafka; nothing above service/ sees it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "service/cluster_settings.h"

struct rd_kafka_s;
struct rd_kafka_conf_s;
struct rd_kafka_topic_partition_list_s;
struct rd_kafka_message_s;

namespace actiond::service {

enum class KafkaRole { kProducer, kConsumer };

struct KafkaHandleDeleter {
  void operator()(rd_kafka_s* handle) const;
};
using KafkaHandle = std::unique_ptr<rd_kafka_s, KafkaHandleDeleter>;

using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

// What owns a handle and hears from it: the handle's opaque pointer is always its owner's
// KafkaOwner, so every callback (log lines, delivery reports, rebalances) finds its way back.
class KafkaOwner {
 public:
  virtual ~KafkaOwner() = default;
  virtual void OnKafkaLog(std::string_view line) = 0;  // librdkafka's warnings and errors
};

// The owner of the handle `rk` was made for.
KafkaOwner& OwnerOf(const rd_kafka_s* rk);

// Makes a handle with `defaults`, then the settings' kafka_config over them (so the operator's
// win), then lets `set_callbacks` add callbacks to the conf (delivery reports, rebalances).
// `owner` must outlive the handle. kInvalidInput names a property librdkafka refuses.
Result<KafkaHandle> MakeKafkaHandle(KafkaRole role, const ClusterSettings& settings,
                                    const KafkaProperties& defaults, KafkaOwner* owner,
                                    void (*set_callbacks)(rd_kafka_conf_s*) = nullptr);

// One consumed message, destroyed with its owner; null when the poll timed out.
struct KafkaMessageDeleter {
  void operator()(rd_kafka_message_s* message) const;
};
using KafkaMessage = std::unique_ptr<rd_kafka_message_s, KafkaMessageDeleter>;
KafkaMessage PollKafkaMessage(rd_kafka_s* consumer, int timeout_ms);

// Reads one partition of `topic` from `offset` (an offset, or RD_KAFKA_OFFSET_BEGINNING) with no
// consumer group: the meta and members topics, which every node reads whole.
Status AssignOnePartition(rd_kafka_s* consumer, const std::string& topic, int32_t partition,
                          int64_t offset);

// A librdkafka error as a Status: kUnavailable for what a retry may cure (the cluster cannot be
// reached, a timeout, a full queue), kInternal otherwise.
Status KafkaStatus(int error_code, std::string_view what);

}  // namespace actiond::service
