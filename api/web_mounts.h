// The static mounts of App: the web page (--web-dir at `/`, docs/web.md) and posthog-js
// (--posthog-js-dir at `/static/`, docs/operations.md §Configuration), both served by
// api/http/static_files.h.
//
// Where the page comes from when --web-dir is not given: the first directory holding an
// index.html of
//   1. `<directory of the executable>/../share/actiond/web` — an installed binary
//      (`cmake --install`, the package, the Docker image);
//   2. the source tree's `web/`, whose path is compiled in — `tools/run.sh` and the build
//      directories of a checkout.
// Without one the server starts without a page (a warning says so) rather than refusing: the
// API is what most deployments need.
#pragma once

#include <string>

#include "api/app_config.h"
#include "api/http/router.h"
#include "engine/status.h"

namespace actiond::api {

// The page's Content-Security-Policy: its own origin only, no inline script or style, no
// eval, no frames (docs/web.md §Security).
inline constexpr std::string_view kWebContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The web directory to serve: `config.web_dir` when set, else the defaults above; "" when
// there is none.
std::string ResolveWebDir(const AppConfig& config);

// Mounts the page (when there is one) and posthog-js (when --posthog-js-dir is set). An explicit
// --web-dir or --posthog-js-dir that is not a directory is kNotFound naming the flag.
// `*web_dir` is set to the directory served ("" for none).
[[nodiscard]] Status MountWebFiles(const AppConfig& config, Router& router, std::string* web_dir);

}  // namespace actiond::api
