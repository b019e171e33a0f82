#include "api/http/base64.h"

#include <gtest/gtest.h>

namespace actiond::api {
namespace {

TEST(Base64DecodeTest, StandardWithAndWithoutPadding) {
  EXPECT_EQ(Base64Decode("eyJhIjoxfQ=="), R"({"a":1})");
  EXPECT_EQ(Base64Decode("eyJhIjoxfQ"), R"({"a":1})");
  EXPECT_EQ(Base64Decode("YWJj"), "abc");
  EXPECT_EQ(Base64Decode("YWI="), "ab");
  EXPECT_EQ(Base64Decode(""), "");
}

TEST(Base64DecodeTest, UrlSafeAlphabet) {
  // 0xfb 0xff 0xbf encodes as "+/+/" in standard and "-_-_" in URL-safe base64.
  EXPECT_EQ(Base64Decode("-_-_"), "\xfb\xff\xbf");
  EXPECT_EQ(Base64Decode("+/+/"), "\xfb\xff\xbf");
}

TEST(Base64DecodeTest, SpaceIsPlusBecauseFormDecodingEatsPluses) {
  EXPECT_EQ(Base64Decode(" / /"), "\xfb\xff\xbf");
}

TEST(Base64DecodeTest, LineBreaksAreSkipped) { EXPECT_EQ(Base64Decode("YW\r\nJj\n"), "abc"); }

TEST(Base64DecodeTest, RejectsForeignCharactersDataAfterPaddingAndImpossibleLengths) {
  EXPECT_FALSE(Base64Decode("{\"a\":1}").has_value());
  EXPECT_FALSE(Base64Decode("YW=Jj").has_value());
  EXPECT_FALSE(Base64Decode("YWJjZ").has_value());  // 5 digits: one is left over
  EXPECT_FALSE(Base64Decode("YW*j").has_value());
}

}  // namespace
}  // namespace actiond::api
