// EnsureEventsTopic: makes sure the cluster's events topic exists before a node serves
// (docs/cluster.md §Topics), and learns how many partitions it has — the count every node uses
// to place a project's records (engine/log_partition.h), whatever --kafka-partitions says.
//
// An existing topic is used as it is. A missing one is created with `partitions` partitions,
// the cluster's default replication factor and `retention.ms=-1` (a new replica rebuilds its
// state from the whole log, so records are never expired). When the cluster refuses to create
// it (no permission, an admin API it does not offer), the error says so and names the topic
// and the settings to create it with.
#pragma once

#include <cstdint>
#include <string>

#include "engine/status.h"

struct rd_kafka_s;

namespace actiond::service {

// `handle`: any connected librdkafka handle (the producer's). Errors: kUnavailable when the
// cluster cannot be reached within `timeout_ms`; kPermissionDenied when it refuses to create
// the topic.
Result<int32_t> EnsureEventsTopic(rd_kafka_s* handle, const std::string& topic, int32_t partitions,
                                  int timeout_ms);

}  // namespace actiond::service
