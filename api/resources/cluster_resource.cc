#include "api/resources/cluster_resource.h"

#include <string>

#include "api/http/http_message.h"
#include "api/http/json_writer.h"
#include "api/rest_route.h"
#include "engine/str_cat.h"
#include "service/cluster_node.h"

namespace actiond::api {

Result<std::optional<service::ClusterSettings>> ClusterSettingsFrom(const AppConfig& config) {
  if (config.kafka_brokers.empty()) return std::optional<service::ClusterSettings>();
  service::ClusterSettings settings;
  settings.brokers = config.kafka_brokers;
  settings.topic_prefix = config.kafka_topic_prefix;
  settings.partitions = config.kafka_partitions;
  settings.apply_threads = config.ingest_threads;
  settings.node_id = config.node_id.empty() ? config.listen : config.node_id;
  settings.advertise = config.advertise.empty() ? "http://" + config.listen : config.advertise;
  for (const std::string& pair : config.kafka_config) {
    const size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Status(StatusCode::kInvalidInput,
                    engine::StrCat({"--kafka-config wants KEY=VALUE, got '", pair, "'"}));
    }
    settings.kafka_config.emplace_back(pair.substr(0, equals), pair.substr(equals + 1));
  }
  return std::optional<service::ClusterSettings>(std::move(settings));
}

void RegisterClusterRoutes(Router& router, const Services& services) {
  router.Add(http::verb::get, "/_cluster", [&services](const RouteRequest&, HttpResponse& res) {
    std::string body;
    JsonWriter w(body);
    w.BeginObject();
    const service::ClusterNode* node = services.cluster;
    if (node == nullptr) {
      w.Member("mode", "embedded");
    } else {
      w.Member("mode", "cluster");
      w.Member("node_id", node->settings().node_id);
      w.Member("advertise", node->settings().advertise);
      w.Member("topic", node->settings().events_topic());
      w.MemberInt("partitions", node->partitions());
      w.Key("caught_up").Bool(node->CaughtUp());
      w.Key("assigned").BeginArray();
      for (const service::PartitionProgress& p : node->Progress()) {
        w.BeginObject();
        w.MemberInt("partition", p.partition);
        w.MemberInt("applied", p.applied);
        w.MemberInt("end", p.end);
        w.MemberInt("caught_up_at", p.caught_up_at);
        w.MemberInt("webhooks_from", p.webhooks_from);
        w.EndObject();
      }
      w.EndArray();
      // What every node said last about itself (docs/cluster.md §Routing).
      w.Key("members").BeginArray();
      for (const service::MemberRecord& m : node->Members()) {
        w.BeginObject();
        w.Member("node_id", m.node_id);
        w.Member("url", m.url);
        w.Key("partitions").BeginArray();
        for (const int32_t p : m.partitions) w.Int(p);
        w.EndArray();
        w.Key("delivered").BeginObject();
        for (const auto& [p, offset] : m.delivered) w.MemberInt(std::to_string(p), offset);
        w.EndObject();
        w.MemberInt("at", m.at_ms);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
    SetJson(res, http::status::ok, body);
  });
}

}  // namespace actiond::api
