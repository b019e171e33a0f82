// ClusterSettings: how a node joins a cluster on Kafka (docs/cluster.md) — the flags
// --kafka, --kafka-topic-prefix, --kafka-partitions, --node-id, --advertise and --kafka-config.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace actiond::service {

struct ClusterSettings {
  std::string brokers;                    // bootstrap.servers; non-empty turns cluster mode on
  std::string topic_prefix = "actiond.";  // topics are <prefix>events, <prefix>meta
  int32_t partitions = 12;                // used when this node creates the events topic
  std::string node_id;                    // client.id and the name in /_cluster; "" → host:port
  std::string advertise;                  // how other nodes reach this one (shown in /_cluster)
  int apply_threads = 0;                  // threads applying the partitions; 0: one per core
  // librdkafka properties, applied after actiond's own defaults so that they win (security
  // protocol, SASL, TLS, timeouts).
  std::vector<std::pair<std::string, std::string>> kafka_config;

  std::string events_topic() const { return topic_prefix + "events"; }
  std::string members_topic() const { return topic_prefix + "members"; }
  std::string meta_topic() const { return topic_prefix + "meta"; }  // projects (one partition)
  std::string group_id() const { return topic_prefix + "nodes"; }
};

}  // namespace actiond::service
