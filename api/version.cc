#include "api/version.h"

#ifndef ACTIOND_VERSION
#define ACTIOND_VERSION "unknown"
#endif
#ifndef ACTIOND_GIT_COMMIT
#define ACTIOND_GIT_COMMIT "unknown"
#endif

namespace actiond::api {

std::string_view Version() noexcept { return ACTIOND_VERSION; }
std::string_view GitCommit() noexcept { return ACTIOND_GIT_COMMIT; }

}  // namespace actiond::api
