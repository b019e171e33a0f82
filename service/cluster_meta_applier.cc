#include "service/cluster_meta_applier.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <utility>

#include "engine/meta_log_record.h"
#include "engine/str_cat.h"
#include "service/account_service.h"
#include "service/cluster_applier.h"
#include "service/thread_name.h"
#include "storage/records.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::service {
namespace {

using std::chrono::milliseconds;

constexpr int32_t kMetaPartition = 0;
constexpr int kWatermarkTimeoutMs = 5'000;
constexpr milliseconds kRetryPause{1'000};

// The meta consumer's defaults; --kafka-config overrides any of them.
KafkaProperties MetaConsumerDefaults(const ClusterSettings& settings) {
  return {
      // librdkafka's consumer API wants a group id even from a consumer that only assigns
      // itself partitions; this one never subscribes, so it joins no group, and it commits
      // nothing to it: the offset lives in RocksDB.
      {"group.id", settings.topic_prefix + "meta-readers"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      // How long a fetch may wait at the broker for new records: what a freshly acknowledged
      // capture can take to be applied on a quiet partition (docs/cluster.md §Settings).
      {"fetch.wait.max.ms", "50"},
      {"allow.auto.create.topics", "false"},
  };
}

}  // namespace

ClusterMetaApplier::ClusterMetaApplier(std::string topic, storage::Store* store,
                                       AccountService* accounts, LogFunction log)
    : topic_(std::move(topic)),
      offset_key_(ClusterApplier::OffsetKey(topic_, kMetaPartition)),
      store_(store),
      accounts_(accounts),
      log_(std::move(log)) {}

Result<std::unique_ptr<ClusterMetaApplier>> ClusterMetaApplier::Start(
    const ClusterSettings& settings, std::string topic, storage::Store* store,
    AccountService* accounts, LogFunction log) {
  std::unique_ptr<ClusterMetaApplier> applier(
      new ClusterMetaApplier(std::move(topic), store, accounts, std::move(log)));
  ACTIOND_ASSIGN_OR_RETURN(applier->consumer_,
                           MakeKafkaHandle(KafkaRole::kConsumer, settings,
                                           MetaConsumerDefaults(settings), applier.get()));
  rd_kafka_t* consumer = applier->consumer_.get();
  rd_kafka_poll_set_consumer(consumer);

  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> stored, store->GetMeta(applier->offset_key_));
  int64_t low = 0;
  int64_t high = -1;
  const bool ends_known =
      rd_kafka_query_watermark_offsets(consumer, applier->topic_.c_str(), kMetaPartition, &low,
                                       &high, kWatermarkTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
  int64_t start = RD_KAFKA_OFFSET_BEGINNING;
  if (stored) {
    applier->applied_ = std::stoll(*stored);
    start = applier->applied_;
  } else {
    applier->applied_ = ends_known ? low : 0;
  }
  if (ends_known) applier->caught_up_at_ = high;
  ACTIOND_RETURN_IF_ERROR(AssignOnePartition(consumer, applier->topic_, kMetaPartition, start));
  ClusterMetaApplier* self = applier.get();
  applier->thread_ = std::thread([self] {
    NameThisThread("cluster-meta");
    self->Run();
  });
  return applier;
}

ClusterMetaApplier::~ClusterMetaApplier() { Stop(); }

void ClusterMetaApplier::Stop() {
  stopping_.store(true, std::memory_order_release);
  {
    // Under the mutex, so that a waiter between its check and its wait does not miss it.
    std::lock_guard lock(mutex_);
  }
  applied_changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ClusterMetaApplier::OnKafkaLog(std::string_view line) {
  if (log_) log_(line);
}

int64_t ClusterMetaApplier::Applied() const {
  std::lock_guard lock(mutex_);
  return applied_;
}

bool ClusterMetaApplier::CaughtUp() const {
  std::lock_guard lock(mutex_);
  return caught_up_at_ >= 0 && applied_ >= caught_up_at_;
}

bool ClusterMetaApplier::WaitApplied(int64_t next_offset, milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return applied_changed_.wait_for(lock, timeout, [&] {
    return applied_ >= next_offset || stopping_.load(std::memory_order_acquire);
  }) && applied_ >= next_offset;
}

bool ClusterMetaApplier::WaitForEnd(milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int64_t low = 0;
  int64_t high = -1;
  if (rd_kafka_query_watermark_offsets(consumer_.get(), topic_.c_str(), kMetaPartition, &low, &high,
                                       static_cast<int>(timeout.count())) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return false;
  }
  const auto left =
      std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
  return WaitApplied(high, std::max(left, milliseconds(0)));
}

void ClusterMetaApplier::Run() {
  rd_kafka_t* consumer = consumer_.get();
  while (!stopping_.load(std::memory_order_acquire)) {
    bool ends_known = false;
    {
      std::lock_guard lock(mutex_);
      ends_known = caught_up_at_ >= 0;
    }
    if (!ends_known) {  // the cluster could not be asked at start: until it answers
      int64_t low = 0;
      int64_t high = -1;
      if (rd_kafka_query_watermark_offsets(consumer, topic_.c_str(), kMetaPartition, &low, &high,
                                           kWatermarkTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::lock_guard lock(mutex_);
        caught_up_at_ = high;
      }
    }
    const KafkaMessage message = PollKafkaMessage(consumer, 100);
    if (!message) continue;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        OnKafkaLog(KafkaStatus(message->err, "consuming the meta log").ToString());
      }
      continue;
    }
    const int64_t offset = message->offset;
    if (offset < Applied()) continue;  // fetched before the stored offset was known
    const std::string_view value(static_cast<const char*>(message->payload), message->len);
    while (!Apply(offset, value)) {
      std::this_thread::sleep_for(kRetryPause);
      if (stopping_.load(std::memory_order_acquire)) break;  // not stored: applied on restart
    }
  }
  rd_kafka_consumer_close(consumer);
}

bool ClusterMetaApplier::Apply(int64_t offset, std::string_view value) {
  auto pass_over = [&](std::string_view why) {
    OnKafkaLog(
        engine::StrCat({"cluster: meta record ", std::to_string(offset), " passed over: ", why}));
    Advance(offset + 1);
    return true;
  };
  Result<engine::MetaLogRecord> record = engine::DecodeMetaLogRecord(value);
  if (!record.ok()) return pass_over(record.status().message());
  if (record->kind == engine::MetaLogKind::kPersonalKeyCreate) {
    Result<ApiKey> key = storage::DecodeApiKey(record->payload);
    if (!key.ok()) return pass_over(key.status().message());
    if (!accounts_->AddPersonalKey(std::move(*key)).ok()) return false;  // the store: try again
  } else if (record->kind == engine::MetaLogKind::kPersonalKeyRevoke) {
    if (!accounts_->RevokePersonalKeyByHash(record->payload).ok()) return false;
  } else if (record->kind == engine::MetaLogKind::kProjectCreate) {
    Result<Project> created =
        accounts_->CreateProjectWithToken(std::move(*record->name), record->api_token);
    if (!created.ok()) return false;  // only the store fails here: try the record again
  } else {
    Result<std::optional<Project>> project = accounts_->FindProjectByToken(record->api_token);
    if (!project.ok()) return false;
    if (!project->has_value()) return pass_over("no project has its token");
    ProjectUpdate update;
    update.name = std::move(record->name);
    update.slack_incoming_webhook = std::move(record->slack_incoming_webhook);
    Result<Project> updated = accounts_->UpdateProject((*project)->id, update);
    if (!updated.ok()) {
      if (IsStoreFailure(updated.status().code())) return false;
      return pass_over(updated.status().message());
    }
  }
  Advance(offset + 1);
  return true;
}

void ClusterMetaApplier::Advance(int64_t next_offset) {
  // A second commit after the change's own: see the header on why applying twice is harmless.
  storage::WriteBatch batch(*store_);
  batch.PutMeta(offset_key_, std::to_string(next_offset));
  while (!store_->Commit(batch).ok()) {
    if (stopping_.load(std::memory_order_acquire)) return;
    std::this_thread::sleep_for(kRetryPause);
  }
  {
    std::lock_guard lock(mutex_);
    applied_ = next_offset;
  }
  applied_changed_.notify_all();
}

}  // namespace actiond::service
