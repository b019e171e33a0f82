// actiond: a PostHog-compatible actions engine. This file only turns flags and environment into
// an AppConfig; api/app.h does the rest. Every option of the server is also read from
// ACTIOND_<FLAG> (docs/operations.md §Configuration); a flag overrides its variable.
#include <CLI/CLI.hpp>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "api/app.h"
#include "api/clock.h"
#include "api/heap_trimmer.h"
#include "api/log.h"
#include "api/match_command.h"
#include "api/version.h"
#include "service/backup_service.h"

namespace {

// "--webhook-max-attempts" → "ACTIOND_WEBHOOK_MAX_ATTEMPTS".
std::string EnvName(const std::string& long_name) {
  std::string name = "ACTIOND_";
  for (const char c : long_name) {
    name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

// Gives every option of `app` that has a long name (but --help and --version) its variable.
void AddEnvironmentNames(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    const std::vector<std::string>& names = option->get_lnames();
    if (names.empty() || names.front() == "help" || names.front() == "version") continue;
    option->envname(EnvName(names.front()));
  }
}

int Main(int argc, char** argv) {
  actiond::api::AppConfig config;
  std::string log_format = "text";
  std::string log_level = "info";

  CLI::App cli{"actiond: a PostHog-compatible actions engine"};
  cli.set_version_flag("--version", std::string("actiond ") + std::string(actiond::api::Version()) +
                                        " (commit " + std::string(actiond::api::GitCommit()) + ")");
  cli.add_option("--log-format", log_format, "Log lines as text or json (one object a line)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  cli.add_option("--log-level", log_level, "Least level logged: debug, info, warning or error")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}));
  cli.add_option("--listen", config.listen, "Address to serve HTTP on, HOST:PORT")
      ->capture_default_str();
  cli.add_option("--data-dir", config.data_dir, "Directory of the RocksDB store")
      ->capture_default_str();
  cli.add_flag("--fsync", config.fsync, "fsync the write-ahead log on every commit");
  cli.add_flag("--keep-wal", config.keep_wal,
               "Keep every write-ahead log file, for bench/ingest_ceiling (grows without bound)");
  cli.add_option("--threads", config.threads, "I/O threads (0: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024).description("an integer in [0 - 1024], 0: one per core"));
  cli.add_option("--max-connections", config.max_connections,
                 "Connections served at once; more are answered 503")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  // Bounds keep a timeout a positive number of milliseconds that fits the timer's range.
  cli.add_option("--header-timeout", config.header_timeout_s,
                 "Seconds to send a request's header, else the connection is closed")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  cli.add_option("--body-timeout", config.body_timeout_s,
                 "Seconds to send a request's body once its header is in")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  cli.add_option("--idle-timeout", config.idle_timeout_s,
                 "Seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  cli.add_option("--heap-trim-interval", config.heap_trim_interval_s,
                 "Seconds between handing freed heap memory back to the OS (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  cli.add_option("--backfill-chunk-events", config.backfill_chunk_events,
                 "Events a backfill reads and matches per chunk (per project-lock hold)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1'000'000}));
  cli.add_option("--backfill-pause-ms", config.backfill_pause_ms,
                 "Pause of the backfill worker after each chunk (a throttle)")
      ->capture_default_str()
      ->check(CLI::Range(0, 60'000));
  cli.add_option("--personal-api-key", config.personal_api_key,
                 "Personal API key (phx_ and 32+ characters) kept at start");
  cli.add_option("--personal-api-key-file", config.personal_api_key_file,
                 "File whose first line is the personal API key (not visible in ps)");
  cli.add_option("--project-token", config.project_token, "Token (phc_...) of the default project");
  cli.add_option("--admin-email", config.admin_email, "Email of the admin user")
      ->capture_default_str();
  cli.add_option("--ingest-threads", config.ingest_threads,
                 "Threads that apply capture requests (0: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  cli.add_option("--ingest-queue", config.ingest_queue,
                 "Capture requests waiting to be applied; beyond, 503 with Retry-After")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  // Static files (docs/web.md): existence is checked at start, with the default's fallbacks.
  cli.add_option("--web-dir", config.web_dir,
                 "Directory of the web page served at / (default: the installed or source web/)");
  cli.add_option("--posthog-js-dir", config.posthog_js_dir,
                 "posthog-js dist directory served at /static/ (array.js and friends)");
  // Webhooks (docs/webhooks.md).
  cli.add_option("--site-url", config.site_url,
                 "Base URL of links in webhook messages (default: http://<listen address>)");
  cli.add_option("--webhook-ca-file", config.webhook_ca_file,
                 "PEM certificates trusted for HTTPS webhooks besides the system's CAs")
      ->check(CLI::ExistingFile);
  cli.add_option("--webhook-max-attempts", config.webhook_max_attempts,
                 "Attempts per webhook delivery before it becomes a dead letter")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cli.add_option("--webhook-outbox-max", config.webhook_outbox_max,
                 "Undelivered webhook deliveries a project may hold; beyond, new ones are dropped")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000'000));
  cli.add_option("--webhook-backoff", config.webhook_backoff_s,
                 "Seconds before a failed webhook delivery's first retry (x3 per retry)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  cli.add_option("--webhook-concurrency", config.webhook_concurrency,
                 "Webhook requests in flight per project and receiver")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cli.add_option("--webhook-timeout", config.webhook_timeout_s,
                 "Seconds a webhook request may take (connect, TLS, send, answer)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 3600.0));
  // Cluster mode on Kafka (docs/cluster.md).
  cli.add_option("--kafka", config.kafka_brokers,
                 "Kafka bootstrap servers (HOST:PORT,...): run as a node of a cluster");
  cli.add_option("--kafka-topic-prefix", config.kafka_topic_prefix,
                 "Prefix of the cluster's Kafka topics")
      ->capture_default_str();
  cli.add_option("--kafka-partitions", config.kafka_partitions,
                 "Partitions of the events topic when this node creates it")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000));
  cli.add_option("--node-id", config.node_id,
                 "This node's name in the cluster (default: --listen)");
  cli.add_option("--advertise", config.advertise,
                 "URL other nodes reach this one at (default: http://<listen address>)");
  cli.add_option("--kafka-config", config.kafka_config,
                 "librdkafka property KEY=VALUE (repeatable): security.protocol, sasl.*, ssl.*");

  actiond::api::MatchCommandOptions match_options;
  CLI::App* match = cli.add_subcommand(
      "match", "Match stored-event records (JSON lines) against action definitions, offline");
  match->add_option("--actions", match_options.actions_path, "Actions JSON file")->required();
  match->add_option("--events", match_options.events_path, "Event records, JSON lines ('-': stdin)")
      ->required();
  match->add_flag("--skip-invalid", match_options.skip_invalid_actions,
                  "Report and skip invalid actions instead of failing");
  match->add_flag("--explain", match_options.explain,
                  "Add why each action does or does not match (docs/api.md, Explain)");
  match->add_option("--action", match_options.explain_action,
                    "With --explain: explain only this action id");
  std::string backup_to;
  CLI::App* backup = cli.add_subcommand(
      "backup", "Copy the stopped store at --data-dir to a new directory (docs/operations.md)");
  backup->add_option("--to", backup_to, "The new directory (absolute; must not exist)")->required();
  backup->fallthrough();  // --data-dir, given after the subcommand, is the main option
  AddEnvironmentNames(cli);
  cli.require_subcommand(0, 1);
  CLI11_PARSE(cli, argc, argv);

  if (const actiond::Status status = actiond::api::ConfigureLogging(log_format, log_level);
      !status.ok()) {
    std::cerr << "actiond: " << status.message() << "\n";
    return EXIT_FAILURE;
  }

  if (match->parsed()) {
    return actiond::api::RunMatchCommand(match_options, std::cout, std::cerr);
  }
  if (backup->parsed()) {
    auto result =
        actiond::service::BackupStoppedStore(config.data_dir, backup_to, actiond::api::NowMs);
    if (!result.ok()) {
      std::cerr << "actiond backup: " << result.status().ToString() << "\n";
      return EXIT_FAILURE;
    }
    std::cout << "backup of " << config.data_dir << " written to " << result->path << " ("
              << result->bytes << " bytes)\n";
    return EXIT_SUCCESS;
  }

  // A file size limit (ulimit -f, systemd's LimitFSIZE=) would otherwise kill the server with
  // SIGXFSZ on the write that crosses it; ignored, that write fails with EFBIG, which the store
  // answers like a full disk: 503 until writes work again (docs/operations.md §Disk full).
  std::signal(SIGXFSZ, SIG_IGN);
  actiond::api::App app(std::move(config));
  if (const actiond::Status status = app.Start(); !status.ok()) {
    ACTIOND_LOG(ERROR) << "cannot start: " << status.ToString();
    return EXIT_FAILURE;
  }
  app.Run();
  return EXIT_SUCCESS;
}

}  // namespace

// CLI11 reports bad flags through CLI11_PARSE; anything else thrown past the modules (which
// catch third-party exceptions at their edges) is reported here instead of terminating.
int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "actiond: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "actiond: unknown exception\n";
  }
  return EXIT_FAILURE;
}
