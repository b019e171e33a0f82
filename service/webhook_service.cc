#include "service/webhook_service.h"

#include <mutex>
#include <utility>

#include "engine/date_time.h"
#include "engine/http_url.h"
#include "engine/str_cat.h"
#include "service/random.h"
#include "storage/action_record.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::service {

namespace {

constexpr std::string_view kActionPerformed = "action_performed";
constexpr size_t kMaxTargetLength = 255;  // PostHog's Hook.target (a URLField)

}  // namespace

Status ValidateWebhookUrl(std::string_view url, std::string_view attr) {
  if (url.size() > 2048 || !engine::ParseHttpUrl(url))
    return InvalidInput("Enter a valid URL.", attr);
  return Status::Ok();
}

WebhookService::WebhookService(storage::Store* store, ProjectLocks* locks, WebhookCatalog* catalog,
                               WebhookDispatcher* dispatcher, ClockFunction clock)
    : store_(store),
      locks_(locks),
      catalog_(catalog),
      dispatcher_(dispatcher),
      clock_(std::move(clock)) {}

Status WebhookService::LoadAll() {
  ACTIOND_ASSIGN_OR_RETURN(std::vector<Project> projects, store_->ListProjects());
  for (const Project& project : projects) {
    if (!project.slack_incoming_webhook.empty()) {
      catalog_->SetSlackUrl(project.id, project.slack_incoming_webhook);
    }
    ACTIOND_ASSIGN_OR_RETURN(std::vector<Hook> hooks, store_->ListHooks(project.id));
    for (const Hook& hook : hooks) catalog_->PutHook(hook);
  }
  return Status::Ok();
}

Result<Hook> WebhookService::CreateHook(ProjectId project, int64_t user_id,
                                        const HookRequest& request) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> found, store_->GetProject(project));
  if (!found) return NotFound("Not found.");
  if (!request.target) return Required("This field is required.", "target");
  if (!request.event) return Required("This field is required.", "event");
  if (request.target->size() > kMaxTargetLength) {
    return InvalidInput("Ensure this field has no more than 255 characters.", "target");
  }
  ACTIOND_RETURN_IF_ERROR(ValidateWebhookUrl(*request.target, "target"));
  if (*request.event != kActionPerformed) {
    return InvalidChoice(
        engine::StrCat({"\"", *request.event, "\" is not a valid choice: use action_performed."}),
        "event");
  }
  Hook hook;
  hook.id = RandomToken("");
  hook.project = project;
  hook.event = *request.event;
  hook.target = *request.target;
  hook.resource_id = request.resource_id.value_or(Hook::kEveryAction);
  hook.user_id = user_id;
  hook.created_at = engine::FormatIso8601(clock_());

  std::lock_guard lock(locks_->For(project));
  if (request.resource_id) {
    ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json,
                             store_->GetAction(project, *request.resource_id));
    bool live = false;
    if (json) {
      ACTIOND_ASSIGN_OR_RETURN(ActionRecord action,
                               storage::DecodeActionRecord(project, *request.resource_id, *json));
      live = !action.deleted;
    }
    if (!live) return InvalidInput("The project has no such action.", "resource_id");
  }
  storage::WriteBatch batch(*store_);
  batch.PutHook(hook);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  catalog_->PutHook(hook);  // under the lock: the next event of the project sees it
  return hook;
}

Result<std::vector<Hook>> WebhookService::ListHooks(ProjectId project,
                                                    std::optional<int64_t> resource_id) const {
  ACTIOND_ASSIGN_OR_RETURN(std::vector<Hook> hooks, store_->ListHooks(project));
  if (resource_id) {
    std::erase_if(hooks, [&](const Hook& h) { return h.resource_id != *resource_id; });
  }
  return hooks;
}

Result<Hook> WebhookService::GetHook(ProjectId project, const std::string& hook_id) const {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Hook> hook, store_->GetHook(project, hook_id));
  if (!hook) return NotFound("Not found.");
  return std::move(*hook);
}

Status WebhookService::DeleteHook(ProjectId project, const std::string& hook_id) {
  std::lock_guard lock(locks_->For(project));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Hook> hook, store_->GetHook(project, hook_id));
  if (!hook) return NotFound("Not found.");
  storage::WriteBatch batch(*store_);
  batch.DeleteHook(project, hook_id);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  catalog_->RemoveHook(project, hook_id);
  return Status::Ok();
}

Result<DeliveryPage> WebhookService::ListDeliveries(ProjectId project, DeliveryState state,
                                                    size_t offset, size_t limit) const {
  // Ids are dense per store, not per project: read offset + limit + 1 and cut.
  ACTIOND_ASSIGN_OR_RETURN(std::vector<Delivery> all,
                           store_->ListDeliveries(project, state, -1, offset + limit + 1));
  DeliveryPage page;
  page.has_more = all.size() > offset + limit;
  for (size_t i = offset; i < all.size() && i < offset + limit; ++i) {
    page.deliveries.push_back(std::move(all[i]));
  }
  return page;
}

Result<Delivery> WebhookService::RetryDelivery(ProjectId project, int64_t delivery_id) {
  return dispatcher_->Retry(project, delivery_id);
}

Status WebhookService::DiscardDelivery(ProjectId project, int64_t delivery_id) {
  return dispatcher_->Discard(project, delivery_id);
}

}  // namespace actiond::service
