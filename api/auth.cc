#include "api/auth.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>

#include "api/http/http_message.h"
#include "api/log.h"
#include "engine/json_value.h"

namespace actiond::api {
namespace {

struct FoundKey {
  std::string value;
  std::string_view source;  // where it was found, for the error message as PostHog words it
};

// PostHog's PersonalAPIKeyAuthentication looks in this order: the Authorization header, the
// query string, then a JSON body.
std::optional<FoundKey> FindKey(const RouteRequest& request) {
  const std::string_view authorization = TrimOws(request.header(http::field::authorization));
  if (authorization.size() > 7 && boost::beast::iequals(authorization.substr(0, 7), "bearer ")) {
    const std::string_view key = TrimOws(authorization.substr(7));
    if (!key.empty()) return FoundKey{std::string(key), "Authorization header"};
  }
  if (const auto key = request.query_params().Get("personal_api_key"); key && !key->empty()) {
    return FoundKey{std::string(*key), "query string"};
  }
  const std::string& body = request.body();
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && body[first] == '{') {
    if (Result<engine::JsonValue> json = engine::ParseJsonValue(body); json.ok()) {
      const engine::JsonValue* key = json->Find("personal_api_key");
      if (key != nullptr && key->is_string() && !key->string().empty()) {
        return FoundKey{key->string(), "body"};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Principal> Authenticator::Authenticate(const RouteRequest& request) const {
  std::optional<FoundKey> found = FindKey(request);
  if (!found) {
    return Status(StatusCode::kUnauthenticated, "Authentication credentials were not provided.", {},
                  StatusReason::kNoCredentials);
  }
  const Status invalid(
      StatusCode::kUnauthenticated,
      "Personal API key found in request " + std::string(found->source) + " is invalid.");
  // A project token is public (it ships in every web page): it must never open the REST API.
  if (found->value.starts_with("phc_")) return invalid;
  ACTIOND_ASSIGN_OR_RETURN(std::optional<service::ApiKey> key,
                           accounts_->FindPersonalKeyByValue(found->value));
  if (!key) return invalid;
  // last_used_at (docs/api.md, Personal API keys): a failure to note it never fails the request.
  if (Status noted = accounts_->NotePersonalKeyUse(*key); !noted.ok()) {
    ACTIOND_LOG(WARNING) << "noting the use of personal API key " << key->id << ": "
                         << noted.ToString();
  }
  Principal principal;
  principal.key_id = key->id;
  principal.user_id = key->user_id;
  principal.scopes = std::move(key->scopes);
  principal.scoped_teams = std::move(key->scoped_teams);
  return principal;
}

Status Authenticator::Authorize(const Principal& principal, std::string_view scope,
                                int64_t project) {
  ACTIOND_RETURN_IF_ERROR(AuthorizeScope(principal, scope));
  if (!principal.scoped_teams.empty() &&
      std::find(principal.scoped_teams.begin(), principal.scoped_teams.end(), project) ==
          principal.scoped_teams.end()) {
    return Status(StatusCode::kPermissionDenied,
                  "API key does not have access to the requested project: ID " +
                      std::to_string(project) + ".");
  }
  return Status::Ok();
}

Status Authenticator::AuthorizeScope(const Principal& principal, std::string_view scope) {
  bool has_scope = false;
  // "object:write" implies "object:read", as in PostHog's APIScopePermission.
  std::string write_scope;
  if (scope.ends_with(":read")) {
    write_scope.assign(scope.substr(0, scope.size() - 5)).append(":write");
  }
  for (const std::string& s : principal.scopes) {
    if (s == "*" || s == scope || (!write_scope.empty() && s == write_scope)) {
      has_scope = true;
      break;
    }
  }
  if (!has_scope) {
    return Status(StatusCode::kPermissionDenied,
                  "API key missing required scope '" + std::string(scope) + "'");
  }
  return Status::Ok();
}

}  // namespace actiond::api
