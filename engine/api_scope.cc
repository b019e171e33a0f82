#include "engine/api_scope.h"

#include <algorithm>
#include <iterator>

namespace actiond::engine {
namespace {

// PostHog's API_SCOPE_OBJECTS (posthog/scopes.py), in its order.
constexpr std::string_view kScopeObjects[] = {
    "action",
    "activity_log",
    "annotation",
    "batch_export",
    "cohort",
    "dashboard",
    "dashboard_template",
    "early_access_feature",
    "error_tracking",
    "event_definition",
    "experiment",
    "export",
    "feature_flag",
    "file_system",
    "file_system_shortcut",
    "group",
    "hog_function",
    "insight",
    "link",
    "notebook",
    "organization",
    "organization_member",
    "person",
    "persisted_folder",
    "plugin",
    "project",
    "property_definition",
    "query",
    "session_recording",
    "session_recording_playlist",
    "sharing_configuration",
    "subscription",
    "survey",
    "user",
    "user_interview_DO_NOT_USE",
    "webhook",
    "logs",
    "chat_conversation",
    // actiond's own: the events API's scope (docs/api.md §3).
    "event",
};

}  // namespace

bool IsPostHogScope(std::string_view scope) noexcept {
  if (scope == "*") return true;
  const size_t colon = scope.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  const std::string_view object = scope.substr(0, colon);
  const std::string_view access = scope.substr(colon + 1);
  if (access != "read" && access != "write") return false;
  return std::find(std::begin(kScopeObjects), std::end(kScopeObjects), object) !=
         std::end(kScopeObjects);
}

}  // namespace actiond::engine
