#include "service/cluster_members.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <utility>

#include "engine/json_value.h"
#include "engine/str_cat.h"
#include "service/thread_name.h"

namespace actiond::service {

std::string EncodeMemberRecord(const MemberRecord& record) {
  std::vector<engine::JsonValue> partitions;
  partitions.reserve(record.partitions.size());
  for (const int32_t p : record.partitions) partitions.push_back(engine::JsonValue::Number(p, p));
  std::vector<engine::JsonValue> delivered;
  delivered.reserve(record.delivered.size());
  for (const auto& [p, offset] : record.delivered) {
    delivered.push_back(
        engine::JsonValue::Array({engine::JsonValue::Number(p, p),
                                  engine::JsonValue::Number(static_cast<double>(offset), offset)}));
  }
  return engine::JsonValue::Object(
             {
                 {"node", engine::JsonValue::String(record.node_id)},
                 {"url", engine::JsonValue::String(record.url)},
                 {"partitions", engine::JsonValue::Array(std::move(partitions))},
                 {"delivered", engine::JsonValue::Array(std::move(delivered))},
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
  // Absent from the records of nodes that publish no delivered offsets.
  if (const engine::JsonValue* delivered = json.Find("delivered"); delivered != nullptr) {
    if (!delivered->is_array()) return Status(StatusCode::kInvalidInput, "not a member record");
    for (const engine::JsonValue& pair : delivered->items()) {
      if (!pair.is_array() || pair.items().size() != 2 || !pair.items()[0].int_value() ||
          !pair.items()[1].int_value()) {
        return Status(StatusCode::kInvalidInput, "not a member record");
      }
      record.delivered[static_cast<int32_t>(*pair.items()[0].int_value())] =
          *pair.items()[1].int_value();
    }
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
  members->thread_ = std::thread([self] {
    NameThisThread("cluster-members");
    self->Run();
  });
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
    std::lock_guard lock(mutex_);
    next_offset_ = message->offset + 1;
    read_.notify_all();
    if (!record.ok()) continue;  // another writer's record: not ours to read
    for (const auto& [partition, offset] : record->delivered) {
      int64_t& highest = delivered_[partition];
      highest = std::max(highest, offset);
    }
    MemberRecord& slot = latest_[record->node_id];
    if (record->at_ms >= slot.at_ms) slot = std::move(*record);
  }
}

int64_t ClusterMembers::DeliveredFrom(int32_t partition) const {
  std::lock_guard lock(mutex_);
  const auto it = delivered_.find(partition);
  return it == delivered_.end() ? 0 : it->second;
}

bool ClusterMembers::WaitForEnd(std::chrono::milliseconds timeout) const {
  int64_t low = 0;
  int64_t high = -1;
  if (rd_kafka_query_watermark_offsets(consumer_.get(), topic_.c_str(), 0, &low, &high,
                                       static_cast<int>(timeout.count())) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return false;
  }
  std::unique_lock lock(mutex_);
  return read_.wait_for(lock, timeout, [&] { return next_offset_ >= high; });
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
