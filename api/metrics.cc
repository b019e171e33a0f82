#include "api/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace actiond::api {
namespace {

prometheus::MetricFamily Family(std::string name, std::string help, prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

void AddValue(prometheus::MetricFamily& family, double value,
              std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

prometheus::MetricFamily One(std::string name, std::string help, prometheus::MetricType type,
                             int64_t value) {
  prometheus::MetricFamily family = Family(std::move(name), std::move(help), type);
  AddValue(family, static_cast<double>(value));
  return family;
}

// The families read from the services when scraped.
void AppendSnapshot(const service::OpsSnapshot& s, std::vector<prometheus::MetricFamily>& out) {
  using prometheus::MetricType;
  out.push_back(One("actiond_events_ingested_total",
                    "Events stored by capture requests since start", MetricType::Counter,
                    s.events_ingested));
  out.push_back(One("actiond_events_duplicate_total",
                    "Captured events skipped because their uuid was already stored",
                    MetricType::Counter, s.events_duplicate));
  out.push_back(One("actiond_matches_total",
                    "Action matches written by capture requests (backfills not included)",
                    MetricType::Counter, s.matches));
  out.push_back(One("actiond_ingest_queue_depth",
                    "Capture requests decoded and waiting for the apply stage (bounded by "
                    "--ingest-queue; beyond, 503)",
                    MetricType::Gauge, s.ingest_queue_depth));
  out.push_back(One("actiond_backfill_events_total", "Stored events read by backfills",
                    MetricType::Counter, s.backfill_events));
  out.push_back(One("actiond_store_writable",
                    "1 while the store takes writes, 0 while it cannot write (disk full, I/O "
                    "error): writes are answered 503 until it resumes",
                    MetricType::Gauge, s.store_writable));
  prometheus::MetricFamily webhooks =
      Family("actiond_webhook_deliveries_total",
             "Webhook delivery attempts by outcome: delivered (2xx), retried (failed, tried "
             "again later), dead_letter (given up), dropped (outbox full, never sent)",
             MetricType::Counter);
  AddValue(webhooks, static_cast<double>(s.webhooks_delivered), {{"outcome", "delivered"}});
  AddValue(webhooks, static_cast<double>(s.webhooks_retried), {{"outcome", "retried"}});
  AddValue(webhooks, static_cast<double>(s.webhooks_dead_lettered), {{"outcome", "dead_letter"}});
  AddValue(webhooks, static_cast<double>(s.webhooks_dropped), {{"outcome", "dropped"}});
  out.push_back(std::move(webhooks));
  out.push_back(One("actiond_rocksdb_bytes_written_total",
                    "Bytes written to RocksDB by commits since the store was opened",
                    MetricType::Counter, s.rocksdb_bytes_written));
  out.push_back(One("actiond_rocksdb_compaction_pending",
                    "Column families with a compaction pending", MetricType::Gauge,
                    s.rocksdb_compaction_pending));
  out.push_back(One("actiond_rocksdb_pending_compaction_bytes",
                    "Estimated bytes compactions still have to rewrite", MetricType::Gauge,
                    s.rocksdb_pending_compaction_bytes));
  out.push_back(One("actiond_rocksdb_block_cache_hits_total", "RocksDB block cache hits",
                    MetricType::Counter, s.rocksdb_block_cache_hits));
  out.push_back(One("actiond_rocksdb_block_cache_misses_total", "RocksDB block cache misses",
                    MetricType::Counter, s.rocksdb_block_cache_misses));
  out.push_back(
      One("actiond_rocksdb_block_cache_bytes",
          "Bytes held by RocksDB's one cache (its 256 MiB budget): memtable reservations, "
          "index and filter blocks, data blocks",
          MetricType::Gauge, s.rocksdb_block_cache_bytes));
  out.push_back(One("actiond_rocksdb_memtable_bytes",
                    "Bytes of RocksDB memtables, mutable and immutable, over all column families",
                    MetricType::Gauge, s.rocksdb_memtable_bytes));
}

}  // namespace

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("actiond_http_requests_total")
                   .Help("HTTP requests answered, by route pattern (or \"unmatched\") and status")
                   .Register(*registry_);
  // From 1 ms to 10 s: a capture commit takes about a millisecond, a large backfilled count
  // or people page, or a fsync'd commit on a slow disk, up to seconds.
  duration_ =
      &prometheus::BuildHistogram()
           .Name("actiond_http_request_duration_seconds")
           .Help("Time from routing a request to its answer, in seconds")
           .Register(*registry_)
           .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1, 0.25, 0.5, 1, 2.5, 5, 10});
}

Metrics::~Metrics() = default;

void Metrics::Record(const RequestRecord& request) {
  requests_->Add({{"route", std::string(request.route)}, {"code", std::to_string(request.status)}})
      .Increment();
  duration_->Observe(request.seconds);
}

std::string Metrics::Render() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  if (source_) AppendSnapshot(source_(), families);
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace actiond::api
