#include "engine/string_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

StringMatcher MustCompile(std::string_view pattern, StringMatchMode mode) {
  auto matcher = StringMatcher::Compile(pattern, mode);
  EXPECT_TRUE(matcher.ok()) << matcher.status().ToString();
  return std::move(matcher).value();
}

TEST(StringMatcherTest, ExactIsByteEquality) {
  StringMatcher m = MustCompile("Sign up", StringMatchMode::kExact);
  EXPECT_TRUE(m.Matches("Sign up"));
  EXPECT_FALSE(m.Matches("sign up"));
  EXPECT_FALSE(m.Matches("Sign up "));
  EXPECT_FALSE(m.Matches("Sign"));
  EXPECT_TRUE(MustCompile("", StringMatchMode::kExact).Matches(""));
  EXPECT_FALSE(MustCompile("", StringMatchMode::kExact).Matches("x"));
}

TEST(StringMatcherTest, LikeWithoutWildcardsIsCaseSensitiveSubstring) {
  StringMatcher m = MustCompile("/pricing", StringMatchMode::kLike);
  EXPECT_TRUE(m.Matches("https://example.com/pricing?plan=team"));
  EXPECT_FALSE(m.Matches("https://example.com/PRICING"));
  EXPECT_FALSE(m.Matches("/pric"));
}

TEST(StringMatcherTest, LikePercentMatchesAnyRunIncludingLineBreaks) {
  StringMatcher m = MustCompile("/docs/%/install", StringMatchMode::kLike);
  EXPECT_TRUE(m.Matches("https://x.io/docs/v2/install"));
  EXPECT_TRUE(m.Matches("/docs//install"));  // empty run
  EXPECT_TRUE(m.Matches("/docs/a\nb/install"));
  EXPECT_FALSE(m.Matches("/docs/install"));
}

TEST(StringMatcherTest, LikeUnderscoreMatchesExactlyOneCodePoint) {
  StringMatcher m = MustCompile("caf_!", StringMatchMode::kLike);
  EXPECT_TRUE(m.Matches("café!"));  // é is two bytes, one code point
  EXPECT_TRUE(m.Matches("cafe!"));
  EXPECT_FALSE(m.Matches("caf!"));
  EXPECT_FALSE(m.Matches("cafee!"));
  EXPECT_TRUE(MustCompile("a_b", StringMatchMode::kLike).Matches("a\nb"));
  EXPECT_TRUE(MustCompile("_", StringMatchMode::kLike).Matches("😀"));
  EXPECT_FALSE(MustCompile("_", StringMatchMode::kLike).Matches(""));
}

TEST(StringMatcherTest, LikePercentAloneMatchesTheEmptyString) {
  EXPECT_TRUE(MustCompile("%", StringMatchMode::kLike).Matches(""));
  EXPECT_TRUE(MustCompile("%%", StringMatchMode::kLikeIgnoreCase).Matches(""));
  EXPECT_TRUE(MustCompile("", StringMatchMode::kLike).Matches(""));
  EXPECT_TRUE(MustCompile("", StringMatchMode::kLikeIgnoreCase).Matches("anything"));
}

TEST(StringMatcherTest, LikeBackslashIsAnOrdinaryCharacter) {
  StringMatcher m = MustCompile("50\\%", StringMatchMode::kLike);
  EXPECT_TRUE(m.Matches("50\\ off"));  // backslash itself, then `%` wildcard
  EXPECT_FALSE(m.Matches("50% off"));  // no escape: the backslash must be there
  EXPECT_TRUE(MustCompile("a\\_", StringMatchMode::kLike).Matches("a\\x"));
}

TEST(StringMatcherTest, LikeTreatsRegexMetacharactersLiterally) {
  StringMatcher m = MustCompile("a.b(c)%[d]", StringMatchMode::kLike);
  EXPECT_TRUE(m.Matches("xa.b(c)zz[d]"));
  EXPECT_FALSE(m.Matches("axb(c)[d]"));
  EXPECT_TRUE(MustCompile("^$", StringMatchMode::kLikeIgnoreCase).Matches("a^$b"));
}

TEST(StringMatcherTest, LikeIgnoreCaseUsesSimpleCaseFolding) {
  StringMatcher m = MustCompile("PRICING", StringMatchMode::kLikeIgnoreCase);
  EXPECT_TRUE(m.Matches("/pricing"));
  EXPECT_TRUE(MustCompile("äpfel", StringMatchMode::kLikeIgnoreCase).Matches("BIO-ÄPFEL 1KG"));
  // Simple folding: ß is not ss.
  StringMatcher strasse = MustCompile("STRASSE", StringMatchMode::kLikeIgnoreCase);
  EXPECT_FALSE(strasse.Matches("Hauptstraße 5"));
  EXPECT_TRUE(strasse.Matches("Hauptstrasse 7"));
  // K (KELVIN SIGN) folds to k; ſ (LONG S) folds to s.
  EXPECT_TRUE(MustCompile("k", StringMatchMode::kLikeIgnoreCase).Matches("\u212A"));
  EXPECT_TRUE(MustCompile("S", StringMatchMode::kLikeIgnoreCase).Matches("\u017F"));
}

TEST(StringMatcherTest, LikeIgnoreCaseKeepsWildcards) {
  StringMatcher m = MustCompile("sign_up%BUTTON", StringMatchMode::kLikeIgnoreCase);
  EXPECT_TRUE(m.Matches("Sign-Up the button"));
  EXPECT_TRUE(m.Matches("SIGN UP\nBUTTON"));
  EXPECT_FALSE(m.Matches("Signup button"));
}

TEST(StringMatcherTest, RegexIsAnUnanchoredCaseSensitiveSearch) {
  StringMatcher m = MustCompile("/blog/\\d+", StringMatchMode::kRegex);
  EXPECT_TRUE(m.Matches("https://x.io/blog/42/title"));
  EXPECT_FALSE(m.Matches("https://x.io/BLOG/42"));
  EXPECT_TRUE(MustCompile("(?i)/BLOG", StringMatchMode::kRegex).Matches("/blog"));
  EXPECT_TRUE(MustCompile(".*", StringMatchMode::kRegex).Matches(""));
}

TEST(StringMatcherTest, InvalidRegexIsInvalidInput) {
  auto m = StringMatcher::Compile("(?<=a)b", StringMatchMode::kRegex);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(m.status().attr().empty());
}

TEST(StringMatcherTest, LikeNeverFailsToCompileOnOddPatterns) {
  for (std::string_view p : {"(", "[", "\\", "?*+", "{1000}", "(?=x)"}) {
    auto m = StringMatcher::Compile(p, StringMatchMode::kLike);
    ASSERT_TRUE(m.ok()) << p;
    EXPECT_TRUE(m->Matches(std::string("x") + std::string(p) + "y")) << p;
    auto ci = StringMatcher::Compile(p, StringMatchMode::kLikeIgnoreCase);
    ASSERT_TRUE(ci.ok()) << p;
    EXPECT_TRUE(ci->Matches(std::string(p))) << p;
  }
}

TEST(StringMatcherTest, EquivalentRegexAgreesWithMatches) {
  const std::vector<std::string> texts = {"",        "/pricing", "/PRICING?x=1", "a.b",
                                          "axb",     "a\nb",     "café",         "CAFÉ!",
                                          "50% off", "exact",    "exact\n",      "ab_c"};
  const std::vector<std::pair<std::string, StringMatchMode>> cases = {
      {"exact", StringMatchMode::kExact},
      {"a.b", StringMatchMode::kExact},
      {"", StringMatchMode::kExact},
      {"/pricing", StringMatchMode::kLike},
      {"a_b", StringMatchMode::kLike},
      {"%", StringMatchMode::kLike},
      {"caf_", StringMatchMode::kLikeIgnoreCase},
      {"0% O", StringMatchMode::kLikeIgnoreCase},
      {"b_c", StringMatchMode::kLikeIgnoreCase},
      {"^a.b$", StringMatchMode::kRegex},
  };
  for (const auto& [pattern, mode] : cases) {
    StringMatcher m = MustCompile(pattern, mode);
    auto equivalent = CompileRegex(m.EquivalentRegex());
    ASSERT_TRUE(equivalent.ok()) << m.EquivalentRegex();
    for (const std::string& text : texts) {
      EXPECT_EQ(m.Matches(text), re2::RE2::PartialMatch(text, **equivalent))
          << "pattern '" << pattern << "' regex '" << m.EquivalentRegex() << "' text '" << text
          << "'";
    }
  }
  EXPECT_EQ(MustCompile("a.b", StringMatchMode::kExact).EquivalentRegex(), "^a\\.b$");
  EXPECT_EQ(MustCompile("a%b_", StringMatchMode::kLike).EquivalentRegex(), "(?s)a.*b.");
  EXPECT_EQ(MustCompile("%a%", StringMatchMode::kLikeIgnoreCase).EquivalentRegex(), "(?is)a");
}

// A plain reference for LIKE '%p%' over code points (the alphabet below is valid UTF-8).
std::vector<std::string> CodePoints(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    out.emplace_back(text.substr(i, len));
    i += len;
  }
  return out;
}

bool ReferenceLike(const std::vector<std::string>& p, size_t pi, const std::vector<std::string>& t,
                   size_t ti) {
  if (pi == p.size()) return ti == t.size();
  if (p[pi] == "%") {
    for (size_t k = ti; k <= t.size(); ++k) {
      if (ReferenceLike(p, pi + 1, t, k)) return true;
    }
    return false;
  }
  if (ti == t.size()) return false;
  if (p[pi] != "_" && p[pi] != t[ti]) return false;
  return ReferenceLike(p, pi + 1, t, ti + 1);
}

TEST(StringMatcherTest, LikeAgreesWithAReferenceMatcherOnRandomInput) {
  const std::vector<std::string> alphabet = {"a", "b", "%", "_", "\\", ".", "\n", "é", "😀", "*"};
  std::mt19937 rng(12345);
  auto random_text = [&](size_t max_len, bool wildcards) {
    std::string out;
    const size_t len = rng() % (max_len + 1);
    for (size_t i = 0; i < len; ++i) {
      const std::string& cp = alphabet[rng() % alphabet.size()];
      if (!wildcards && (cp == "%" || cp == "_")) continue;
      out += cp;
    }
    return out;
  };
  for (int round = 0; round < 3000; ++round) {
    const std::string pattern = random_text(5, true);
    const std::string text = random_text(7, false);
    std::vector<std::string> p = CodePoints(pattern);
    p.insert(p.begin(), "%");
    p.push_back("%");
    const bool expected = ReferenceLike(p, 0, CodePoints(text), 0);
    for (StringMatchMode mode : {StringMatchMode::kLike, StringMatchMode::kLikeIgnoreCase}) {
      StringMatcher m = MustCompile(pattern, mode);
      ASSERT_EQ(m.Matches(text), expected) << "pattern '" << pattern << "' text '" << text << "'";
    }
  }
}

TEST(StringMatcherTest, LiteralPatternsUpTo65535BytesNeedNoRegex) {
  const std::string href = StrCat({"/", std::string(2999, 'h')});
  for (StringMatchMode mode :
       {StringMatchMode::kExact, StringMatchMode::kLike, StringMatchMode::kLikeIgnoreCase}) {
    StringMatcher m = MustCompile(href, mode);
    EXPECT_TRUE(m.Matches(href));
    EXPECT_FALSE(m.Matches(href.substr(1)));
    EXPECT_TRUE(StringMatcher::Compile(std::string(65535, 'x'), mode).ok());
    auto too_long = StringMatcher::Compile(std::string(65536, 'x'), mode);
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidInput);
  }
  StringMatcher like = MustCompile(std::string(5000, 'a') + "%" + std::string(5000, 'b'),
                                   StringMatchMode::kLikeIgnoreCase);
  EXPECT_TRUE(like.Matches(StrCat({"x", std::string(5000, 'A'), "zz\n", std::string(5000, 'B')})));
  EXPECT_FALSE(like.Matches(std::string(5000, 'b') + std::string(5000, 'a')));
  // Regex keeps its cap.
  EXPECT_FALSE(StringMatcher::Compile(std::string(4097, 'x'), StringMatchMode::kRegex).ok());
}

TEST(StringMatcherTest, LikeSegmentsAreFoundInOrderInLinearTime) {
  StringMatcher m = MustCompile("ab%ba%", StringMatchMode::kLike);
  EXPECT_TRUE(m.Matches("xabxxba"));
  EXPECT_TRUE(m.Matches("abba"));  // '%' may be empty
  EXPECT_FALSE(m.Matches("aba"));  // but the parts do not overlap
  EXPECT_FALSE(m.Matches("ab"));
  EXPECT_FALSE(m.Matches("bab"));
  const std::string pattern = std::string(20000, 'a') + "b%c";
  StringMatcher slow = MustCompile(pattern, StringMatchMode::kLikeIgnoreCase);
  const std::string text(300000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(slow.Matches(text));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

// LIKE '%p%' by dynamic programming over code points: the reference for long patterns.
bool ReferenceLikeDp(const std::vector<std::string>& p, const std::vector<std::string>& t) {
  std::vector<std::string> q = {"%"};
  q.insert(q.end(), p.begin(), p.end());
  q.push_back("%");
  std::vector<bool> row(t.size() + 1, false), next(t.size() + 1);
  row[0] = true;
  for (const std::string& unit : q) {
    std::fill(next.begin(), next.end(), false);
    for (size_t j = 0; j <= t.size(); ++j) {
      if (unit == "%") {
        next[j] = row[j] || (j > 0 && next[j - 1]);
      } else if (j > 0 && row[j - 1] && (unit == "_" || unit == t[j - 1])) {
        next[j] = true;
      }
    }
    row.swap(next);
  }
  return row[t.size()];
}

TEST(StringMatcherTest, UnderscorePatternsOfAnyLengthAgreeWithAReference) {
  const std::vector<std::string> alphabet = {"a", "b", "_", "é", "%"};
  std::mt19937 rng(777);
  for (int round = 0; round < 400; ++round) {
    std::string pattern, text;
    const size_t pattern_length = 1 + rng() % 150;
    for (size_t i = 0; i < pattern_length; ++i) {
      const std::string& unit = alphabet[rng() % (rng() % 8 == 0 ? 5 : 4)];
      pattern += unit;
    }
    const size_t text_length = rng() % 300;
    for (size_t i = 0; i < text_length; ++i) text += alphabet[rng() % 4 == 2 ? 3 : rng() % 2];
    const bool expected = ReferenceLikeDp(CodePoints(pattern), CodePoints(text));
    for (StringMatchMode mode : {StringMatchMode::kLike, StringMatchMode::kLikeIgnoreCase}) {
      ASSERT_EQ(MustCompile(pattern, mode).Matches(text), expected)
          << "pattern '" << pattern << "' text '" << text << "'";
    }
  }
}

// The time the Shift-And search below may take. tools/sanitize.sh's clang build also carries the
// fuzz targets' coverage instrumentation (-fsanitize=fuzzer-no-link), which calls out on every
// comparison of the search's inner loop: about 2.3 s there on an idle machine, against 0.1 s in
// Release and 0.7 s under gcc's sanitizers, and over 3 s with ctest -j2 on a shared machine. A
// search that lost its bit-parallelism (text x part instead of text x part / 64) would still take
// over a minute there.
#if defined(__has_feature)
#if __has_feature(coverage_sanitizer)
#define ACTIOND_COVERAGE_INSTRUMENTED 1
#endif
#endif
#ifdef ACTIOND_COVERAGE_INSTRUMENTED
constexpr std::chrono::seconds kLinearSearchBudget(10);
#else
constexpr std::chrono::seconds kLinearSearchBudget(3);
#endif

TEST(StringMatcherTest, LongUnderscorePatternsNeedNoRegexAndStayLinear) {
  const std::string href = StrCat({"/", std::string(3000, 'h')});
  const std::string pattern = StrCat({"/", std::string(2998, 'h'), "_%", "\xC3\x89_"});  // …É_
  for (StringMatchMode mode : {StringMatchMode::kLike, StringMatchMode::kLikeIgnoreCase}) {
    StringMatcher m = MustCompile(pattern, mode);
    EXPECT_TRUE(m.Matches(href + "x\xC3\x89y")) << static_cast<int>(mode);
    EXPECT_FALSE(m.Matches(href + "x\xC3\x89")) << static_cast<int>(mode);
    EXPECT_TRUE(StringMatcher::Compile(std::string(65534, 'x') + "_", mode).ok());
  }
  EXPECT_TRUE(MustCompile(pattern, StringMatchMode::kLikeIgnoreCase).Matches(href + "x\xC3\xA9y"));
  EXPECT_FALSE(MustCompile(pattern, StringMatchMode::kLike).Matches(href + "x\xC3\xA9y"));
  StringMatcher slow =
      MustCompile(std::string(4000, 'a') + "_b" + std::string(60000, '_'), StringMatchMode::kLike);
  const std::string text(50000, 'a');  // 50,000 steps of 1,001 words
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(slow.Matches(text));
  EXPECT_LT(std::chrono::steady_clock::now() - start, kLinearSearchBudget);
}

TEST(StringMatcherTest, CopiesShareTheCompiledRegex) {
  StringMatcher m = MustCompile("a_c", StringMatchMode::kLike);
  StringMatcher copy = m;
  EXPECT_TRUE(copy.Matches("abc"));
  EXPECT_EQ(copy.mode(), StringMatchMode::kLike);
  EXPECT_EQ(copy.pattern(), "a_c");
}

}  // namespace
}  // namespace actiond::engine
