#include "engine/personal_api_key_format.h"

#include <gtest/gtest.h>

#include <string>

namespace actiond::engine {
namespace {

TEST(PersonalApiKeyFormatTest, AcceptsGeneratedLookingKeys) {
  EXPECT_TRUE(CheckPersonalApiKeyFormat("phx_" + std::string(32, 'a')).ok());
  EXPECT_TRUE(CheckPersonalApiKeyFormat("phx_blackbox_0123456789abcdef0123456789abcdef").ok());
  EXPECT_TRUE(CheckPersonalApiKeyFormat("phx_AbC-dEf_0123456789abcdefghijklmnopqrstu").ok());
  EXPECT_FALSE(PersonalApiKeyIsShort("phx_" + std::string(32, 'a')));
}

TEST(PersonalApiKeyFormatTest, SixteenToThirtyOneCharactersAreAcceptedButShort) {
  // The shared conformance runner's key has 29 characters after phx_.
  EXPECT_TRUE(CheckPersonalApiKeyFormat("phx_conformance_personal_key_0001").ok());
  EXPECT_TRUE(PersonalApiKeyIsShort("phx_conformance_personal_key_0001"));
  EXPECT_TRUE(CheckPersonalApiKeyFormat("phx_" + std::string(16, 'a')).ok());
}

TEST(PersonalApiKeyFormatTest, RefusesShortForeignOrOddKeysWithoutQuotingThem) {
  const std::string short_key = "phx_" + std::string(15, 'a');
  const Status too_short = CheckPersonalApiKeyFormat(short_key);
  EXPECT_EQ(too_short.code(), StatusCode::kInvalidInput);
  EXPECT_NE(too_short.message().find("at least 16"), std::string::npos) << too_short.ToString();
  EXPECT_EQ(too_short.message().find(short_key), std::string::npos);

  const Status token = CheckPersonalApiKeyFormat("phc_" + std::string(40, 'a'));
  EXPECT_NE(token.message().find("project token"), std::string::npos) << token.ToString();
  EXPECT_EQ(CheckPersonalApiKeyFormat("secret").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(CheckPersonalApiKeyFormat("").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(CheckPersonalApiKeyFormat("phx_" + std::string(40, 'a') + " ").code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(CheckPersonalApiKeyFormat("phx_" + std::string(40, 'a') + "\n").code(),
            StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace actiond::engine
