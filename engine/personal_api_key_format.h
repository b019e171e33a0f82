// What a personal API key given at start (--personal-api-key, its file or ACTIOND_PERSONAL_API_KEY)
// must look like, so that a typo or a project token (phc_…) is refused before it becomes the
// admin's key (docs/operations.md §Secrets): "phx_" and more characters, each a letter, a digit,
// '_' or '-' — the alphabet of the keys actiond and PostHog generate (43 after "phx_").
// Fewer than kMinPersonalApiKeySecretChars is refused; fewer than kRecommended… is accepted
// with a warning, because the shared conformance runner starts actiond with a 29-character
// key (docs/operations.md §Secrets says so).
#pragma once

#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

inline constexpr size_t kMinPersonalApiKeySecretChars = 16;
inline constexpr size_t kRecommendedPersonalApiKeySecretChars = 32;

// Ok, or kInvalidInput saying what is wrong, never quoting the key itself.
Status CheckPersonalApiKeyFormat(std::string_view key);
// True for a key CheckPersonalApiKeyFormat accepts with fewer than the recommended characters.
bool PersonalApiKeyIsShort(std::string_view key) noexcept;

}  // namespace actiond::engine
