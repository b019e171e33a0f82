// AppConfig: how actiond is started — flags and ACTIOND_* environment, filled by main.cc
// (api/app.h: ApplyEnvironment) and read by App. Its own header so that what needs only the
// settings does not pull in the App, the router and the server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace actiond::api {

struct AppConfig {
  std::string listen = "127.0.0.1:8000";  // HOST:PORT ([v6-address]:PORT for IPv6)
  std::string data_dir = "./data";
  bool fsync = false;           // fsync the WAL on every commit
  bool keep_wal = false;        // keep every WAL file (bench/ingest_ceiling reads them back)
  int threads = 0;              // I/O threads; 0: one per core
  int ingest_threads = 0;       // apply-stage threads; 0: one per core
  size_t ingest_queue = 1'024;  // capture requests waiting to be applied; then 503
  size_t max_connections = 10'000;
  // Seconds a client has for a request's header (from accept, or from its first byte on a
  // kept-alive connection), for its body once the header is in, and between requests on a
  // kept-alive connection; past them the connection is closed (api/http/server.h).
  double header_timeout_s = 10;
  double body_timeout_s = 30;
  double idle_timeout_s = 60;
  double heap_trim_interval_s = 10;  // api/heap_trimmer.h; 0: never trim
  // Backfill chunks (events read and matched per project-lock hold) and the pause after each
  // (service/backfill.h): a throttle for busy machines; tests use it to watch a slow backfill.
  size_t backfill_chunk_events = 1000;
  int backfill_pause_ms = 0;
  // Must look like a key (engine/personal_api_key_format.h), else Start() refuses.
  std::string personal_api_key;  // ACTIOND_PERSONAL_API_KEY
  // A file holding the key (its first line), so that it is not seen in `ps`; not with the above.
  std::string personal_api_key_file;            // ACTIOND_PERSONAL_API_KEY_FILE
  std::string project_token;                    // ACTIOND_PROJECT_TOKEN
  std::string admin_email = "admin@localhost";  // ACTIOND_ADMIN_EMAIL
  // The web page's directory (api/web_mounts.h: "" looks in the install tree, then the source
  // tree) and posthog-js's dist directory served at /static/ ("" serves none).
  std::string web_dir;
  std::string posthog_js_dir;
  // Webhooks (docs/webhooks.md): links in messages start with site_url ("" → http://<listen>).
  std::string site_url;
  std::string webhook_ca_file;  // extra trusted CAs (PEM) for HTTPS receivers
  int64_t webhook_max_attempts = 10;
  int64_t webhook_outbox_max = 10'000;
  double webhook_backoff_s = 10;  // the first retry's wait; each further one ×3
  int webhook_concurrency = 4;    // requests in flight per (project, receiver)
  double webhook_timeout_s = 30;
  // Cluster mode on Kafka (docs/cluster.md): on when kafka_brokers is not empty.
  std::string kafka_brokers;  // ACTIOND_KAFKA
  std::string kafka_topic_prefix = "actiond.";
  int kafka_partitions = 12;              // when this node creates the events topic
  std::string node_id;                    // "" → the listen address
  std::string advertise;                  // "" → http://<listen address>
  std::vector<std::string> kafka_config;  // KEY=VALUE librdkafka properties
};

}  // namespace actiond::api
