#include "engine/semver.h"

#include <gtest/gtest.h>

namespace actiond::engine {
namespace {

int Compare(std::string_view a, std::string_view b) {
  auto va = ParseSemVer(a);
  auto vb = ParseSemVer(b);
  EXPECT_TRUE(va && vb) << a << " / " << b;
  if (!va || !vb) return 99;
  return CompareSemVer(*va, *vb);
}

TEST(SemverTest, ParsesOneToThreeParts) {
  auto v = ParseSemVer("1.2.3");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, "1");
  EXPECT_EQ(v->minor, "2");
  EXPECT_EQ(v->patch, "3");
  EXPECT_EQ(Compare("2.1", "2.1.0"), 0);
  EXPECT_EQ(Compare("17", "17.0.0"), 0);
}

TEST(SemverTest, PrefixLeadingZerosAndTailsAreIgnored) {
  EXPECT_EQ(Compare("v2.1", "2.1.0"), 0);
  EXPECT_EQ(Compare("V2.4.1+build.7", "2.4.1"), 0);
  EXPECT_EQ(Compare("2.4.1+20210310", "2.4.1"), 0);
  EXPECT_EQ(Compare("1.0.0-beta.2", "1.0.0"), 0);
  EXPECT_EQ(Compare("1.2-rc1", "1.2.0"), 0);
  EXPECT_EQ(Compare("01.002.0003", "1.2.3"), 0);
  EXPECT_EQ(Compare("0.0.0", "0"), 0);
}

TEST(SemverTest, ComparesNumericallyPartByPart) {
  EXPECT_GT(Compare("1.2.10", "1.2.9"), 0);
  EXPECT_LT(Compare("1.9.9", "1.10.0"), 0);
  EXPECT_GT(Compare("2", "1.99.99"), 0);
  EXPECT_LT(Compare("3.3.9", "3.4.0"), 0);
  EXPECT_GT(Compare("1.25", "1.2.0"), 0);
  // Numbers of any length compare exactly.
  EXPECT_GT(Compare("1.99999999999999999999999", "1.99999999999999999999998"), 0);
  EXPECT_LT(Compare("1.0099999999999999999999", "1.100000000000000000000000"), 0);
  EXPECT_EQ(Compare("000000000000000000000000001", "1"), 0);
}

TEST(SemverTest, EmptyTailIsUnparseable) {
  for (std::string_view text : {"1.2-", "1.2.3+", "v1-", "1+"}) {
    EXPECT_FALSE(ParseSemVer(text).has_value()) << text;
  }
  EXPECT_TRUE(ParseSemVer("1.2-a").has_value());
  EXPECT_TRUE(ParseSemVer("1.2.3+b").has_value());
}

TEST(SemverTest, RejectsAnythingElse) {
  for (std::string_view text :
       {"",      "v",      "V",   "vv1", "1.2.3.4",   "1.2.3.4.5",   "1.",     "1..2",
        ".1",    "1.2.3.", "x1",  "1.x", "1.2.3beta", " 1.2.3",      "1.2.3 ", "-1.0",
        "1e+21", "true",   "[1]", "1,2", "v 1",       "1.2.3.4-beta"}) {
    EXPECT_FALSE(ParseSemVer(text).has_value()) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace actiond::engine
