#include "service/webhook_outbox.h"

#include <utility>

#include "engine/date_time.h"
#include "engine/element.h"
#include "engine/elements_chain.h"
#include "engine/elements_json.h"
#include "engine/webhook_body.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::service {

namespace {

// Ids reserved per write of the sequence: one meta write per this many deliveries.
constexpr int64_t kIdBlock = 1024;

// Per-thread buffers, so that rendering allocates only the bodies it keeps.
struct RenderScratch {
  engine::MessageScratch message;
  std::string timestamp;
  std::string elements;
  engine::ElementList element_list;
};

RenderScratch& Scratch() {
  thread_local RenderScratch scratch;
  return scratch;
}

}  // namespace

WebhookOutbox::WebhookOutbox(storage::Store* store, WebhookDispatcher* dispatcher,
                             ClockFunction clock)
    : store_(store), dispatcher_(dispatcher), clock_(std::move(clock)) {}

Result<int64_t> WebhookOutbox::NextId() {
  std::lock_guard lock(ids_mutex_);
  if (next_id_ == end_id_) {
    ACTIOND_ASSIGN_OR_RETURN(next_id_, store_->ReserveIds("delivery", kIdBlock));
    end_id_ = next_id_ + kIdBlock;
  }
  return next_id_++;
}

Status WebhookOutbox::Add(ProjectId project, ActionId action, const engine::CapturedEvent& event,
                          std::string_view hook_id, const std::string& target, std::string body,
                          storage::WriteBatch* batch, OutboxStage* stage) {
  if (!dispatcher_->TryReserve(project)) {
    ++stage->dropped;
    return Status::Ok();
  }
  Result<int64_t> id = NextId();
  if (!id.ok()) {
    dispatcher_->Release(project, 1);
    return id.status();
  }
  storage::Delivery d;
  d.id = *id;
  d.action_id = action;
  d.hook_id.assign(hook_id);
  d.event_uuid = event.uuid;
  d.target = target;
  d.body = std::move(body);
  d.created_ms = clock_();
  d.next_attempt_ms = d.created_ms;
  batch->PutDelivery(project, storage::DeliveryState::kPending, d);
  stage->entries.push_back(OutboxStage::Entry{project, d.id, target});
  return Status::Ok();
}

Status WebhookOutbox::Stage(ProjectId project, const ProjectWebhooks& rules,
                            const engine::CapturedEvent& event, const Person* person,
                            std::span<const ActionId> matched, storage::WriteBatch* batch,
                            OutboxStage* stage) {
  RenderScratch& s = Scratch();
  s.timestamp.clear();
  engine::AppendIso8601(event.timestamp_ms, &s.timestamp);
  engine::MessageContext context;
  context.site_url = dispatcher_->options().site_url;
  context.project_id = project;
  context.event_uuid = event.uuid;
  context.event_name = event.event;
  context.distinct_id = event.distinct_id;
  context.timestamp = s.timestamp;
  context.event_properties_json = event.properties_json;
  context.person_properties_json =
      person != nullptr ? std::string_view(person->properties_json) : std::string_view("{}");
  if (person != nullptr) {
    context.person_uuid = person->uuid;
    context.person_created_at = person->created_at;
  }
  bool elements_ready = false;

  for (ActionId action : matched) {
    context.action_id = action;
    if (!rules.slack_url.empty()) {
      if (auto message = rules.messages.find(action); message != rules.messages.end()) {
        context.action_name = message->second.name;
        std::string body;
        engine::RenderWebhookBody(message->second.format, context, rules.slack_url, &s.message,
                                  &body);
        ACTIOND_RETURN_IF_ERROR(
            Add(project, action, event, "", rules.slack_url, std::move(body), batch, stage));
      }
    }
    auto [first, last] = rules.action_hooks.equal_range(action);
    const bool any_hook = first != last || !rules.every_action_hooks.empty();
    if (!any_hook) continue;
    if (!elements_ready) {  // the payload's elementsList, once per event
      s.elements.clear();
      engine::ParseElementsChain(event.elements_chain, &s.element_list);
      engine::AppendElementsJson(s.element_list, &s.elements);
      context.elements_json = s.elements;
      elements_ready = true;
    }
    auto send = [&](const Hook& hook) -> Status {
      std::string body;
      engine::RenderRestHookBody(engine::RestHook{hook.id, hook.event, hook.target}, context,
                                 &s.message, &body);
      return Add(project, action, event, hook.id, hook.target, std::move(body), batch, stage);
    };
    for (auto it = first; it != last; ++it) ACTIOND_RETURN_IF_ERROR(send(it->second));
    for (const Hook& hook : rules.every_action_hooks) ACTIOND_RETURN_IF_ERROR(send(hook));
  }
  return Status::Ok();
}

void WebhookOutbox::Committed(const OutboxStage& stage) {
  const int64_t now = clock_();
  for (const OutboxStage::Entry& e : stage.entries) {
    dispatcher_->Enqueue(e.project, e.id, e.target, now);
  }
}

void WebhookOutbox::Abandoned(const OutboxStage& stage) {
  for (const OutboxStage::Entry& e : stage.entries) dispatcher_->Release(e.project, 1);
}

}  // namespace actiond::service
