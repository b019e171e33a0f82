#include "engine/regex.h"

#include <gtest/gtest.h>

#include <string>

namespace actiond::engine {
namespace {

TEST(RegexTest, CompilesAnRe2PatternCaseSensitiveByDefault) {
  auto regex = CompileRegex("^ord_[A-Z0-9]{5}$");
  ASSERT_TRUE(regex.ok()) << regex.status().ToString();
  EXPECT_TRUE(re2::RE2::PartialMatch("ord_8F3K2", **regex));
  EXPECT_FALSE(re2::RE2::PartialMatch("ORD_8F3K2", **regex));
}

TEST(RegexTest, CaseInsensitiveOptionFoldsUnicode) {
  auto regex = CompileRegex("äpfel", RegexOptions{.case_insensitive = true});
  ASSERT_TRUE(regex.ok());
  EXPECT_TRUE(re2::RE2::PartialMatch("BIO-ÄPFEL", **regex));
}

TEST(RegexTest, DotMatchesNewlineOnlyWhenAsked) {
  auto plain = CompileRegex("a.b");
  auto dot_nl = CompileRegex("a.b", RegexOptions{.dot_matches_newline = true});
  ASSERT_TRUE(plain.ok() && dot_nl.ok());
  EXPECT_FALSE(re2::RE2::PartialMatch("a\nb", **plain));
  EXPECT_TRUE(re2::RE2::PartialMatch("a\nb", **dot_nl));
}

TEST(RegexTest, PatternsWorkOnCodePoints) {
  auto regex = CompileRegex("^.$");
  ASSERT_TRUE(regex.ok());
  EXPECT_TRUE(re2::RE2::PartialMatch("é", **regex));
}

TEST(RegexTest, LookAheadIsInvalidWithRe2sReason) {
  auto regex = CompileRegex("foo(?=bar)");
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(regex.status().message().find("invalid perl operator: (?="), std::string::npos)
      << regex.status().message();
  EXPECT_TRUE(regex.status().attr().empty());
}

TEST(RegexTest, UnbalancedParenthesisIsInvalid) {
  auto regex = CompileRegex("(abc");
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(regex.status().message().find("missing )"), std::string::npos);
}

TEST(RegexTest, PatternLengthIsCapped) {
  EXPECT_TRUE(CompileRegex(std::string(kMaxPatternBytes, 'a')).ok());
  auto regex = CompileRegex(std::string(kMaxPatternBytes + 1, 'a'));
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(regex.status().message().find("too long"), std::string::npos);
}

TEST(RegexTest, TooCostlyProgramIsRejected) {
  auto regex = CompileRegex("\\pL{1000}");
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(regex.status().message().find("too complex"), std::string::npos)
      << regex.status().message();
}

TEST(RegexTest, RepetitionBeyondRe2sLimitIsInvalid) {
  auto regex = CompileRegex("a{1001}");
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace actiond::engine
