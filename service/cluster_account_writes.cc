#include "service/cluster_account_writes.h"

#include <chrono>
#include <future>
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

// The producer reports every record within message.timeout.ms (10 s by default); this bound
// only keeps a request from hanging should a report never come.
constexpr milliseconds kDeliveryWait{60'000};
constexpr milliseconds kApplyWait{10'000};

struct Delivery {
  Status status;
  int64_t offset = -1;
};

// Produces `record` and waits until this node has applied it.
Status ProduceAndApply(ClusterNode& node, const engine::MetaLogRecord& record) {
  std::string bytes;
  engine::EncodeMetaLogRecord(record, &bytes);
  // Shared with the report, which may come after this function gave up waiting.
  auto delivered = std::make_shared<std::promise<Delivery>>();
  std::future<Delivery> delivery = delivered->get_future();
  node.ProduceMeta(bytes, [delivered](const Status& status, int64_t offset) {
    delivered->set_value(Delivery{status, offset});
  });
  if (delivery.wait_for(kDeliveryWait) != std::future_status::ready) {
    return Status(StatusCode::kUnavailable, "the meta log did not answer; try again");
  }
  const Delivery done = delivery.get();
  if (!done.status.ok()) return done.status;
  if (!node.WaitMetaApplied(done.offset + 1, kApplyWait)) {
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
