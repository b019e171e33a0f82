#include "service/account_service.h"

#include <mutex>
#include <utility>

#include "engine/date_time.h"
#include "engine/json_value.h"
#include "service/random.h"
#include "service/sha256.h"
#include "service/webhook_service.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::service {
namespace {

// Set once a start-up key has been made, so that a key printed once is not replaced by another
// on the next start (e.g. after the operator revoked it on purpose).
constexpr std::string_view kStartupKeyMeta = "bootstrap/startup_key_created";

// Where a user's JSON is kept among the callers' meta keys.
std::string UserRecordMetaKey(int64_t user_id) { return "user/" + std::to_string(user_id); }

}  // namespace

std::string MaskKeyValue(std::string_view value) {
  if (value.size() < 8) return "********";
  return std::string(value.substr(0, 4)) + "..." + std::string(value.substr(value.size() - 4));
}

AccountService::AccountService(storage::Store* store, ClockFunction clock, ProjectLocks* locks,
                               WebhookCatalog* webhooks)
    : store_(store), clock_(std::move(clock)), locks_(locks), webhooks_(webhooks) {}

Result<Project> AccountService::UpdateProject(ProjectId id, const ProjectUpdate& update) {
  if (update.slack_incoming_webhook && !update.slack_incoming_webhook->empty()) {
    ACTIOND_RETURN_IF_ERROR(
        ValidateWebhookUrl(*update.slack_incoming_webhook, "slack_incoming_webhook"));
  }
  std::unique_lock<std::mutex> lock;
  if (locks_ != nullptr) lock = std::unique_lock(locks_->For(id));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> found, store_->GetProject(id));
  if (!found) return NotFound("Not found.");
  Project project = std::move(*found);
  if (update.name) project.name = *update.name;
  if (update.slack_incoming_webhook)
    project.slack_incoming_webhook = *update.slack_incoming_webhook;
  storage::WriteBatch batch(*store_);
  batch.PutProject(project);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  if (webhooks_ != nullptr && update.slack_incoming_webhook) {
    webhooks_->SetSlackUrl(id, project.slack_incoming_webhook);
  }
  return project;
}

Project AccountService::ProjectRecord(std::string name, std::string api_token) const {
  Project project;
  project.name = std::move(name);
  project.api_token = std::move(api_token);
  project.created_at = engine::FormatIso8601(clock_());
  return project;
}

Result<Project> AccountService::NewProject(std::string name, std::string api_token) {
  ACTIOND_ASSIGN_OR_RETURN(const int64_t id, store_->NextId("project"));
  Project project = ProjectRecord(std::move(name), std::move(api_token));
  project.id = id;
  return project;
}

Result<Project> AccountService::CommitNewProject(std::string name, std::string api_token) {
  Project project = ProjectRecord(std::move(name), std::move(api_token));
  auto store_under = [&](int64_t id, storage::WriteBatch& batch) {
    project.id = id;
    batch.PutProject(project);
  };
  ACTIOND_RETURN_IF_ERROR(store_->CommitWithNextId("project", store_under).status());
  return project;
}

Result<ApiKey> AccountService::NewApiKey(std::string_view value, std::string label,
                                         std::vector<std::string> scopes,
                                         std::vector<int64_t> scoped_teams, int64_t user_id) {
  ACTIOND_ASSIGN_OR_RETURN(const int64_t id, store_->NextId("api_key"));
  ApiKey key =
      KeyRecord(value, std::move(label), std::move(scopes), std::move(scoped_teams), user_id);
  key.id = id;
  return key;
}

ApiKey AccountService::KeyRecord(std::string_view value, std::string label,
                                 std::vector<std::string> scopes, std::vector<int64_t> scoped_teams,
                                 int64_t user_id) const {
  ApiKey key;
  key.label = std::move(label);
  key.secure_value_hash = Sha256Hex(value);
  key.scopes = std::move(scopes);
  key.scoped_teams = std::move(scoped_teams);
  key.user_id = user_id;
  key.created_at = engine::FormatIso8601(clock_());
  key.mask_value = MaskKeyValue(value);
  return key;
}

Result<BootstrapResult> AccountService::Bootstrap(const BootstrapSettings& settings) {
  BootstrapResult result;
  storage::WriteBatch batch(*store_);

  ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> project, store_->GetProject(kDefaultProjectId));
  if (!project) {
    std::string token = settings.project_token;
    if (token.empty()) {
      token = RandomToken("phc_");
      result.new_project_token = token;
    } else {
      ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> holder, store_->GetProjectByToken(token));
      if (holder) {
        return InvalidInput("the project token is already used by project " +
                            std::to_string(holder->id));
      }
    }
    // The default project is id 1 whatever the sequence says (a crash may have consumed ids
    // before the first commit); taking one from the sequence keeps later projects off id 1.
    ACTIOND_ASSIGN_OR_RETURN(Project made, NewProject("Default project", std::move(token)));
    made.id = kDefaultProjectId;
    batch.PutProject(made);
  } else if (!settings.project_token.empty() && settings.project_token != project->api_token) {
    result.warnings.push_back(
        "ACTIOND_PROJECT_TOKEN differs from the stored token of project 1, which is kept "
        "(project tokens never change)");
  }

  ACTIOND_ASSIGN_OR_RETURN(std::optional<User> admin, FindUser(kAdminUserId));
  if (!admin || admin->email != settings.admin_email) {
    User user;
    if (admin) {
      user = std::move(*admin);
    } else {
      user.id = kAdminUserId;
      user.uuid = RandomUuidV4();
      user.distinct_id = RandomToken("");
      user.first_name = "Admin";
      user.is_email_verified = true;
    }
    user.email = settings.admin_email;
    batch.PutMeta(UserRecordMetaKey(kAdminUserId), storage::EncodeActionCreator(user));
  }

  std::string key_value;
  if (!settings.personal_api_key.empty()) {
    if (settings.personal_api_key.starts_with("phc_")) {
      return InvalidInput("the personal API key must not be a project token (phc_…)");
    }
    ACTIOND_ASSIGN_OR_RETURN(std::optional<ApiKey> existing,
                             FindPersonalKeyByValue(settings.personal_api_key));
    if (!existing) key_value = settings.personal_api_key;
  } else {
    ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> made_before,
                             store_->GetMeta(kStartupKeyMeta));
    if (!made_before) {
      key_value = RandomToken("phx_");
      result.new_personal_api_key = key_value;
    }
  }
  if (!key_value.empty()) {
    ACTIOND_ASSIGN_OR_RETURN(ApiKey key,
                             NewApiKey(key_value, "Start-up key", {"*"}, {}, kAdminUserId));
    batch.PutApiKey(key);
    batch.PutMeta(kStartupKeyMeta, "1");
  }

  if (!batch.empty()) ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  return result;
}

Result<Project> AccountService::CreateProject(std::string name) {
  return CommitNewProject(std::move(name), RandomToken("phc_"));
}

Result<Project> AccountService::CreateProjectWithToken(std::string name, std::string api_token) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> existing, store_->GetProjectByToken(api_token));
  if (existing) return std::move(*existing);
  return CommitNewProject(std::move(name), std::move(api_token));
}

Result<std::optional<Project>> AccountService::FindProject(ProjectId id) const {
  return store_->GetProject(id);
}

Result<std::optional<Project>> AccountService::FindProjectByToken(
    std::string_view api_token) const {
  return store_->GetProjectByToken(api_token);
}

Result<std::vector<Project>> AccountService::ListProjects() const { return store_->ListProjects(); }

Result<CreatedPersonalKey> AccountService::CreatePersonalKey(std::string label,
                                                             std::vector<std::string> scopes,
                                                             std::vector<int64_t> scoped_teams,
                                                             int64_t user_id) {
  CreatedPersonalKey created;
  created.value = RandomToken("phx_");
  ACTIOND_ASSIGN_OR_RETURN(created.key,
                           NewApiKey(created.value, std::move(label), std::move(scopes),
                                     std::move(scoped_teams), user_id));
  storage::WriteBatch batch(*store_);
  batch.PutApiKey(created.key);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  return created;
}

Result<std::optional<ApiKey>> AccountService::FindPersonalKey(int64_t id) const {
  return store_->GetApiKey(id);
}

Result<std::optional<ApiKey>> AccountService::FindPersonalKeyByValue(std::string_view value) const {
  return store_->GetApiKeyByHash(Sha256Hex(value));
}

Result<std::vector<ApiKey>> AccountService::ListPersonalKeys() const {
  return store_->ListApiKeys();
}

Status AccountService::NotePersonalKeyUse(const ApiKey& key) const {
  constexpr int64_t kWriteEveryMs = 60'000;
  const int64_t now = clock_();
  std::lock_guard lock(key_use_mutex_);
  int64_t& written = key_use_written_ms_[key.id];
  if (written != 0 && now - written < kWriteEveryMs) return Status::Ok();
  written = now;
  // Read again under the lock: a key revoked since the request found it is not written back.
  ACTIOND_ASSIGN_OR_RETURN(std::optional<ApiKey> current, store_->GetApiKey(key.id));
  if (!current) return Status::Ok();
  current->last_used_at = engine::FormatIso8601(now);
  storage::WriteBatch batch(*store_);
  batch.PutApiKey(*current);
  return store_->Commit(batch);
}

Status AccountService::RevokePersonalKey(const ApiKey& key) {
  std::lock_guard lock(key_use_mutex_);
  storage::WriteBatch batch(*store_);
  batch.DeleteApiKey(key);
  return store_->Commit(batch);
}

Result<CreatedPersonalKey> AccountService::MakePersonalKey(std::string label,
                                                           std::vector<std::string> scopes,
                                                           std::vector<int64_t> scoped_teams,
                                                           int64_t user_id) const {
  CreatedPersonalKey made;
  made.value = RandomToken("phx_");
  made.key =
      KeyRecord(made.value, std::move(label), std::move(scopes), std::move(scoped_teams), user_id);
  return made;
}

Result<ApiKey> AccountService::AddPersonalKey(ApiKey key) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<ApiKey> existing,
                           store_->GetApiKeyByHash(key.secure_value_hash));
  if (existing) return std::move(*existing);
  ACTIOND_ASSIGN_OR_RETURN(key.id, store_->NextId("api_key"));
  storage::WriteBatch batch(*store_);
  batch.PutApiKey(key);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  return key;
}

Status AccountService::RevokePersonalKeyByHash(std::string_view secure_value_hash) {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<ApiKey> key, store_->GetApiKeyByHash(secure_value_hash));
  if (!key) return Status::Ok();  // revoked already: a record applied twice
  return RevokePersonalKey(*key);
}

Result<std::optional<std::string>> AccountService::FindUserJson(int64_t user_id) const {
  return store_->GetMeta(UserRecordMetaKey(user_id));
}

Result<std::optional<User>> AccountService::FindUser(int64_t user_id) const {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json, FindUserJson(user_id));
  if (!json) return std::optional<User>();
  Result<engine::JsonValue> value = engine::ParseJsonValue(*json);
  if (!value.ok() || !value->is_object()) {
    return Status(StatusCode::kCorruption,
                  "stored user " + std::to_string(user_id) + " is not a JSON object");
  }
  auto text = [&](std::string_view key) {
    const engine::JsonValue* v = value->Find(key);
    return v != nullptr ? v->string() : std::string();
  };
  User user;
  user.id = user_id;
  user.uuid = text("uuid");
  user.distinct_id = text("distinct_id");
  user.first_name = text("first_name");
  user.email = text("email");
  const engine::JsonValue* verified = value->Find("is_email_verified");
  user.is_email_verified = verified != nullptr && verified->bool_value();
  return std::optional<User>(std::move(user));
}

}  // namespace actiond::service
