#include "service/service_stack.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "service/account_service.h"
#include "service/action_catalog.h"
#include "service/action_service.h"
#include "service/event_service.h"
#include "service/ingest_pipeline.h"
#include "service/person_service.h"
#include "service/project_locks.h"
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
  std::unique_ptr<ServiceStack> stack(new ServiceStack());
  ACTIOND_ASSIGN_OR_RETURN(stack->store_, storage::Store::Open(options.data_dir, store_options));
  storage::Store* store = stack->store_.get();
  stack->catalog_ = std::make_unique<ActionCatalog>();
  stack->locks_ = std::make_unique<ProjectLocks>();
  stack->accounts_ = std::make_unique<AccountService>(store, options.clock);
  stack->ingest_ =
      std::make_unique<IngestPipeline>(store, stack->catalog_.get(), stack->locks_.get());
  stack->actions_ = std::make_unique<ActionService>(
      store, stack->catalog_.get(), stack->locks_.get(), std::move(options.clock),
      std::move(options.log),
      ActionServiceOptions{.backfill = options.backfill, .start_worker = true});
  stack->events_ = std::make_unique<EventService>(store);
  stack->persons_ = std::make_unique<PersonService>(store);
  return stack;
}

Status ServiceStack::Close() {
  if (actions_) actions_->Stop();
  if (!store_) return Status::Ok();
  return store_->Close();
}

}  // namespace actiond::service
