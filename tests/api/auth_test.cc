#include "api/auth.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/account_service.h"
#include "service/service_stack.h"
#include "tests/storage/temp_dir.h"

namespace actiond::api {
namespace {

Principal WithScopes(std::vector<std::string> scopes, std::vector<int64_t> teams = {}) {
  Principal p;
  p.user_id = 1;
  p.scopes = std::move(scopes);
  p.scoped_teams = std::move(teams);
  return p;
}

TEST(AuthorizeTest, StarAndExactScopesPass) {
  EXPECT_TRUE(Authenticator::Authorize(WithScopes({"*"}), "action:write", 1).ok());
  EXPECT_TRUE(Authenticator::Authorize(WithScopes({"action:read"}), "action:read", 1).ok());
}

TEST(AuthorizeTest, WriteImpliesReadButNotTheOtherWay) {
  EXPECT_TRUE(Authenticator::Authorize(WithScopes({"action:write"}), "action:read", 1).ok());
  const Status status = Authenticator::Authorize(WithScopes({"action:read"}), "action:write", 1);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "API key missing required scope 'action:write'");
  EXPECT_EQ(Authenticator::Authorize(WithScopes({"event:write"}), "action:read", 1).code(),
            StatusCode::kPermissionDenied);
}

TEST(AuthorizeTest, ScopedTeamsLimitTheProjects) {
  const Principal p = WithScopes({"*"}, {2, 3});
  EXPECT_TRUE(Authenticator::Authorize(p, "action:read", 3).ok());
  const Status status = Authenticator::Authorize(p, "action:read", 1);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("project"), std::string_view::npos);
  EXPECT_TRUE(Authenticator::AuthorizeScope(p, "action:read").ok());
}

class AuthenticateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service::ServiceStackOptions options;
    options.data_dir = dir_.db();
    options.clock = [] { return int64_t{1'700'000'000'000}; };
    options.log = [](std::string_view) {};
    Result<std::unique_ptr<service::ServiceStack>> stack =
        service::ServiceStack::Open(std::move(options));
    ASSERT_TRUE(stack.ok()) << stack.status().ToString();
    stack_ = std::move(*stack);
    service::BootstrapSettings settings;
    settings.personal_api_key = "phx_unit_key";
    settings.project_token = "phc_unit_token";
    ASSERT_TRUE(stack_->accounts().Bootstrap(settings).ok());
  }

  Result<Principal> Auth(HttpRequest req) {
    req_ = std::move(req);
    return Authenticator(&stack_->accounts()).Authenticate(RouteRequest(req_));
  }

  static HttpRequest Get(std::string target, std::string authorization = "") {
    HttpRequest req(http::verb::get, target, 11);
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    return req;
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<service::ServiceStack> stack_;
  HttpRequest req_;
};

TEST_F(AuthenticateTest, FindsTheKeyInHeaderQueryOrBody) {
  Result<Principal> p = Auth(Get("/x", "Bearer phx_unit_key"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user_id, service::kAdminUserId);
  EXPECT_EQ(p->scopes, std::vector<std::string>{"*"});
  EXPECT_TRUE(Auth(Get("/x", "bearer   phx_unit_key ")).ok());
  EXPECT_TRUE(Auth(Get("/x?personal_api_key=phx_unit_key")).ok());
  HttpRequest post(http::verb::post, "/x", 11);
  post.body() = R"({"name":"a","personal_api_key":"phx_unit_key"})";
  EXPECT_TRUE(Auth(std::move(post)).ok());
}

TEST_F(AuthenticateTest, MissingWrongAndProjectTokensAre401) {
  EXPECT_EQ(Auth(Get("/x")).status().reason(), StatusReason::kNoCredentials);
  EXPECT_EQ(Auth(Get("/x", "Basic abc")).status().reason(), StatusReason::kNoCredentials);
  const Result<Principal> wrong = Auth(Get("/x", "Bearer phx_other"));
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(),
            "Personal API key found in request Authorization header is invalid.");
  EXPECT_EQ(Auth(Get("/x", "Bearer phc_unit_token")).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthenticateTest, ARevokedKeyFailsAtOnce) {
  ASSERT_TRUE(Auth(Get("/x", "Bearer phx_unit_key")).ok());
  Result<std::vector<service::ApiKey>> keys = stack_->accounts().ListPersonalKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  ASSERT_TRUE(stack_->accounts().RevokePersonalKey(keys->front()).ok());
  EXPECT_EQ(Auth(Get("/x", "Bearer phx_unit_key")).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace actiond::api
