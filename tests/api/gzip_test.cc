#include "api/http/gzip.h"

#include <gtest/gtest.h>

#include <string>

#include "api/http/gunzip.h"

namespace actiond::api {
namespace {

TEST(GzipTest, CompressesToAGzipMemberThatInflatesBack) {
  const std::string text(10000, 'x');
  auto gz = GzipCompress(text);
  ASSERT_TRUE(gz.ok());
  EXPECT_TRUE(HasGzipMagic(*gz));
  EXPECT_LT(gz->size(), 200u);
  auto back = Gunzip(*gz, 1 << 20);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
}

TEST(GzipTest, AcceptEncodingNeedsGzipWithANonZeroWeight) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, gzip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000, br"));
  EXPECT_FALSE(AcceptsGzip("gzipx"));
}

}  // namespace
}  // namespace actiond::api
