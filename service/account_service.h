// AccountService: projects, users and personal API keys — everything about who may call the
// API and on which project, and the start-up bootstrap that makes sure the first of each exists.
// api/ never writes these records itself: it calls this service.
//
// Projects get ids from the store's "project" sequence and a random `phc_…` token that never
// changes once stored. Keys get ids from the "api_key" sequence; only the SHA-256 of a key's
// value is stored (FindPersonalKeyByValue hashes what a request carries), with its mask
// (`phx_...abcd`, PostHog's mask_key_value) for listings. actiond has one user, the admin
// (kAdminUserId), kept in the store's meta as the JSON object the API shows wherever a user
// appears (an action's `created_by`): {"id","uuid","distinct_id","first_name","email",
// "is_email_verified"}.
//
// Bootstrap (docs/architecture.md, "Start-up") makes sure, in one commit:
//   - the default project, id 1, "Default project", its token from settings.project_token or a
//     random `phc_…` (a different token given on a later start is ignored with a warning);
//   - the admin user, id 1 (email from settings.admin_email, updated when it changes);
//   - the start-up personal API key (scopes ["*"], every project, owned by the admin):
//     settings.personal_api_key when set (added when the store does not hold it yet), else a
//     random `phx_…` made on the very first start only.
// Secrets made there are returned so that the caller prints them once; they cannot be
// recovered later.
//
// Errors: the Store's (kIoError, kCorruption); Bootstrap also kInvalidInput when the configured
// project token already belongs to another project or the configured key is a project token.
// Absence is never an error: Find* return nullopt.
// Thread-safety: every method may be called from any thread at once (each write is one commit
// of records nobody else writes), except Bootstrap, which runs once before serving.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/domain_types.h"
#include "service/project_locks.h"
#include "service/webhook_catalog.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

inline constexpr int64_t kAdminUserId = 1;
inline constexpr ProjectId kDefaultProjectId = 1;

struct ProjectUpdate {
  std::optional<std::string> name;
  std::optional<std::string> slack_incoming_webhook;
};

// A user is what an action's `created_by` shows, field for field.
using User = ActionCreator;

// What a start-up is configured with (the ACTIOND_* environment or flags); empty strings mean
// "not configured".
struct BootstrapSettings {
  std::string project_token;
  std::string personal_api_key;
  std::string admin_email;
};

struct BootstrapResult {
  std::optional<std::string> new_project_token;     // made at random on this start
  std::optional<std::string> new_personal_api_key;  // made at random on this start
  std::vector<std::string> warnings;
};

// A key as just created: the record and its secret value, which is shown this once.
struct CreatedPersonalKey {
  ApiKey key;
  std::string value;
};

class AccountService {
 public:
  // `store` must outlive the service; `clock` stamps created_at.
  // `locks` and `webhooks` may be null (tests without webhooks); then UpdateProject does not
  // publish the project's webhook URL.
  AccountService(storage::Store* store, ClockFunction clock, ProjectLocks* locks = nullptr,
                 WebhookCatalog* webhooks = nullptr);

  Result<BootstrapResult> Bootstrap(const BootstrapSettings& settings);

  // --- Projects ---------------------------------------------------------------------------
  // A new project named `name` with a random token. The name is the caller's to validate.
  Result<Project> CreateProject(std::string name);
  // The project whose token is `api_token`, created named `name` (the next id) unless a
  // project already has the token — then that project, unchanged. Cluster mode creates
  // projects this way, from the meta log (docs/cluster.md §Projects): a redelivered record
  // changes nothing. Not safe to call for one token from two threads at once (the meta
  // applier is its only caller).
  Result<Project> CreateProjectWithToken(std::string name, std::string api_token);
  Result<std::optional<Project>> FindProject(ProjectId id) const;
  Result<std::optional<Project>> FindProjectByToken(std::string_view api_token) const;
  Result<std::vector<Project>> ListProjects() const;  // ascending id
  // PATCH: changes the fields given. The name is the caller's to validate; the webhook URL is
  // checked here (ValidateWebhookUrl, attr `slack_incoming_webhook`; "" clears it) and
  // published to the WebhookCatalog under the project's lock, so that every event committed
  // after the answer uses it. kNotFound for an unknown project.
  Result<Project> UpdateProject(ProjectId id, const ProjectUpdate& update);

  // --- Personal API keys --------------------------------------------------------------------
  // A new key with a random `phx_…` value, owned by `user_id`. Scopes and teams are the
  // caller's to validate.
  Result<CreatedPersonalKey> CreatePersonalKey(std::string label, std::vector<std::string> scopes,
                                               std::vector<int64_t> scoped_teams, int64_t user_id);
  Result<std::optional<ApiKey>> FindPersonalKey(int64_t id) const;
  // The key whose value is `value` (looked up by its hash); nullopt for an unknown or revoked
  // value.
  Result<std::optional<ApiKey>> FindPersonalKeyByValue(std::string_view value) const;
  Result<std::vector<ApiKey>> ListPersonalKeys() const;  // ascending id
  // Records that `key` was just used: sets its last_used_at to now, at most once a minute per
  // key (one write a minute, not one per request); a key revoked meanwhile stays revoked.
  // Thread-safe.
  Status NotePersonalKeyUse(const ApiKey& key) const;
  // Deletes the key: a request carrying it fails from the next lookup on.
  Status RevokePersonalKey(const ApiKey& key);

  // Cluster mode (docs/cluster.md §Personal keys): keys are made by one node and stored by every
  // node from the meta log. MakePersonalKey draws the value and builds the record (id 0) without
  // storing anything; AddPersonalKey stores a record read from the log under this node's next id,
  // unless a key with its hash exists (a record applied twice), which it then returns;
  // RevokePersonalKeyByHash deletes the key with that hash, when there is one.
  Result<CreatedPersonalKey> MakePersonalKey(std::string label, std::vector<std::string> scopes,
                                             std::vector<int64_t> scoped_teams,
                                             int64_t user_id) const;
  Result<ApiKey> AddPersonalKey(ApiKey key);
  Status RevokePersonalKeyByHash(std::string_view secure_value_hash);

  // --- Users ----------------------------------------------------------------------------------
  Result<std::optional<User>> FindUser(int64_t user_id) const;
  // The user's JSON object as the API shows it (also its stored form).
  Result<std::optional<std::string>> FindUserJson(int64_t user_id) const;

 private:
  // A project record named `name` with `api_token`, created now, its id 0.
  Project ProjectRecord(std::string name, std::string api_token) const;
  // That record with the next id, not yet stored (the default project's bootstrap).
  Result<Project> NewProject(std::string name, std::string api_token);
  // Stores a new project under the next project id, taken in the same commit
  // (Store::CommitWithNextId): a failed commit, or a crash before it, uses up no id, so every
  // node of a cluster gives the same project the same id.
  Result<Project> CommitNewProject(std::string name, std::string api_token);
  Result<ApiKey> NewApiKey(std::string_view value, std::string label,
                           std::vector<std::string> scopes, std::vector<int64_t> scoped_teams,
                           int64_t user_id);
  // The record of a key with `value`, its id 0.
  ApiKey KeyRecord(std::string_view value, std::string label, std::vector<std::string> scopes,
                   std::vector<int64_t> scoped_teams, int64_t user_id) const;

  storage::Store* store_;
  ClockFunction clock_;
  ProjectLocks* locks_;
  WebhookCatalog* webhooks_;
  // Serialises last_used_at writes with revocations; when each key's was last written.
  // Mutable: noting a use is bookkeeping of the authenticator's const lookups.
  mutable std::mutex key_use_mutex_;
  mutable std::map<int64_t, int64_t> key_use_written_ms_;
};

// PostHog's mask_key_value: `phx_...abcd` (the first and last four characters), or eight
// asterisks for a value shorter than eight.
std::string MaskKeyValue(std::string_view value);

}  // namespace actiond::service
