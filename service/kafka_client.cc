#include "service/kafka_client.h"

#include <librdkafka/rdkafka.h>

#include <array>

#include "engine/str_cat.h"

namespace actiond::service {

void KafkaHandleDeleter::operator()(rd_kafka_s* handle) const { rd_kafka_destroy(handle); }

void KafkaMessageDeleter::operator()(rd_kafka_message_s* message) const {
  rd_kafka_message_destroy(message);
}

KafkaMessage PollKafkaMessage(rd_kafka_s* consumer, int timeout_ms) {
  return KafkaMessage(rd_kafka_consumer_poll(consumer, timeout_ms));
}

Status AssignOnePartition(rd_kafka_s* consumer, const std::string& topic, int32_t partition,
                          int64_t offset) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
  const rd_kafka_resp_err_t error = rd_kafka_assign(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(error, engine::StrCat({"reading ", topic}));
  }
  return Status();
}

Status KafkaStatus(int error_code, std::string_view what) {
  const auto error = static_cast<rd_kafka_resp_err_t>(error_code);
  const std::string message = engine::StrCat({what, ": ", rd_kafka_err2str(error)});
  switch (error) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR__DESTROY:
      return Status(StatusCode::kUnavailable, message);
    default:
      return Status(StatusCode::kInternal, message);
  }
}

KafkaOwner& OwnerOf(const rd_kafka_s* rk) { return *static_cast<KafkaOwner*>(rd_kafka_opaque(rk)); }

Result<KafkaHandle> MakeKafkaHandle(KafkaRole role, const ClusterSettings& settings,
                                    const KafkaProperties& defaults, KafkaOwner* owner,
                                    void (*set_callbacks)(rd_kafka_conf_s*)) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::array<char, 512> error{};
  auto set = [&](const std::string& key, const std::string& value) -> Status {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error.data(), error.size()) !=
        RD_KAFKA_CONF_OK) {
      return Status(StatusCode::kInvalidInput,
                    engine::StrCat({"--kafka-config ", key, ": ", error.data()}));
    }
    return Status();
  };
  Status status = set("bootstrap.servers", settings.brokers);
  if (status.ok() && !settings.node_id.empty()) status = set("client.id", settings.node_id);
  for (const auto& [key, value] : defaults) {
    if (status.ok()) status = set(key, value);
  }
  for (const auto& [key, value] : settings.kafka_config) {
    if (status.ok()) status = set(key, value);
  }
  if (!status.ok()) {
    rd_kafka_conf_destroy(conf);
    return status;
  }
  rd_kafka_conf_set_opaque(conf, owner);
  rd_kafka_conf_set_log_cb(
      conf, [](const rd_kafka_t* rk, int level, const char* facility, const char* message) {
        // Warnings and worse only (syslog levels 0..4): the rest is librdkafka's debugging.
        if (level <= 4) OwnerOf(rk).OnKafkaLog(engine::StrCat({"kafka ", facility, ": ", message}));
      });
  if (set_callbacks != nullptr) set_callbacks(conf);
  rd_kafka_t* handle =
      rd_kafka_new(role == KafkaRole::kProducer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf,
                   error.data(), error.size());
  if (handle == nullptr) {  // on failure the conf is still ours
    rd_kafka_conf_destroy(conf);
    return Status(StatusCode::kInvalidInput, engine::StrCat({"kafka: ", error.data()}));
  }
  return KafkaHandle(handle);
}

}  // namespace actiond::service
