#include "api/resources/personal_keys_resource.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "api/http/json_writer.h"
#include "api/http/request_body.h"
#include "api/project_access.h"
#include "api/rest_route.h"
#include "engine/api_scope.h"
#include "engine/utf8.h"
#include "service/account_service.h"
#include "service/cluster_account_writes.h"

namespace actiond::api {
namespace {

constexpr size_t kMaxLabelChars = 40;

// Whether a key scoped to `teams` reaches no further than `principal`: a key limited to some
// projects must not mint, see or revoke one that reaches other projects (or all of them).
bool WithinReach(const Principal& principal, const std::vector<int64_t>& teams) {
  if (principal.scoped_teams.empty()) return true;
  return !teams.empty() && std::all_of(teams.begin(), teams.end(), [&](int64_t id) {
    return std::find(principal.scoped_teams.begin(), principal.scoped_teams.end(), id) !=
           principal.scoped_teams.end();
  });
}

struct NewKeyRequest {
  std::string label;
  std::vector<std::string> scopes;
  std::vector<int64_t> scoped_teams;
};

Result<NewKeyRequest> ParseNewKey(const Services& services, const Principal& principal,
                                  const engine::JsonValue& body) {
  NewKeyRequest out;
  const engine::JsonValue* label = body.Find("label");
  if (label == nullptr || label->is_null()) return Required("This field is required.", "label");
  if (!label->is_string()) return InvalidInput("Not a valid string.", "label");
  if (label->string().find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidInput("This field may not be blank.", "label");
  }
  if (engine::CountCodePoints(label->string()) > kMaxLabelChars) {
    return InvalidInput("Ensure this field has no more than 40 characters.", "label");
  }
  out.label = label->string();

  const engine::JsonValue* scopes = body.Find("scopes");
  if (scopes == nullptr || scopes->is_null()) return Required("This field is required.", "scopes");
  if (!scopes->is_array() || scopes->items().empty()) {
    return InvalidInput("Expected a non-empty list of scopes.", "scopes");
  }
  for (const engine::JsonValue& scope : scopes->items()) {
    if (!scope.is_string() || !engine::IsPostHogScope(scope.string())) {
      return InvalidInput("Invalid scope: " + (scope.is_string() ? scope.string() : scope.ToJson()),
                          "scopes");
    }
    out.scopes.push_back(scope.string());
  }

  if (const engine::JsonValue* teams = body.Find("scoped_teams");
      teams != nullptr && !teams->is_null()) {
    if (!teams->is_array()) return InvalidInput("Expected a list of project ids.", "scoped_teams");
    for (const engine::JsonValue& team : teams->items()) {
      const std::optional<int64_t> id = team.int_value();
      if (!id) return InvalidInput("Expected a list of project ids.", "scoped_teams");
      ACTIOND_ASSIGN_OR_RETURN(std::optional<service::Project> project,
                               services.accounts->FindProject(*id));
      if (!project) {
        return InvalidInput("Project " + std::to_string(*id) + " does not exist.", "scoped_teams");
      }
      if (std::find(out.scoped_teams.begin(), out.scoped_teams.end(), *id) ==
          out.scoped_teams.end()) {
        out.scoped_teams.push_back(*id);
      }
    }
  }
  if (!WithinReach(principal, out.scoped_teams)) {
    return Status(StatusCode::kPermissionDenied,
                  "A key scoped to some projects can only create keys scoped within them.");
  }
  return out;
}

void WriteKeyJson(const service::ApiKey& key, const std::string* value, JsonWriter& w) {
  w.BeginObject().MemberInt("id", key.id).Member("label", key.label);
  if (value != nullptr) w.Member("value", *value);
  w.Member("mask_value", key.mask_value).Member("created_at", key.created_at);
  if (key.last_used_at.empty()) {
    w.MemberNull("last_used_at");
  } else {
    w.Member("last_used_at", key.last_used_at);
  }
  w.MemberInt("user_id", key.user_id);
  w.Key("scopes").BeginArray();
  for (const std::string& scope : key.scopes) w.String(scope);
  w.EndArray();
  w.Key("scoped_teams").BeginArray();
  for (const int64_t team : key.scoped_teams) w.Int(team);
  w.EndArray();
  w.Key("scoped_organizations").BeginArray().EndArray();
  w.MemberNull("last_rolled_at").EndObject();
}

Status CreateKey(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal,
                           AuthorizeScopes(services, rr, {"personal_api_key:write"}));
  ACTIOND_ASSIGN_OR_RETURN(const engine::JsonValue body, ParseJsonObjectBody(rr.body()));
  ACTIOND_ASSIGN_OR_RETURN(NewKeyRequest request, ParseNewKey(services, principal, body));
  // Cluster mode: through the meta log, so that every node accepts the key (docs/cluster.md
  // §Personal keys).
  ACTIOND_ASSIGN_OR_RETURN(
      const service::CreatedPersonalKey created,
      services.cluster != nullptr
          ? service::CreatePersonalKeyInCluster(*services.cluster, *services.accounts,
                                                std::move(request.label), std::move(request.scopes),
                                                std::move(request.scoped_teams), principal.user_id)
          : services.accounts->CreatePersonalKey(
                std::move(request.label), std::move(request.scopes),
                std::move(request.scoped_teams), principal.user_id));
  JsonWriter w(reply.body);
  WriteKeyJson(created.key, &created.value, w);
  return Status::Ok();
}

Status ListKeys(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal,
                           AuthorizeScopes(services, rr, {"personal_api_key:read"}));
  ACTIOND_ASSIGN_OR_RETURN(const std::vector<service::ApiKey> keys,
                           services.accounts->ListPersonalKeys());
  JsonWriter w(reply.body);
  w.BeginArray();
  for (const service::ApiKey& key : keys) {
    if (key.user_id == principal.user_id && WithinReach(principal, key.scoped_teams)) {
      WriteKeyJson(key, nullptr, w);
    }
  }
  w.EndArray();
  return Status::Ok();
}

// The caller's key named by the path; 404 for another user's key, or one that reaches
// further than the caller, as for a missing one.
Result<service::ApiKey> OwnKey(const Services& services, const RouteRequest& rr,
                               const Principal& principal) {
  const std::string_view id_text = rr.Param("id");
  const int64_t id = ParseNonNegativeInt(id_text, -1);
  if (id < 0) return NotFound("Not found.");
  ACTIOND_ASSIGN_OR_RETURN(std::optional<service::ApiKey> key,
                           services.accounts->FindPersonalKey(id));
  if (!key || key->user_id != principal.user_id || !WithinReach(principal, key->scoped_teams)) {
    return NotFound("Not found.");
  }
  return std::move(*key);
}

// `@current`: the key of the request itself, as in PostHog. It needs no scope, so that a client
// (the web page, docs/web.md) can learn what its key may do before offering to do it.
Status GetCurrentKey(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal, services.auth->Authenticate(rr));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<service::ApiKey> key,
                           services.accounts->FindPersonalKey(principal.key_id));
  if (!key) return NotFound("Not found.");
  JsonWriter w(reply.body);
  WriteKeyJson(*key, nullptr, w);
  return Status::Ok();
}

Status GetKey(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  if (rr.Param("id") == "@current") return GetCurrentKey(services, rr, reply);
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal,
                           AuthorizeScopes(services, rr, {"personal_api_key:read"}));
  ACTIOND_ASSIGN_OR_RETURN(const service::ApiKey key, OwnKey(services, rr, principal));
  JsonWriter w(reply.body);
  WriteKeyJson(key, nullptr, w);
  return Status::Ok();
}

Status DeleteKey(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal,
                           AuthorizeScopes(services, rr, {"personal_api_key:write"}));
  ACTIOND_ASSIGN_OR_RETURN(const service::ApiKey key, OwnKey(services, rr, principal));
  return services.cluster != nullptr ? service::RevokePersonalKeyInCluster(*services.cluster, key)
                                     : services.accounts->RevokePersonalKey(key);
}

}  // namespace

void RegisterPersonalKeyRoutes(Router& router, const Services& services) {
  router.Add(http::verb::post, "/api/personal_api_keys",
             RestRoute(services, CreateKey, http::status::created));
  router.Add(http::verb::get, "/api/personal_api_keys", RestRoute(services, ListKeys));
  router.Add(http::verb::get, "/api/personal_api_keys/:id", RestRoute(services, GetKey));
  router.Add(http::verb::delete_, "/api/personal_api_keys/:id",
             RestRoute(services, DeleteKey, http::status::no_content));
}

}  // namespace actiond::api
