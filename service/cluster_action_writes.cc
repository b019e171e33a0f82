#include "service/cluster_action_writes.h"

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <utility>

#include "engine/action_log_record.h"
#include "service/action_service.h"
#include "service/cluster_node.h"
#include "storage/action_record.h"

namespace actiond::service {
namespace {

using std::chrono::milliseconds;

// The producer reports every record within message.timeout.ms (10 s by default); this bound
// only keeps a request from hanging should a report never come.
constexpr milliseconds kDeliveryWait{60'000};
constexpr milliseconds kApplyWait{10'000};

struct Delivery {
  Status status;
  int64_t offset = -1;
};

// Writes `change` to the project's partition and waits for this node to apply it.
Result<ActionRecord> ProduceAndApply(ClusterNode& node, const Project& project,
                                     const ActionChange& change) {
  engine::ActionLogRecord record;
  record.op = change.op;
  record.token = project.api_token;
  record.action_id = change.id;
  record.at_ms = change.at_ms;
  record.request_json = storage::EncodeActionRequest(change.request);
  record.created_by_json = change.created_by_json;
  std::string bytes;
  engine::EncodeActionLogRecord(record, &bytes);
  // Shared with the report, which may come after this function gave up waiting.
  auto delivered = std::make_shared<std::promise<Delivery>>();
  std::future<Delivery> delivery = delivered->get_future();
  node.ProduceActionChange(project.api_token, bytes,
                           [delivered](const Status& status, int64_t offset) {
                             delivered->set_value(Delivery{status, offset});
                           });
  if (delivery.wait_for(kDeliveryWait) != std::future_status::ready) {
    return Status(StatusCode::kUnavailable, "the event log did not answer; try again");
  }
  const Delivery done = delivery.get();
  if (!done.status.ok()) return done.status;
  return node.WaitActionResult(project.api_token, done.offset, kApplyWait);
}

}  // namespace

Result<ActionRecord> CreateActionInCluster(ClusterNode& node, ActionService& actions,
                                           const Project& project,
                                           const engine::ActionRequest& request,
                                           const std::optional<ActionCreator>& creator) {
  ACTIOND_ASSIGN_OR_RETURN(const ActionChange change,
                           actions.PrepareCreate(project.id, request, creator,
                                                 /*choose_ids=*/true));
  return ProduceAndApply(node, project, change);
}

Result<ActionRecord> UpdateActionInCluster(ClusterNode& node, ActionService& actions,
                                           const Project& project, ActionId id,
                                           const engine::ActionRequest& request, bool partial) {
  ACTIOND_ASSIGN_OR_RETURN(const ActionChange change,
                           actions.PrepareUpdate(project.id, id, request, partial,
                                                 /*choose_ids=*/true));
  return ProduceAndApply(node, project, change);
}

}  // namespace actiond::service
