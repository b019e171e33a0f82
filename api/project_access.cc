#include "api/project_access.h"

#include "service/account_service.h"

namespace actiond::api {
namespace {

// Tries each sufficient scope; the error of the first is the one reported.
template <typename Check>
Status AnyScope(std::initializer_list<std::string_view> scopes, Check check) {
  Status first;
  for (const std::string_view scope : scopes) {
    Status status = check(scope);
    if (status.ok()) return status;
    if (first.ok()) first = std::move(status);
  }
  return first.ok() ? Status(StatusCode::kPermissionDenied, "No scope suffices.") : first;
}

}  // namespace

std::optional<int64_t> ParseProjectId(std::string_view segment) noexcept {
  if (segment == "@current") return kCurrentProjectId;
  return ParseDecimalId(segment);
}

Result<Principal> AuthorizeScopes(const Services& services, const RouteRequest& request,
                                  std::initializer_list<std::string_view> scopes) {
  ACTIOND_ASSIGN_OR_RETURN(Principal principal, services.auth->Authenticate(request));
  ACTIOND_RETURN_IF_ERROR(AnyScope(scopes, [&](std::string_view scope) {
    return Authenticator::AuthorizeScope(principal, scope);
  }));
  return principal;
}

Result<ProjectAccess> AuthorizeProject(const Services& services, const RouteRequest& request,
                                       std::initializer_list<std::string_view> scopes) {
  ACTIOND_ASSIGN_OR_RETURN(Principal principal, services.auth->Authenticate(request));
  const std::optional<int64_t> id = ParseProjectId(request.Param("project_id"));
  if (!id) return NotFound("Not found.");
  ACTIOND_RETURN_IF_ERROR(AnyScope(scopes, [&](std::string_view scope) {
    return Authenticator::Authorize(principal, scope, *id);
  }));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<service::Project> project,
                           services.accounts->FindProject(*id));
  if (!project) return NotFound("Project not found.");
  return ProjectAccess{std::move(principal), std::move(*project)};
}

Result<service::WebhookService*> RequireWebhooks(const Services& services) {
  if (services.webhooks == nullptr) {
    return Status(StatusCode::kUnavailable, "Webhooks are not enabled on this server.");
  }
  return services.webhooks;
}

}  // namespace actiond::api
