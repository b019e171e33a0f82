#include "api/bootstrap.h"

#include "api/account_records.h"
#include "api/random.h"
#include "storage/sha256.h"
#include "storage/write_batch.h"

namespace actiond::api {
namespace {

constexpr int64_t kDefaultProjectId = 1;
// Set once a start-up key has been made, so that a key printed once is not replaced by another
// on the next start (e.g. after the operator revoked it on purpose).
constexpr std::string_view kStartupKeyMeta = "bootstrap/startup_key_created";

}  // namespace

Result<BootstrapResult> Bootstrap(storage::Store& store, const AppConfig& config, int64_t now_ms) {
  BootstrapResult result;
  storage::WriteBatch batch(store);

  ASSIGN_OR_RETURN(std::optional<storage::Project> project, store.GetProject(kDefaultProjectId));
  if (!project) {
    std::string token = config.project_token;
    if (token.empty()) {
      token = RandomToken("phc_");
      result.new_project_token = token;
    } else {
      ASSIGN_OR_RETURN(std::optional<storage::Project> holder, store.GetProjectByToken(token));
      if (holder) {
        return InvalidInput("the project token is already used by project " +
                            std::to_string(holder->id));
      }
    }
    // The default project is id 1 whatever the sequence says (a crash may have consumed ids
    // before the first commit); taking one from the sequence keeps later projects off id 1.
    ASSIGN_OR_RETURN(storage::Project made,
                     NewProject(store, "Default project", std::move(token), now_ms));
    made.id = kDefaultProjectId;
    batch.PutProject(made);
  } else if (!config.project_token.empty() && config.project_token != project->api_token) {
    result.warnings.push_back(
        "ACTIOND_PROJECT_TOKEN differs from the stored token of project 1, which is kept "
        "(project tokens never change)");
  }

  ASSIGN_OR_RETURN(std::optional<User> admin, LoadUser(store, kAdminUserId));
  if (!admin || admin->email != config.admin_email) {
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
    user.email = config.admin_email;
    batch.PutMeta(UserMetaKey(kAdminUserId), UserJson(user));
  }

  std::string key_value;
  if (!config.personal_api_key.empty()) {
    if (config.personal_api_key.starts_with("phc_")) {
      return InvalidInput("the personal API key must not be a project token (phc_…)");
    }
    ASSIGN_OR_RETURN(std::optional<storage::ApiKey> existing,
                     store.GetApiKeyByHash(storage::Sha256Hex(config.personal_api_key)));
    if (!existing) key_value = config.personal_api_key;
  } else {
    ASSIGN_OR_RETURN(std::optional<std::string> made_before, store.GetMeta(kStartupKeyMeta));
    if (!made_before) {
      key_value = RandomToken("phx_");
      result.new_personal_api_key = key_value;
    }
  }
  if (!key_value.empty()) {
    ASSIGN_OR_RETURN(storage::ApiKey key,
                     NewApiKey(store, key_value, "Start-up key", {"*"}, {}, kAdminUserId, now_ms));
    batch.PutApiKey(key);
    batch.PutMeta(kStartupKeyMeta, "1");
  }

  if (!batch.empty()) RETURN_IF_ERROR(store.Commit(batch));
  return result;
}

}  // namespace actiond::api
