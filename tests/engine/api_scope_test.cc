#include "engine/api_scope.h"

#include <gtest/gtest.h>

namespace actiond::engine {
namespace {

TEST(ApiScopeTest, AcceptsPostHogObjectsWithReadOrWriteAndTheWildcard) {
  for (const char* scope : {"*", "action:read", "action:write", "query:read", "person:read",
                            "webhook:write", "organization_member:read", "event:read"}) {
    EXPECT_TRUE(IsPostHogScope(scope)) << scope;
  }
}

TEST(ApiScopeTest, RefusesUnknownObjectsAccessesAndShapes) {
  for (const char* scope :
       {"actions:read", "action:delete", "action", ":read", "action:", "Action:read",
        "action:read:x", "**", "", " action:read", "events:read"}) {
    EXPECT_FALSE(IsPostHogScope(scope)) << scope;
  }
}

}  // namespace
}  // namespace actiond::engine
