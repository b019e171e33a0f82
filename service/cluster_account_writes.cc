#include "service/cluster_account_writes.h"

#include <chrono>
#include <memory>
#include <utility>

#include "engine/meta_log_record.h"
#include "service/cluster_node.h"
#include "service/random.h"
#include "service/webhook_service.h"
#include "storage/records.h"

namespace actiond::service {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kApplyWait{10'000};

// Produces `record` and waits until this node has applied it.
Status ProduceAndApply(ClusterNode& node, const engine::MetaLogRecord& record) {
  std::string bytes;
  engine::EncodeMetaLogRecord(record, &bytes);
  ACTIOND_ASSIGN_OR_RETURN(const int64_t offset,
                           KafkaProducer::WaitForOffset([&](KafkaProducer::DeliveredAt done) {
                             node.ProduceMeta(bytes, std::move(done));
                           }));
  if (!node.WaitMetaApplied(offset + 1, kApplyWait)) {
    return Status(StatusCode::kUnavailable,
                  "the change is in the meta log but this node has not applied it yet; it will "
                  "take effect shortly");
  }
  return Status::Ok();
}

Result<Project> AsApplied(const AccountService& accounts, const std::string& api_token) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> project, accounts.FindProjectByToken(api_token));
  // Only a record the applier passed over leaves no project; it logged why.
  if (!project) return Internal("the meta log record was not applied");
  return std::move(*project);
}

}  // namespace

Result<Project> CreateProjectInCluster(ClusterNode& node, const AccountService& accounts,
                                       std::string name) {
  engine::MetaLogRecord record;
  record.kind = engine::MetaLogKind::kProjectCreate;
  record.api_token = RandomToken("phc_");
  record.name = std::move(name);
  ACTIOND_RETURN_IF_ERROR(ProduceAndApply(node, record));
  return AsApplied(accounts, record.api_token);
}

Result<Project> UpdateProjectInCluster(ClusterNode& node, const AccountService& accounts,
                                       const Project& project, const ProjectUpdate& update) {
  if (!update.name && !update.slack_incoming_webhook) return project;
  // As AccountService::UpdateProject checks it: every node applying the record would refuse it.
  if (update.slack_incoming_webhook && !update.slack_incoming_webhook->empty()) {
    ACTIOND_RETURN_IF_ERROR(
        ValidateWebhookUrl(*update.slack_incoming_webhook, "slack_incoming_webhook"));
  }
  engine::MetaLogRecord record;
  record.kind = engine::MetaLogKind::kProjectUpdate;
  record.api_token = project.api_token;
  record.name = update.name;
  record.slack_incoming_webhook = update.slack_incoming_webhook;
  ACTIOND_RETURN_IF_ERROR(ProduceAndApply(node, record));
  return AsApplied(accounts, record.api_token);
}

Result<CreatedPersonalKey> CreatePersonalKeyInCluster(
    ClusterNode& node, const AccountService& accounts, std::string label,
    std::vector<std::string> scopes, std::vector<int64_t> scoped_teams, int64_t user_id) {
  ACTIOND_ASSIGN_OR_RETURN(CreatedPersonalKey made,
                           accounts.MakePersonalKey(std::move(label), std::move(scopes),
                                                    std::move(scoped_teams), user_id));
  engine::MetaLogRecord record;
  record.kind = engine::MetaLogKind::kPersonalKeyCreate;
  record.payload = storage::EncodeApiKey(made.key);
  ACTIOND_RETURN_IF_ERROR(ProduceAndApply(node, record));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<ApiKey> applied,
                           accounts.FindPersonalKeyByValue(made.value));
  // Only a record the applier passed over leaves no key; it logged why.
  if (!applied) return Internal("the meta log record was not applied");
  made.key = std::move(*applied);
  return made;
}

Status RevokePersonalKeyInCluster(ClusterNode& node, const ApiKey& key) {
  engine::MetaLogRecord record;
  record.kind = engine::MetaLogKind::kPersonalKeyRevoke;
  record.payload = key.secure_value_hash;
  return ProduceAndApply(node, record);
}

}  // namespace actiond::service
