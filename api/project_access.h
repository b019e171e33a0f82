// The access check every project-scoped REST endpoint starts with:
//   1. authenticate the personal API key (401, api/auth.h);
//   2. read the `:project_id` path parameter: a non-negative integer, or `@current` (project 1)
//      — anything else is 404;
//   3. authorize one of `scopes` on that project (403 naming the first scope, or the project);
//   4. load the project (404 `not_found` when there is none).
// Thread-safety: as the AccountService and Authenticator it uses (safe from any thread).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "api/auth.h"
#include "api/http/router.h"
#include "api/services.h"
#include "engine/status.h"
#include "service/domain_types.h"

namespace actiond::api {

inline constexpr int64_t kCurrentProjectId = 1;  // what `@current` stands for

// A path segment as a project id; nullopt when it is neither a number nor `@current`.
std::optional<int64_t> ParseProjectId(std::string_view segment) noexcept;

struct ProjectAccess {
  Principal principal;
  service::Project project;
};

// Steps 1-4 above for the request's `:project_id`. `scopes` holds any scope that suffices
// (e.g. {"event:read", "action:read"}).
Result<ProjectAccess> AuthorizeProject(const Services& services, const RouteRequest& request,
                                       std::initializer_list<std::string_view> scopes);

// Steps 1 and 3 without a project (project listings, personal API keys).
Result<Principal> AuthorizeScopes(const Services& services, const RouteRequest& request,
                                  std::initializer_list<std::string_view> scopes);

// The webhook service, or kUnavailable when the server runs without webhooks (Services says
// when that is); the hooks and webhook_deliveries resources start with it.
Result<service::WebhookService*> RequireWebhooks(const Services& services);

}  // namespace actiond::api
