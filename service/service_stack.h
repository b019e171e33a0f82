// ServiceStack: the store and every service built on it, opened and torn down in the one right
// order. It is the only owner of the storage::Store, so that api/ (App) wires services without
// ever touching storage/.
//
// Open(): creates `data_dir` when missing and opens the store there (storage/store.h: schema
// check, --fsync), then builds the services. It neither bootstraps accounts nor loads actions:
// the caller runs accounts().Bootstrap() and actions().LoadAll() (every live action must be in
// the catalog before the first event is ingested), so that it can report what they return.
// Close(): stops backfills after their current chunk, then syncs and closes the store.
//
// Errors: kIoError when the directory cannot be created or the store cannot be opened;
// kCorruption for a store of another schema version.
// Thread-safety: the services are safe from any thread (each documents how); Close() (and the
// destructor) must not overlap any other call.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/status.h"
#include "service/apply_executor.h"
#include "service/backfill.h"
#include "service/clock_and_log.h"
#include "service/cluster_settings.h"
#include "service/ops_counters.h"
#include "service/webhook_dispatcher.h"
#include "service/webhook_transport.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

class AccountService;
class ActionCatalog;
class BackupService;
class ClusterNode;
class ActionService;
class EventService;
class IngestPipeline;
class PersonService;
class ProjectLocks;
class WebhookCatalog;
class WebhookOutbox;
class WebhookService;

struct ServiceStackOptions {
  std::string data_dir;
  bool fsync = false;     // every commit waits for the WAL to reach the disk
  bool keep_wal = false;  // archive the WAL instead of deleting it (storage/store.h, measuring)
  ClockFunction clock;    // stamps created_at, last_calculated_at
  LogFunction log;        // backfill progress and start-up problems
  // Sends webhook requests (api/http/webhook_client.h); null: no webhooks at all (matches send
  // nothing and webhooks() is null). Must outlive the stack, and be stopped (every Post
  // answered) before the stack is destroyed.
  WebhookTransport* webhook_transport = nullptr;
  WebhookOptions webhooks;
  // The apply stage capture requests are handed to (apply()); nullopt: none, requests apply
  // on the caller's thread.
  std::optional<ApplyExecutorOptions> apply;
  BackfillOptions backfill;  // chunk size and pause (service/backfill.h)
  // Cluster mode (docs/cluster.md): set when --kafka is given; nullopt is embedded mode.
  std::optional<ClusterSettings> cluster;
};

class ServiceStack {
 public:
  static Result<std::unique_ptr<ServiceStack>> Open(ServiceStackOptions options);
  ~ServiceStack();  // Close(), ignoring its error
  ServiceStack(const ServiceStack&) = delete;
  ServiceStack& operator=(const ServiceStack&) = delete;

  // After accounts and actions are loaded: publishes projects' webhook URLs and hooks and
  // starts the deliver stage, which resumes the outbox. A no-op without a transport.
  Status StartWebhooks();

  // After accounts and actions are loaded, in cluster mode: checks the events topic, then joins
  // the consumer group and starts applying the partitions Kafka assigns (docs/cluster.md).
  // A no-op in embedded mode. Errors: ClusterNode::Start's.
  Status StartCluster();

  // Idempotent: stops the cluster's applier and flushes its producer, runs the apply stage's
  // queued requests and stops it, stops the deliver stage
  // and backfills, then closes the store (returns its error on closing).
  Status Close();

  AccountService& accounts() noexcept { return *accounts_; }
  ActionService& actions() noexcept { return *actions_; }
  IngestPipeline& ingest() noexcept { return *ingest_; }
  ApplyExecutor* apply() noexcept { return apply_.get(); }  // null without options.apply
  const EventService& events() const noexcept { return *events_; }
  const PersonService& persons() const noexcept { return *persons_; }
  WebhookService* webhooks() noexcept { return webhook_service_.get(); }  // null: no transport
  ClusterNode* cluster() noexcept { return cluster_.get(); }              // null: embedded mode
  const BackupService& backup() const noexcept { return *backup_; }

  // False while the store cannot write (disk full, I/O error): /_readyz answers 503 then
  // (docs/operations.md §Disk full). One atomic load.
  bool store_writable() const noexcept;

  // The operators' numbers (docs/operations.md §Metrics): the counters, the webhook
  // dispatcher's outcomes and the store's statistics. Thread-safe; not during Close().
  OpsSnapshot Snapshot() const;

 private:
  ServiceStack();

  OpsCounters counters_;
  // Declared in construction order; destroyed in reverse (services before the store).
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<ActionCatalog> catalog_;
  std::unique_ptr<ProjectLocks> locks_;
  std::unique_ptr<WebhookCatalog> webhook_catalog_;
  std::unique_ptr<WebhookDispatcher> dispatcher_;
  std::unique_ptr<WebhookOutbox> outbox_;
  std::unique_ptr<WebhookService> webhook_service_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<IngestPipeline> ingest_;
  std::unique_ptr<ActionService> actions_;
  std::unique_ptr<EventService> events_;
  std::unique_ptr<PersonService> persons_;
  std::unique_ptr<BackupService> backup_;
  std::optional<ClusterSettings> cluster_settings_;
  LogFunction cluster_log_;
  ClockFunction cluster_clock_;
  std::unique_ptr<ClusterNode> cluster_;  // stopped in Close() before the services it feeds
  // Last: destroyed first, so that no queued apply outlives the services it calls.
  std::unique_ptr<ApplyExecutor> apply_;
};

}  // namespace actiond::service
