#include "api/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace actiond::api {
namespace {

TEST(MetricsTest, RequestsAreCountedByRoutePatternAndCode) {
  Metrics metrics;
  RequestRecord request;
  request.method = "GET";
  request.route = "/api/projects/:project_id/actions";
  request.status = 200;
  request.seconds = 0.002;
  metrics.Record(request);
  metrics.Record(request);
  request.route = kUnmatchedRoute;
  request.status = 404;
  metrics.Record(request);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("actiond_http_requests_total{code=\"200\",route=\"/api/projects/"
                      ":project_id/actions\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("actiond_http_requests_total{code=\"404\",route=\"unmatched\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("actiond_http_request_duration_seconds_count 3"), std::string::npos) << text;
}

TEST(MetricsTest, SnapshotNumbersAreRenderedWithTheirTypes) {
  Metrics metrics;
  metrics.set_snapshot_source([] {
    service::OpsSnapshot s;
    s.events_ingested = 7;
    s.webhooks_retried = 3;
    s.rocksdb_block_cache_misses = 11;
    s.rocksdb_memtable_bytes = 4096;
    return s;
  });
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("# TYPE actiond_events_ingested_total counter\n"
                      "actiond_events_ingested_total 7\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("actiond_webhook_deliveries_total{outcome=\"retried\"} 3"), std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE actiond_ingest_queue_depth gauge\nactiond_ingest_queue_depth 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("actiond_rocksdb_block_cache_misses_total 11"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          "# TYPE actiond_rocksdb_memtable_bytes gauge\nactiond_rocksdb_memtable_bytes 4096\n"),
      std::string::npos)
      << text;
}

TEST(MetricsTest, WithoutServicesOnlyHttpMetricsAreServed) {
  Metrics metrics;
  const std::string text = metrics.Render();
  EXPECT_EQ(text.find("actiond_events_ingested_total"), std::string::npos) << text;
  EXPECT_NE(text.find("actiond_http_request_duration_seconds"), std::string::npos) << text;
}

}  // namespace
}  // namespace actiond::api
