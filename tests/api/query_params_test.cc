#include "api/http/query_params.h"

#include <gtest/gtest.h>

namespace actiond::api {
namespace {

TEST(QueryParamsTest, DecodesPlusAsSpaceAndPercentEscapes) {
  const QueryParams q = QueryParams::Parse("name=a+b%20c&url=https%3A%2F%2Fx.io%2F%3Fa%3D1");
  EXPECT_EQ(q.Get("name"), "a b c");
  EXPECT_EQ(q.Get("url"), "https://x.io/?a=1");
}

TEST(QueryParamsTest, KeysAreDecodedToo) {
  const QueryParams q = QueryParams::Parse("a%5B0%5D=x&b+c=y");
  EXPECT_EQ(q.Get("a[0]"), "x");
  EXPECT_EQ(q.Get("b c"), "y");
}

TEST(QueryParamsTest, RepeatedKeysGetReturnsLastAsDjangoDoes) {
  const QueryParams q = QueryParams::Parse("k=1&other=x&k=2&k=3");
  EXPECT_EQ(q.Get("k"), "3");
  EXPECT_EQ(q.GetAll("k"), (std::vector<std::string_view>{"1", "2", "3"}));
  EXPECT_TRUE(q.GetAll("missing").empty());
}

TEST(QueryParamsTest, MissingValueIsEmptyAndEmptyPairsAreSkipped) {
  const QueryParams q = QueryParams::Parse("&&flag&empty=&=v&");
  EXPECT_EQ(q.Get("flag"), "");
  EXPECT_EQ(q.Get("empty"), "");
  EXPECT_EQ(q.Get(""), "v");
  EXPECT_EQ(q.items().size(), 3u);
  EXPECT_FALSE(q.Get("absent").has_value());
  EXPECT_EQ(q.GetOr("absent", "dflt"), "dflt");
}

TEST(QueryParamsTest, ValueMayContainEquals) {
  const QueryParams q = QueryParams::Parse("data=eyJhIjoxfQ==");
  EXPECT_EQ(q.Get("data"), "eyJhIjoxfQ==");
}

TEST(QueryParamsTest, LeadingQuestionMarkIsIgnored) {
  EXPECT_EQ(QueryParams::Parse("?a=1").Get("a"), "1");
  EXPECT_TRUE(QueryParams::Parse("").empty());
}

TEST(UrlDecodeTest, InvalidEscapesAreKeptLiterally) {
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(UrlDecode("%41%4a%4A"), "AJJ");
  EXPECT_EQ(UrlDecode("%00", true), std::string(1, '\0'));
}

TEST(UrlDecodeTest, PlusStaysInPathMode) {
  EXPECT_EQ(UrlDecode("a+b", /*plus_is_space=*/false), "a+b");
}

TEST(UrlEncodeTest, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(UrlEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(UrlDecode(UrlEncode("x+y z%")), "x+y z%");
}

TEST(ParseNonNegativeIntTest, AcceptsPlainDecimals) {
  EXPECT_EQ(ParseNonNegativeInt("0", 7), 0);
  EXPECT_EQ(ParseNonNegativeInt("100", 7), 100);
  EXPECT_EQ(ParseNonNegativeInt(" 42 ", 7), 42);  // Python's int() strips whitespace
  EXPECT_EQ(ParseNonNegativeInt("+5", 7), 5);
  EXPECT_EQ(ParseNonNegativeInt("007", 7), 7);
}

TEST(ParseNonNegativeIntTest, EverythingElseFallsBack) {
  EXPECT_EQ(ParseNonNegativeInt("-1", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("abc", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("  ", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("1.5", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("12abc", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("+", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("+-1", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("0x10", 100), 100);
  EXPECT_EQ(ParseNonNegativeInt("99999999999999999999999", 100), 100);  // overflows int64
  EXPECT_EQ(ParseNonNegativeInt(std::nullopt, 100), 100);
}

TEST(ParseNonNegativeIntTest, AboveMaxFallsBack) {
  EXPECT_EQ(ParseNonNegativeInt("1000", 100, /*max=*/999), 100);
  EXPECT_EQ(ParseNonNegativeInt("999", 100, /*max=*/999), 999);
}

TEST(ParsePositiveIntTest, ZeroFallsBackLikeDrfLimit) {
  EXPECT_EQ(ParsePositiveInt("0", 100), 100);
  EXPECT_EQ(ParsePositiveInt("1", 100), 1);
  EXPECT_EQ(ParsePositiveInt("-3", 100), 100);
}

}  // namespace
}  // namespace actiond::api
