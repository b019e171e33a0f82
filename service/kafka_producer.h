// KafkaProducer: writes records to the cluster's log and reports each one's fate once
// (docs/cluster.md §Capture). librdkafka's idempotent producer (enable.idempotence, so acks=all
// and no duplicates or reordering from its own retries): a record is reported delivered only
// when every in-sync replica has it, and a capture request is acknowledged only then.
//
// A record that cannot be delivered within `message.timeout.ms` (actiond's default: 10 s; the
// SDKs' own request timeouts are about that) is reported as kUnavailable, so the client retries
// and the event's uuid keeps a retry from being stored twice.
//
// Thread-safety: Produce may be called from any thread; reports run on the producer's own
// polling thread, one at a time — keep them short (hand the answer to an I/O thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/cluster_settings.h"
#include "service/kafka_client.h"

namespace actiond::service {

class KafkaProducer final : public KafkaOwner {
 public:
  using Delivered = std::function<void(const Status&)>;
  // Also told the record's offset in its partition (-1 on error): a writer that must wait until
  // its own record has been applied (docs/cluster.md §Projects) waits for that offset.
  using DeliveredAt = std::function<void(const Status&, int64_t offset)>;

  // Makes the producer (it connects lazily); kInvalidInput for a bad --kafka-config.
  static Result<std::unique_ptr<KafkaProducer>> Open(const ClusterSettings& settings,
                                                     LogFunction log);
  ~KafkaProducer() override;  // Close()
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Queues `value` for `topic` partition `partition` under `key`; `done` runs exactly once
  // with OK when the record is in the log, or the error (at once, on this thread, when
  // librdkafka's queue is full or the producer is closed).
  void Produce(const std::string& topic, int32_t partition, std::string_view key,
               std::string_view value, Delivered done);
  // Produce, reporting the offset the log gave the record too.
  void ProduceAt(const std::string& topic, int32_t partition, std::string_view key,
                 std::string_view value, DeliveredAt done);

  // Runs `produce` (a call of ProduceAt, given the callback to pass it) and blocks until the
  // record's report: its offset, or the producer's error. The producer reports every record
  // within message.timeout.ms; kUnavailable after 60 s only keeps a caller from hanging should
  // a report never come. For rare writes that answer once their record is applied
  // (docs/cluster.md §Projects, §Actions).
  static Result<int64_t> WaitForOffset(const std::function<void(DeliveredAt)>& produce);

  // Waits up to `timeout_ms` for queued records, then stops polling; records still undelivered
  // are reported as failed. Idempotent.
  void Close(int timeout_ms = 10'000);

  rd_kafka_s* handle() const noexcept { return handle_.get(); }  // admin requests, metadata

  void OnKafkaLog(std::string_view line) override;

  struct PendingReport;  // a queued record's callback (the .cc's business)

 private:
  explicit KafkaProducer(LogFunction log) : log_(std::move(log)) {}
  void Enqueue(const std::string& topic, int32_t partition, std::string_view key,
               std::string_view value, std::unique_ptr<PendingReport> report);

  LogFunction log_;
  KafkaHandle handle_;
  std::atomic<bool> closing_{false};
  std::thread poller_;
};

}  // namespace actiond::service
