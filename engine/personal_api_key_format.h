// What a personal API key given at start (--personal-api-key, its file or ACTIOND_PERSONAL_API_KEY)
// must look like, so that a typo or a project token (phc_…) is refused before it becomes the
// admin's key (docs/operations.md §Secrets): "phx_" and at least 32 more characters, each a
// letter, a digit, '_' or '-' — the alphabet of the keys actiond and PostHog generate.
#pragma once

#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

inline constexpr size_t kMinPersonalApiKeySecretChars = 32;

// Ok, or kInvalidInput saying what is wrong, never quoting the key itself.
Status CheckPersonalApiKeyFormat(std::string_view key);

}  // namespace actiond::engine
