#include "service/cluster_members.h"

#include <librdkafka/rdkafka.h>

#include <utility>

#include "engine/json_value.h"
#include "engine/str_cat.h"

namespace actiond::service {

std::string EncodeMemberRecord(const MemberRecord& record) {
  std::vector<engine::JsonValue> partitions;
  partitions.reserve(record.partitions.size());
  for (const int32_t p : record.partitions) partitions.push_back(engine::JsonValue::Number(p, p));
  return engine::JsonValue::Object(
             {
                 {"node", engine::JsonValue::String(record.node_id)},
                 {"url", engine::JsonValue::String(record.url)},
                 {"partitions", engine::JsonValue::Array(std::move(partitions))},
                 {"at", engine::JsonValue::Number(static_cast<double>(record.at_ms), record.at_ms)},
             })
      .ToJson();
}

Result<MemberRecord> DecodeMemberRecord(std::string_view value) {
  ACTIOND_ASSIGN_OR_RETURN(const engine::JsonValue json, engine::ParseJsonValue(value));
  const engine::JsonValue* node = json.Find("node");
  const engine::JsonValue* url = json.Find("url");
  const engine::JsonValue* partitions = json.Find("partitions");
  const engine::JsonValue* at = json.Find("at");
  if (node == nullptr || !node->is_string() || url == nullptr || !url->is_string() ||
      partitions == nullptr || !partitions->is_array() || at == nullptr || !at->int_value()) {
    return Status(StatusCode::kInvalidInput, "not a member record");
  }
  MemberRecord record;
  record.node_id = node->string();
  record.url = url->string();
  record.at_ms = *at->int_value();
  for (const engine::JsonValue& p : partitions->items()) {
    if (!p.int_value()) return Status(StatusCode::kInvalidInput, "not a member record");
    record.partitions.push_back(static_cast<int32_t>(*p.int_value()));
  }
  return record;
}

Result<std::unique_ptr<ClusterMembers>> ClusterMembers::Start(const ClusterSettings& settings,
                                                              ClockFunction clock,
                                                              LogFunction log) {
  std::unique_ptr<ClusterMembers> members(
      new ClusterMembers(settings.members_topic(), std::move(clock), std::move(log)));
  // No group: every node reads the whole topic, from its first record.
  ClusterSettings reader = settings;
  reader.kafka_config.emplace_back("group.id", settings.group_id() + ".members-reader");
  ACTIOND_ASSIGN_OR_RETURN(members->consumer_,
                           MakeKafkaHandle(KafkaRole::kConsumer, reader,
                                           {{"enable.auto.commit", "false"},
                                            {"allow.auto.create.topics", "false"},
                                            {"fetch.wait.max.ms", "200"}},
                                           members.get()));
  ACTIOND_RETURN_IF_ERROR(
      AssignOnePartition(members->consumer_.get(), members->topic_, 0, RD_KAFKA_OFFSET_BEGINNING));
  ClusterMembers* self = members.get();
  members->thread_ = std::thread([self] { self->Run(); });
  return members;
}

ClusterMembers::~ClusterMembers() { Stop(); }

void ClusterMembers::Stop() {
  stopping_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
  if (consumer_) rd_kafka_consumer_close(consumer_.get());
  consumer_.reset();
}

void ClusterMembers::OnKafkaLog(std::string_view line) {
  if (log_) log_(line);
}

void ClusterMembers::Run() {
  while (!stopping_.load(std::memory_order_acquire)) {
    const KafkaMessage message = PollKafkaMessage(consumer_.get(), 100);
    if (!message || message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    Result<MemberRecord> record = DecodeMemberRecord(
        std::string_view(static_cast<const char*>(message->payload), message->len));
    if (!record.ok()) continue;  // another writer's record: not ours to read
    std::lock_guard lock(mutex_);
    MemberRecord& slot = latest_[record->node_id];
    if (record->at_ms >= slot.at_ms) slot = std::move(*record);
  }
}

std::optional<MemberRecord> ClusterMembers::HolderOf(int32_t partition) const {
  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  const MemberRecord* best = nullptr;
  for (const auto& [node, record] : latest_) {
    if (now - record.at_ms > kMemberTtlMs) continue;
    bool holds = false;
    for (const int32_t p : record.partitions) holds = holds || p == partition;
    if (holds && (best == nullptr || record.at_ms > best->at_ms)) best = &record;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

std::vector<MemberRecord> ClusterMembers::Members() const {
  std::lock_guard lock(mutex_);
  std::vector<MemberRecord> out;
  out.reserve(latest_.size());
  for (const auto& [node, record] : latest_) out.push_back(record);
  return out;
}

}  // namespace actiond::service
