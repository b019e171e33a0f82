#include "service/kafka_producer.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <future>
#include <memory>
#include <utility>

#include "service/thread_name.h"

namespace actiond::service {

// What a queued record reports to: one of the two callbacks is set.
struct KafkaProducer::PendingReport {
  Delivered done;
  DeliveredAt done_at;

  void Report(const Status& status, int64_t offset) const {
    if (done_at) {
      done_at(status, offset);
    } else {
      done(status);
    }
  }
};

namespace {

// actiond's producer defaults; --kafka-config overrides any of them.
const KafkaProperties& ProducerDefaults() {
  static const KafkaProperties defaults = {
      {"enable.idempotence", "true"},  // acks=all, no duplicates from the client's own retries
      {"message.timeout.ms", "10000"},
      {"linger.ms", "2"},  // batches concurrent capture requests without delaying one alone
      {"compression.type", "lz4"},
      // Only EnsureTopic creates topics, with the settings the log needs.
      {"allow.auto.create.topics", "false"},
  };
  return defaults;
}

void OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* message, void* /*opaque*/) {
  std::unique_ptr<KafkaProducer::PendingReport> pending(
      static_cast<KafkaProducer::PendingReport*>(message->_private));
  if (!pending) return;
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    pending->Report(Status(), message->offset);
  } else {
    pending->Report(KafkaStatus(message->err, "the event log did not take the record"), -1);
  }
}

}  // namespace

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Open(const ClusterSettings& settings,
                                                           LogFunction log) {
  std::unique_ptr<KafkaProducer> producer(new KafkaProducer(std::move(log)));
  ACTIOND_ASSIGN_OR_RETURN(producer->handle_,
                           MakeKafkaHandle(KafkaRole::kProducer, settings, ProducerDefaults(),
                                           producer.get(), [](rd_kafka_conf_t* conf) {
                                             rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
                                           }));
  KafkaProducer* self = producer.get();
  producer->poller_ = std::thread([self] {
    NameThisThread("kafka-poll");
    while (!self->closing_.load(std::memory_order_acquire)) rd_kafka_poll(self->handle_.get(), 100);
  });
  return producer;
}

KafkaProducer::~KafkaProducer() { Close(); }

void KafkaProducer::OnKafkaLog(std::string_view line) {
  if (log_) log_(line);
}

void KafkaProducer::Produce(const std::string& topic, int32_t partition, std::string_view key,
                            std::string_view value, Delivered done) {
  Enqueue(topic, partition, key, value,
          std::make_unique<PendingReport>(PendingReport{std::move(done), nullptr}));
}

void KafkaProducer::ProduceAt(const std::string& topic, int32_t partition, std::string_view key,
                              std::string_view value, DeliveredAt done) {
  Enqueue(topic, partition, key, value,
          std::make_unique<PendingReport>(PendingReport{nullptr, std::move(done)}));
}

void KafkaProducer::Enqueue(const std::string& topic, int32_t partition, std::string_view key,
                            std::string_view value, std::unique_ptr<PendingReport> owned) {
  if (closing_.load(std::memory_order_acquire)) {
    owned->Report(Status(StatusCode::kUnavailable, "the server is shutting down"), -1);
    return;
  }
  const rd_kafka_resp_err_t error = rd_kafka_producev(
      handle_.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
      RD_KAFKA_V_KEY(key.data(), key.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(owned.get()), RD_KAFKA_V_END);
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    owned->Report(KafkaStatus(error, "the event log did not take the record"), -1);
    return;
  }
  (void)owned.release();  // OnDelivery owns it now
}

void KafkaProducer::Close(int timeout_ms) {
  if (closing_.exchange(true, std::memory_order_acq_rel)) return;
  if (poller_.joinable()) poller_.join();
  if (!handle_) return;
  rd_kafka_flush(handle_.get(), timeout_ms);  // serves the remaining delivery reports
  // What is still queued is failed now, its reports served by this last poll.
  rd_kafka_purge(handle_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(handle_.get(), 0);
  handle_.reset();
}

Result<int64_t> KafkaProducer::WaitForOffset(const std::function<void(DeliveredAt)>& produce) {
  struct Report {
    Status status;
    int64_t offset = -1;
  };
  // Shared with the report, which may come after this function gave up waiting.
  auto reported = std::make_shared<std::promise<Report>>();
  std::future<Report> report = reported->get_future();
  produce([reported](const Status& status, int64_t offset) {
    reported->set_value(Report{status, offset});
  });
  if (report.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    return Status(StatusCode::kUnavailable, "the log did not answer; try again");
  }
  Report done = report.get();
  if (!done.status.ok()) return done.status;
  return done.offset;
}

}  // namespace actiond::service
