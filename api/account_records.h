// New projects, personal API keys and users as the REST API and start-up create them: ids from
// the store's sequences, created_at from the caller's clock, secrets kept only as hashes.
//
// Users: actiond has one, the admin (id 1). A user is kept in the store's meta under
// UserMetaKey(id) as the JSON object the API shows wherever a user appears (an action's
// `created_by`): {"id","uuid","distinct_id","first_name","email","is_email_verified"}.
//
// Errors: the Store's (kIoError, kCorruption). Thread-safety: as the Store (safe from any
// thread); the functions write nothing themselves — callers put the records in a WriteBatch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "storage/action_record.h"
#include "storage/records.h"
#include "storage/store.h"

namespace actiond::api {

inline constexpr int64_t kAdminUserId = 1;

// A project with the next id of the "project" sequence.
Result<storage::Project> NewProject(storage::Store& store, std::string name, std::string api_token,
                                    int64_t now_ms);

// The record of a personal API key whose secret is `value`: id from the "api_key" sequence,
// the value's SHA-256 and its mask (`phx_...abcd`, PostHog's mask_key_value).
Result<storage::ApiKey> NewApiKey(storage::Store& store, std::string_view value, std::string label,
                                  std::vector<std::string> scopes,
                                  std::vector<int64_t> scoped_teams, int64_t user_id,
                                  int64_t now_ms);
std::string MaskKeyValue(std::string_view value);

// A user is what an action's `created_by` shows, field for field.
using User = storage::ActionCreator;

std::string UserMetaKey(int64_t user_id);
// The user's API JSON (also its stored form): storage::EncodeActionCreator.
std::string UserJson(const User& user);
Result<std::optional<User>> LoadUser(const storage::Store& store, int64_t user_id);
// The stored JSON of the user, or nullopt when there is no such user.
Result<std::optional<std::string>> LoadUserJson(const storage::Store& store, int64_t user_id);

}  // namespace actiond::api
