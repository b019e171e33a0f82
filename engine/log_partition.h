// LogPartition: which partition of the cluster's events topic a project's records go to
// (docs/cluster.md §Partitions). actiond picks the partition itself instead of leaving it to the
// Kafka client's partitioner, so that every node — whatever client library or version it runs —
// agrees on a project's partition, and so can find the node that owns it.
//
// The partition is FNV-1a (64-bit) of the project's token, modulo the topic's partition count:
// all of a project's events land in one partition, which keeps persons and merges exact.
#pragma once

#include <cstdint>
#include <string_view>

namespace actiond::engine {

// `partitions` ≥ 1; returns 0..partitions-1.
int32_t LogPartitionOfToken(std::string_view token, int32_t partitions);

}  // namespace actiond::engine
