// EnsureTopic: makes sure one of the cluster's topics (`<prefix>events`, `<prefix>meta`) exists
// before a node serves (docs/cluster.md §Topics), and learns how many partitions it has — for
// the events topic, the count every node uses to place a project's records
// (engine/log_partition.h), whatever --kafka-partitions says.
//
// An existing topic is used as it is. A missing one is created with `partitions` partitions,
// the cluster's default replication factor and `configs` (the log's topics pass
// `retention.ms=-1`: a new replica rebuilds its state from the whole log, so records are never
// expired). When the cluster refuses to create it (no permission, an admin API it does not
// offer), the error says so and names the topic and the settings to create it with.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"

struct rd_kafka_s;

namespace actiond::service {

using TopicConfigs = std::vector<std::pair<std::string, std::string>>;

// The configs every topic of the log is created with: records never expire.
inline const TopicConfigs& LogTopicConfigs() {
  static const TopicConfigs configs = {{"retention.ms", "-1"}};
  return configs;
}

// The members topic's: compacted, so that only each node's latest record is kept, for ever
// (docs/cluster.md §Topics).
inline const TopicConfigs& MembersTopicConfigs() {
  static const TopicConfigs configs = {{"cleanup.policy", "compact"}};
  return configs;
}

// `handle`: any connected librdkafka handle (the producer's). Errors: kUnavailable when the
// cluster cannot be reached within `timeout_ms`; kPermissionDenied when it refuses to create
// the topic.
Result<int32_t> EnsureTopic(rd_kafka_s* handle, const std::string& topic, int32_t partitions,
                            const TopicConfigs& configs, int timeout_ms);

}  // namespace actiond::service
