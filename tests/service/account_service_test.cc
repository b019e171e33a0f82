#include "service/account_service.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/storage/store_fixture.h"

namespace actiond::service {
namespace {

constexpr int64_t kNowMs = 1'700'000'000'000;

class AccountServiceTest : public storage::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    accounts_ = std::make_unique<AccountService>(store_.get(), [] { return kNowMs; });
  }

  static BootstrapSettings Settings(std::string key, std::string token) {
    BootstrapSettings settings;
    settings.personal_api_key = std::move(key);
    settings.project_token = std::move(token);
    settings.admin_email = "admin@localhost";
    return settings;
  }

  std::unique_ptr<AccountService> accounts_;
};

TEST_F(AccountServiceTest, BootstrapIsIdempotentAndAddsALaterEnvKey) {
  ASSERT_TRUE(accounts_->Bootstrap(Settings("phx_unit_key", "phc_unit_token")).ok());
  Result<BootstrapResult> again = accounts_->Bootstrap(Settings("phx_unit_key", "phc_unit_token"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->new_project_token.has_value());
  EXPECT_FALSE(again->new_personal_api_key.has_value());
  EXPECT_EQ(accounts_->ListPersonalKeys()->size(), 1u);

  again = accounts_->Bootstrap(Settings("phx_second", "phc_changed"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->warnings.size(), 1u);  // the stored token is kept
  EXPECT_EQ(accounts_->FindProject(1)->value().api_token, "phc_unit_token");
  EXPECT_TRUE(Ok(accounts_->FindPersonalKeyByValue("phx_second")).has_value());
  EXPECT_TRUE(Ok(accounts_->FindPersonalKeyByValue("phx_unit_key")).has_value());

  // Without an env key, no random key is made on a later start.
  again = accounts_->Bootstrap(Settings("", "phc_unit_token"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->new_personal_api_key.has_value());
}

TEST_F(AccountServiceTest, FirstStartWithoutSecretsMakesThem) {
  BootstrapSettings settings;
  settings.admin_email = "ops@example.com";
  Result<BootstrapResult> boot = accounts_->Bootstrap(settings);
  ASSERT_TRUE(boot.ok()) << boot.status().ToString();
  ASSERT_TRUE(boot->new_project_token.has_value());
  ASSERT_TRUE(boot->new_personal_api_key.has_value());
  EXPECT_EQ(boot->new_project_token->size(), 4u + 43u);
  EXPECT_TRUE(boot->new_personal_api_key->starts_with("phx_"));
  const std::optional<Project> project = accounts_->FindProject(1).value();
  ASSERT_TRUE(project.has_value());
  EXPECT_EQ(project->name, "Default project");
  EXPECT_EQ(project->api_token, *boot->new_project_token);
  const std::optional<User> admin = accounts_->FindUser(kAdminUserId).value();
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->email, "ops@example.com");
  EXPECT_EQ(admin->first_name, "Admin");
  EXPECT_TRUE(admin->is_email_verified);
  // A project created later does not take id 1.
  Result<Project> next = accounts_->CreateProject("Second");
  ASSERT_TRUE(next.ok());
  EXPECT_GT(next->id, 1);
  EXPECT_TRUE(next->api_token.starts_with("phc_"));
}

TEST_F(AccountServiceTest, KeysAreStoredHashedAndRevokedAtOnce) {
  Result<CreatedPersonalKey> created =
      accounts_->CreatePersonalKey("ci", {"action:read"}, {1}, kAdminUserId);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(created->value.starts_with("phx_"));
  EXPECT_NE(created->key.secure_value_hash, created->value);
  EXPECT_EQ(created->key.mask_value, MaskKeyValue(created->value));
  const std::optional<ApiKey> found = Ok(accounts_->FindPersonalKeyByValue(created->value));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, created->key);
  ASSERT_TRUE(accounts_->RevokePersonalKey(created->key).ok());
  EXPECT_FALSE(Ok(accounts_->FindPersonalKeyByValue(created->value)).has_value());
  EXPECT_FALSE(Ok(accounts_->FindPersonalKey(created->key.id)).has_value());
}

TEST_F(AccountServiceTest, AKeyFromTheMetaLogIsAddedOnceAndRevokedByItsHash) {
  // Cluster mode (docs/cluster.md §Personal keys): made on one node, applied on every node.
  const CreatedPersonalKey made = Ok(accounts_->MakePersonalKey("ci", {"*"}, {}, kAdminUserId));
  EXPECT_EQ(made.key.id, 0);
  EXPECT_FALSE(Ok(accounts_->FindPersonalKeyByValue(made.value)).has_value());  // not stored
  const ApiKey added = Ok(accounts_->AddPersonalKey(made.key));
  EXPECT_GT(added.id, 0);
  EXPECT_EQ(Ok(accounts_->AddPersonalKey(made.key)).id, added.id);  // a record applied twice
  EXPECT_EQ(Ok(accounts_->ListPersonalKeys()).size(), 1u);
  EXPECT_EQ(*Ok(accounts_->FindPersonalKeyByValue(made.value)), added);
  ASSERT_TRUE(accounts_->RevokePersonalKeyByHash(added.secure_value_hash).ok());
  EXPECT_FALSE(Ok(accounts_->FindPersonalKeyByValue(made.value)).has_value());
  EXPECT_TRUE(accounts_->RevokePersonalKeyByHash(added.secure_value_hash).ok());  // again: no-op
}

TEST(MaskKeyValueTest, KeepsFourCharactersEachSide) {
  EXPECT_EQ(MaskKeyValue("phx_abcdefgh"), "phx_...efgh");
  EXPECT_EQ(MaskKeyValue("short"), "********");
}

}  // namespace
}  // namespace actiond::service
