// What a start-up makes sure exists before the server takes requests (docs/operations.md §1 "First
// start"):
//   - the default project, id 1, "Default project", its token from AppConfig::project_token or
//     a random `phc_…` (tokens never change once stored: a different token given on a later
//     start is ignored with a warning);
//   - the admin user, id 1 (email from AppConfig::admin_email, updated when it changes);
//   - the start-up personal API key (scopes ["*"], every project, owned by the admin):
//     AppConfig::personal_api_key when set (added when the store does not hold it yet), else a
//     random `phx_…` made on the very first start only.
// Everything is written in one commit. Secrets made here are returned so that the caller
// prints them once; they cannot be recovered later (only hashes are stored).
//
// Errors: the Store's; kInvalidInput when the configured project token already belongs to
// another project, or the configured key is a project token. Call once, before serving.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/app.h"
#include "engine/status.h"
#include "storage/store.h"

namespace actiond::api {

struct BootstrapResult {
  std::optional<std::string> new_project_token;     // made at random on this start
  std::optional<std::string> new_personal_api_key;  // made at random on this start
  std::vector<std::string> warnings;
};

Result<BootstrapResult> Bootstrap(storage::Store& store, const AppConfig& config, int64_t now_ms);

}  // namespace actiond::api
