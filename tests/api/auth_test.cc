#include "api/auth.h"

#include <gtest/gtest.h>

#include "api/account_records.h"
#include "api/bootstrap.h"
#include "storage/store.h"
#include "storage/write_batch.h"
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
    Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(dir_.db());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    AppConfig config;
    config.personal_api_key = "phx_unit_key";
    config.project_token = "phc_unit_token";
    ASSERT_TRUE(Bootstrap(*store_, config, 1'700'000'000'000).ok());
  }

  Result<Principal> Auth(HttpRequest req) {
    req_ = std::move(req);
    return Authenticator(store_.get()).Authenticate(RouteRequest(req_));
  }

  static HttpRequest Get(std::string target, std::string authorization = "") {
    HttpRequest req(http::verb::get, target, 11);
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    return req;
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  HttpRequest req_;
};

TEST_F(AuthenticateTest, FindsTheKeyInHeaderQueryOrBody) {
  Result<Principal> p = Auth(Get("/x", "Bearer phx_unit_key"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user_id, kAdminUserId);
  EXPECT_EQ(p->scopes, std::vector<std::string>{"*"});
  EXPECT_TRUE(Auth(Get("/x", "bearer   phx_unit_key ")).ok());
  EXPECT_TRUE(Auth(Get("/x?personal_api_key=phx_unit_key")).ok());
  HttpRequest post(http::verb::post, "/x", 11);
  post.body() = R"({"name":"a","personal_api_key":"phx_unit_key"})";
  EXPECT_TRUE(Auth(std::move(post)).ok());
}

TEST_F(AuthenticateTest, MissingWrongAndProjectTokensAre401) {
  EXPECT_EQ(Auth(Get("/x")).status().code(), StatusCode::kNotAuthenticated);
  EXPECT_EQ(Auth(Get("/x", "Basic abc")).status().code(), StatusCode::kNotAuthenticated);
  const Result<Principal> wrong = Auth(Get("/x", "Bearer phx_other"));
  EXPECT_EQ(wrong.status().code(), StatusCode::kAuthFailed);
  EXPECT_EQ(wrong.status().message(),
            "Personal API key found in request Authorization header is invalid.");
  EXPECT_EQ(Auth(Get("/x", "Bearer phc_unit_token")).status().code(), StatusCode::kAuthFailed);
}

TEST_F(AuthenticateTest, ARevokedKeyFailsAtOnce) {
  ASSERT_TRUE(Auth(Get("/x", "Bearer phx_unit_key")).ok());
  Result<std::vector<storage::ApiKey>> keys = store_->ListApiKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  storage::WriteBatch batch(*store_);
  batch.DeleteApiKey(keys->front());
  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_EQ(Auth(Get("/x", "Bearer phx_unit_key")).status().code(), StatusCode::kAuthFailed);
}

TEST_F(AuthenticateTest, BootstrapIsIdempotentAndAddsALaterEnvKey) {
  AppConfig config;
  config.personal_api_key = "phx_unit_key";
  config.project_token = "phc_unit_token";
  Result<BootstrapResult> again = Bootstrap(*store_, config, 1'700'000'001'000);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->new_project_token.has_value());
  EXPECT_FALSE(again->new_personal_api_key.has_value());
  EXPECT_EQ(store_->ListApiKeys()->size(), 1u);

  config.personal_api_key = "phx_second";
  config.project_token = "phc_changed";
  again = Bootstrap(*store_, config, 1'700'000'002'000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->warnings.size(), 1u);  // the stored token is kept
  EXPECT_EQ(store_->GetProject(1)->value().api_token, "phc_unit_token");
  EXPECT_TRUE(Auth(Get("/x", "Bearer phx_second")).ok());
  EXPECT_TRUE(Auth(Get("/x", "Bearer phx_unit_key")).ok());

  // Without an env key, no random key is made on a later start.
  config.personal_api_key.clear();
  again = Bootstrap(*store_, config, 1'700'000'003'000);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->new_personal_api_key.has_value());
}

TEST(BootstrapTest, FirstStartWithoutSecretsMakesThem) {
  storage::testing::TempDir dir;
  Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(dir.db());
  ASSERT_TRUE(store.ok());
  AppConfig config;
  config.admin_email = "ops@example.com";
  Result<BootstrapResult> boot = Bootstrap(**store, config, 1'700'000'000'000);
  ASSERT_TRUE(boot.ok()) << boot.status().ToString();
  ASSERT_TRUE(boot->new_project_token.has_value());
  ASSERT_TRUE(boot->new_personal_api_key.has_value());
  EXPECT_EQ(boot->new_project_token->size(), 4u + 43u);
  EXPECT_TRUE(boot->new_personal_api_key->starts_with("phx_"));
  const std::optional<storage::Project> project = (*store)->GetProject(1).value();
  ASSERT_TRUE(project.has_value());
  EXPECT_EQ(project->name, "Default project");
  EXPECT_EQ(project->api_token, *boot->new_project_token);
  const std::optional<User> admin = LoadUser(**store, kAdminUserId).value();
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->email, "ops@example.com");
  EXPECT_EQ(admin->first_name, "Admin");
  EXPECT_TRUE(admin->is_email_verified);
  // A project created later does not take id 1.
  Result<storage::Project> next = NewProject(**store, "Second", "phc_2", 0);
  ASSERT_TRUE(next.ok());
  EXPECT_GT(next->id, 1);
}

}  // namespace
}  // namespace actiond::api
