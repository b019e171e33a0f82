#include "service/cluster_action_writes.h"

#include <chrono>
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

constexpr milliseconds kApplyWait{10'000};

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
  ACTIOND_ASSIGN_OR_RETURN(const int64_t offset,
                           KafkaProducer::WaitForOffset([&](KafkaProducer::DeliveredAt done) {
                             node.ProduceActionChange(project.api_token, bytes, std::move(done));
                           }));
  return node.WaitActionResult(project.api_token, offset, kApplyWait);
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
