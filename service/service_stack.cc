#include "service/service_stack.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "engine/str_cat.h"
#include "service/account_service.h"
#include "service/action_catalog.h"
#include "service/action_service.h"
#include "service/backup_service.h"
#include "service/cluster_node.h"
#include "service/event_service.h"
#include "service/ingest_pipeline.h"
#include "service/person_service.h"
#include "service/project_locks.h"
#include "service/webhook_catalog.h"
#include "service/webhook_outbox.h"
#include "service/webhook_service.h"
#include "storage/store.h"

namespace actiond::service {

ServiceStack::ServiceStack() = default;

ServiceStack::~ServiceStack() { (void)Close(); }

Result<std::unique_ptr<ServiceStack>> ServiceStack::Open(ServiceStackOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status(StatusCode::kIoError,
                  "cannot create data dir " + options.data_dir + ": " + ec.message());
  }
  storage::StoreOptions store_options;
  store_options.fsync = options.fsync;
  store_options.keep_wal = options.keep_wal;
  // One line each way, from the store's recovery thread (docs/operations.md §Disk full).
  store_options.on_writable_change = [log = options.log](bool writable, std::string_view cause) {
    if (!log) return;
    if (writable) {
      log("store: writes work again; capture and the write endpoints accept requests");
    } else {
      log(engine::StrCat({"store: cannot write (", cause,
                          "); writes are answered 503 and reads go on until the disk takes "
                          "writes again (retried every second)"}));
    }
  };
  std::unique_ptr<ServiceStack> stack(new ServiceStack());
  ACTIOND_ASSIGN_OR_RETURN(stack->store_, storage::Store::Open(options.data_dir, store_options));
  storage::Store* store = stack->store_.get();
  stack->cluster_settings_ = std::move(options.cluster);
  stack->cluster_log_ = options.log;
  stack->cluster_clock_ = options.clock;
  stack->catalog_ = std::make_unique<ActionCatalog>();
  stack->locks_ = std::make_unique<ProjectLocks>();
  stack->backup_ = std::make_unique<BackupService>(store, options.clock);
  stack->webhook_catalog_ = std::make_unique<WebhookCatalog>();
  if (options.webhook_transport != nullptr) {
    stack->dispatcher_ = std::make_unique<WebhookDispatcher>(
        store, options.webhook_transport, options.webhooks, options.clock, options.log);
    stack->outbox_ =
        std::make_unique<WebhookOutbox>(store, stack->dispatcher_.get(), options.clock);
    stack->webhook_service_ =
        std::make_unique<WebhookService>(store, stack->locks_.get(), stack->webhook_catalog_.get(),
                                         stack->dispatcher_.get(), options.clock);
  }
  stack->accounts_ = std::make_unique<AccountService>(store, options.clock, stack->locks_.get(),
                                                      stack->webhook_catalog_.get());
  stack->ingest_ = std::make_unique<IngestPipeline>(
      store, stack->catalog_.get(), stack->locks_.get(), stack->webhook_catalog_.get(),
      stack->outbox_.get(), &stack->counters_);
  if (options.apply) stack->apply_ = std::make_unique<ApplyExecutor>(*options.apply);
  ActionServiceOptions action_options{.backfill = options.backfill, .start_worker = true};
  action_options.backfill.events_read = &stack->counters_.backfill_events;
  if (ApplyExecutor* apply = stack->apply_.get()) {
    // A backfill chunk's commit takes its turn on the project's strand, between applies
    // (docs/architecture.md §3).
    action_options.backfill.run_in_project_order = [apply](ProjectId project,
                                                           std::function<void()> commit) {
      return apply->TrySubmit(project, std::move(commit));
    };
  }
  stack->actions_ = std::make_unique<ActionService>(
      store, stack->catalog_.get(), stack->locks_.get(), std::move(options.clock),
      std::move(options.log), action_options, stack->webhook_catalog_.get());
  stack->events_ = std::make_unique<EventService>(store);
  stack->persons_ = std::make_unique<PersonService>(store);
  return stack;
}

Status ServiceStack::StartWebhooks() {
  if (!webhook_service_) return Status::Ok();
  ACTIOND_RETURN_IF_ERROR(webhook_service_->LoadAll());
  return dispatcher_->Start();
}

OpsSnapshot ServiceStack::Snapshot() const {
  OpsSnapshot out;
  auto read = [](const std::atomic<int64_t>& counter) {
    return counter.load(std::memory_order_relaxed);
  };
  out.events_ingested = read(counters_.events_ingested);
  out.events_duplicate = read(counters_.events_duplicate);
  out.matches = read(counters_.matches);
  out.backfill_events = read(counters_.backfill_events);
  if (apply_) out.ingest_queue_depth = static_cast<int64_t>(apply_->queued());
  if (dispatcher_) {
    out.webhooks_delivered = dispatcher_->delivered();
    out.webhooks_retried = dispatcher_->retried();
    out.webhooks_dead_lettered = dispatcher_->dead_lettered();
    out.webhooks_dropped = dispatcher_->dropped();
  }
  if (store_) {
    out.store_writable = store_->writable() ? 1 : 0;
    const storage::StoreStatistics stats = store_->Statistics();
    out.rocksdb_bytes_written = stats.bytes_written;
    out.rocksdb_compaction_pending = stats.compaction_pending;
    out.rocksdb_pending_compaction_bytes = stats.pending_compaction_bytes;
    out.rocksdb_block_cache_hits = stats.block_cache_hits;
    out.rocksdb_block_cache_misses = stats.block_cache_misses;
    out.rocksdb_block_cache_bytes = stats.block_cache_bytes;
    out.rocksdb_memtable_bytes = stats.memtable_bytes;
  }
  return out;
}

bool ServiceStack::store_writable() const noexcept { return !store_ || store_->writable(); }

Status ServiceStack::StartCluster() {
  if (!cluster_settings_ || cluster_) return Status::Ok();
  ClusterApplier::Services services;
  services.store = store_.get();
  services.pipeline = ingest_.get();
  services.accounts = accounts_.get();
  services.actions = actions_.get();
  services.dispatcher = dispatcher_.get();
  ACTIOND_ASSIGN_OR_RETURN(
      cluster_, ClusterNode::Start(*cluster_settings_, services, cluster_clock_, cluster_log_));
  return Status::Ok();
}

Status ServiceStack::Close() {
  if (cluster_) cluster_->Close();  // nothing more is applied or produced
  if (apply_) apply_->Stop();       // requests already accepted are applied, not dropped
  if (dispatcher_) dispatcher_->Stop();
  if (actions_) actions_->Stop();
  if (!store_) return Status::Ok();
  return store_->Close();
}

}  // namespace actiond::service
