// Metrics: what GET /metrics serves, in Prometheus' text format through prometheus-cpp's core
// library (docs/operations.md §Metrics).
//
// Two kinds of numbers:
// - per request, recorded by Record() from the router's observer: actiond_http_requests_total
//   {route,code} and actiond_http_request_duration_seconds. `route` is the router's pattern or
//   "unmatched", `code` the status: a client cannot make a label value of its own.
// - read when scraped from the services' snapshot (service/ops_counters.h): events ingested,
//   duplicates, matches, backfill events, webhook deliveries by outcome, RocksDB statistics.
//   Nothing is added to the per-event path for them.
//
// Thread-safety: Record() and Render() are safe from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/http/request_record.h"
#include "service/ops_counters.h"

namespace prometheus {
class Registry;
class Counter;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace actiond::api {

// Numbers read at scrape time; null until the services are open (then only HTTP metrics).
using OpsSnapshotSource = std::function<service::OpsSnapshot()>;

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void set_snapshot_source(OpsSnapshotSource source) { source_ = std::move(source); }

  void Record(const RequestRecord& request);

  // The exposition text (Content-Type kContentType).
  std::string Render() const;

  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Histogram* duration_;
  OpsSnapshotSource source_;
};

}  // namespace actiond::api
