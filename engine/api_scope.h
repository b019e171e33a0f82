// The scopes a personal API key may carry, as PostHog validates them (posthog/scopes.py:
// API_SCOPE_OBJECTS × API_SCOPE_ACTIONS, and "*"; docs/api.md, Personal API keys). A scope is
// "*" or "<object>:<read|write>" with an object from PostHog's list: "action:read" is one,
// "actions:read" is not (PostHog answers 400 "Invalid scope: actions:read"). One object is
// actiond's own: `event`, the scope of its events API, where PostHog uses
// `query` (docs/api.md §3 lists what each endpoint takes).
#pragma once

#include <string_view>

namespace actiond::engine {

bool IsPostHogScope(std::string_view scope) noexcept;

}  // namespace actiond::engine
