#include "api/account_records.h"

#include "engine/date_time.h"
#include "engine/json_value.h"
#include "storage/sha256.h"

namespace actiond::api {

Result<storage::Project> NewProject(storage::Store& store, std::string name, std::string api_token,
                                    int64_t now_ms) {
  ASSIGN_OR_RETURN(const int64_t id, store.NextId("project"));
  storage::Project project;
  project.id = id;
  project.name = std::move(name);
  project.api_token = std::move(api_token);
  project.created_at = engine::FormatIso8601(now_ms);
  return project;
}

std::string MaskKeyValue(std::string_view value) {
  if (value.size() < 8) return "********";
  return std::string(value.substr(0, 4)) + "..." + std::string(value.substr(value.size() - 4));
}

Result<storage::ApiKey> NewApiKey(storage::Store& store, std::string_view value, std::string label,
                                  std::vector<std::string> scopes,
                                  std::vector<int64_t> scoped_teams, int64_t user_id,
                                  int64_t now_ms) {
  ASSIGN_OR_RETURN(const int64_t id, store.NextId("api_key"));
  storage::ApiKey key;
  key.id = id;
  key.label = std::move(label);
  key.secure_value_hash = storage::Sha256Hex(value);
  key.scopes = std::move(scopes);
  key.scoped_teams = std::move(scoped_teams);
  key.user_id = user_id;
  key.created_at = engine::FormatIso8601(now_ms);
  key.mask_value = MaskKeyValue(value);
  return key;
}

std::string UserMetaKey(int64_t user_id) { return "user/" + std::to_string(user_id); }

std::string UserJson(const User& user) { return storage::EncodeActionCreator(user); }

Result<std::optional<std::string>> LoadUserJson(const storage::Store& store, int64_t user_id) {
  return store.GetMeta(UserMetaKey(user_id));
}

Result<std::optional<User>> LoadUser(const storage::Store& store, int64_t user_id) {
  ASSIGN_OR_RETURN(std::optional<std::string> json, LoadUserJson(store, user_id));
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

}  // namespace actiond::api
