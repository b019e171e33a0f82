// Personal API keys on the REST API (docs/api.md §3).
//
// A request carries its key as `Authorization: Bearer phx_…`, or as `personal_api_key` in the
// query string or in a JSON body. Keys are looked up by the SHA-256 of their value (only hashes
// are stored). Project tokens (`phc_…`) never authenticate here.
//
// Errors, in PostHog's shape through api/error_response.h:
//   no key                         → 401 not_authenticated
//   unknown/revoked key, phc_ token → 401 authentication_failed
//   key without the needed scope   → 403 permission_denied, naming the scope
//   key scoped to other projects   → 403 permission_denied
// Thread-safety: const methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/router.h"
#include "engine/status.h"
#include "service/account_service.h"

namespace actiond::api {

// Who is calling: the user and key behind a request.
struct Principal {
  int64_t key_id = 0;  // the personal API key that authenticated the request
  int64_t user_id = 0;
  std::vector<std::string> scopes;    // "action:read", "action:write", "*"
  std::vector<int64_t> scoped_teams;  // empty: every project
};

class Authenticator {
 public:
  // `accounts` must outlive the authenticator.
  explicit Authenticator(const service::AccountService* accounts) : accounts_(accounts) {}

  Result<Principal> Authenticate(const RouteRequest& request) const;

  // OK when `principal` holds `scope` (or "*", or "<object>:write" for "<object>:read") and may
  // see `project`; a 403 status otherwise.
  static Status Authorize(const Principal& principal, std::string_view scope, int64_t project);
  // The scope check alone, for requests about no single project (listing projects, keys).
  static Status AuthorizeScope(const Principal& principal, std::string_view scope);

 private:
  const service::AccountService* accounts_;
};

}  // namespace actiond::api
