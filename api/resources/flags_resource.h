// The endpoints posthog-js calls besides capture, answered so that it runs quietly with no
// feature flags, no session recording and no surveys:
//   /flags, /decide (any of GET, POST, OPTIONS; any query; the body is ignored) → 200 with no
//     flags, `elementsChainAsString: true` and gzip as the supported compression;
//   /array/:token/config → the remote config JSON; /array/:token/config.js → the same as the
//     script posthog-js loads (window._POSTHOG_REMOTE_CONFIG[token]).
// CORS headers on every response (api/http/cors.h). Thread-safety: stateless handlers.
#pragma once

#include <string>

#include "api/http/router.h"

namespace actiond::api {

void RegisterFlagsRoutes(Router& router);

// The /flags body (a fresh requestId each time).
std::string FlagsResponseBody();

}  // namespace actiond::api
