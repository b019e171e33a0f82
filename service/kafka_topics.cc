#include "service/kafka_topics.h"

#include <librdkafka/rdkafka.h>

#include <array>
#include <chrono>
#include <memory>
#include <thread>

#include "engine/str_cat.h"
#include "service/kafka_client.h"

namespace actiond::service {
namespace {

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const {
    rd_kafka_metadata_destroy(metadata);
  }
};

// The topic's partition count; 0 when the cluster does not know the topic. It asks for every
// topic's metadata: naming the topic would make a broker with auto.create.topics.enable create
// it on the spot, with the broker's defaults (one partition, a week's retention) instead of the
// log's.
Result<int32_t> PartitionCount(rd_kafka_t* handle, const std::string& topic, int timeout_ms) {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t error =
      rd_kafka_metadata(handle, /*all_topics=*/1, nullptr, &raw, timeout_ms);
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(error, engine::StrCat({"reading the metadata of topic ", topic}));
  }
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw);
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = metadata->topics[i];
    if (topic == t.topic && t.err == RD_KAFKA_RESP_ERR_NO_ERROR) return t.partition_cnt;
  }
  return 0;
}

Status CreateTopic(rd_kafka_t* handle, const std::string& topic, int32_t partitions,
                   const TopicConfigs& configs, int timeout_ms) {
  std::array<char, 512> error{};
  rd_kafka_NewTopic_t* request = rd_kafka_NewTopic_new(
      topic.c_str(), partitions, /*replication_factor=*/-1, error.data(), error.size());
  if (request == nullptr) {
    return Status(StatusCode::kInvalidInput, engine::StrCat({"topic ", topic, ": ", error.data()}));
  }
  for (const auto& [name, value] : configs) {
    rd_kafka_NewTopic_set_config(request, name.c_str(), value.c_str());
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(handle);
  rd_kafka_AdminOptions_t* options =
      rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, error.data(), error.size());
  rd_kafka_CreateTopics(handle, &request, 1, options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, timeout_ms + 1000);
  Status status;
  if (event == nullptr) {
    status =
        Status(StatusCode::kUnavailable, engine::StrCat({"creating topic ", topic, ": no answer"}));
  } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    status = KafkaStatus(rd_kafka_event_error(event), engine::StrCat({"creating topic ", topic}));
  } else {
    size_t count = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
    for (size_t i = 0; i < count; ++i) {
      const rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
      if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        status = Status(StatusCode::kPermissionDenied,
                        engine::StrCat({"the Kafka cluster refused to create topic ", topic, ": ",
                                        rd_kafka_err2str(e)}));
      }
    }
  }
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(request);
  return status;
}

}  // namespace

Result<int32_t> EnsureTopic(rd_kafka_s* handle, const std::string& topic, int32_t partitions,
                            const TopicConfigs& configs, int timeout_ms) {
  ACTIOND_ASSIGN_OR_RETURN(int32_t existing, PartitionCount(handle, topic, timeout_ms));
  if (existing > 0) return existing;
  if (Status created = CreateTopic(handle, topic, partitions, configs, timeout_ms); !created.ok()) {
    std::string settings = std::to_string(partitions) + " partition";
    if (partitions != 1) settings += "s";
    for (const auto& [name, value] : configs)
      settings += engine::StrCat({" and ", name, "=", value});
    return Status(created.code(), engine::StrCat({created.message(), " — create it with ", settings,
                                                  " (docs/cluster.md §Topics)"}));
  }
  // A new topic's metadata reaches every broker shortly after the answer.
  for (int attempt = 0; attempt < 50; ++attempt) {
    ACTIOND_ASSIGN_OR_RETURN(existing, PartitionCount(handle, topic, timeout_ms));
    if (existing > 0) return existing;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status(
      StatusCode::kUnavailable,
      engine::StrCat({"topic ", topic, " was created but does not show in the metadata"}));
}

}  // namespace actiond::service
