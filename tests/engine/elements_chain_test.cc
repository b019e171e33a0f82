#include "engine/elements_chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> ClassesOf(const ElementList& list, size_t i) {
  std::vector<std::string> out;
  for (std::string_view cls : list.Classes(list[i])) out.emplace_back(cls);
  return out;
}

std::vector<std::string> TagsOf(const ElementList& list) {
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) out.emplace_back(list[i].tag);
  return out;
}

bool PointsInto(std::string_view view, std::string_view source) {
  return view.data() >= source.data() && view.data() + view.size() <= source.data() + source.size();
}

constexpr std::string_view kSignupChain =
    R"(button.btn.btn-primary:attr__class="btn btn-primary"attr__data-attr="signup-submit")"
    R"(attr__type="submit"nth-child="3"nth-of-type="1"text="Sign up";)"
    R"(form.signup-form:attr__class="signup-form"attr__id="signup"attr_id="signup")"
    R"(nth-child="2"nth-of-type="1";div.container:attr__class="container"nth-child="1")"
    R"(nth-of-type="1";body:nth-child="2"nth-of-type="1";html:nth-child="1"nth-of-type="1")";

TEST(ElementsChainTest, ParsesPostHogChainClickedElementFirst) {
  ElementList list;
  ParseElementsChain(kSignupChain, &list);
  ASSERT_EQ(list.size(), 5u);
  EXPECT_THAT(TagsOf(list), ElementsAre("button", "form", "div", "body", "html"));

  const Element& button = list[0];
  EXPECT_EQ(button.text, "Sign up");
  EXPECT_EQ(button.nth_child, 3);
  EXPECT_EQ(button.nth_of_type, 1);
  EXPECT_FALSE(button.has_id);
  EXPECT_FALSE(button.has_href);
  EXPECT_TRUE(list.HasClass(button, "btn"));
  EXPECT_TRUE(list.HasClass(button, "btn-primary"));
  EXPECT_EQ(list.Attribute(button, "data-attr"), "signup-submit");
  EXPECT_EQ(list.Attribute(button, "type"), "submit");
  EXPECT_EQ(list.Attribute(button, "class"), "btn btn-primary");

  const Element& form = list[1];
  EXPECT_TRUE(form.has_id);
  EXPECT_EQ(form.id, "signup");
  EXPECT_EQ(form.text, "");
  EXPECT_EQ(form.nth_child, 2);

  EXPECT_EQ(list[3].nth_child, 2);
  EXPECT_THAT(ClassesOf(list, 3), IsEmpty());
  EXPECT_TRUE(list.Attributes(list[4]).empty());
}

TEST(ElementsChainTest, ValuesWithoutEscapesPointIntoTheChain) {
  ElementList list;
  ParseElementsChain(kSignupChain, &list);
  EXPECT_TRUE(PointsInto(list[0].text, kSignupChain));
  EXPECT_TRUE(PointsInto(list[0].tag, kSignupChain));
  EXPECT_TRUE(PointsInto(*list.Attribute(list[0], "type"), kSignupChain));
}

TEST(ElementsChainTest, EmptyChainHasNoElements) {
  ElementList list;
  ParseElementsChain("", &list);
  EXPECT_TRUE(list.empty());
  ParseElementsChain(" ;; \t\n;", &list);
  EXPECT_TRUE(list.empty());
}

TEST(ElementsChainTest, ReparseReplacesPreviousElements) {
  ElementList list;
  ParseElementsChain(kSignupChain, &list);
  ParseElementsChain("a.x", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].tag, "a");
  EXPECT_THAT(ClassesOf(list, 0), ElementsAre("x"));
}

TEST(ElementsChainTest, TagOnlyAndClassOnlyElements) {
  ElementList list;
  ParseElementsChain(R"(body;.only-class:text="x";a..b.)", &list);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].tag, "body");
  EXPECT_EQ(list[1].tag, "");
  EXPECT_THAT(ClassesOf(list, 1), ElementsAre("only-class"));
  EXPECT_EQ(list[1].text, "x");
  EXPECT_EQ(list[2].tag, "a");
  EXPECT_THAT(ClassesOf(list, 2), ElementsAre("b"));  // empty class names are dropped
}

TEST(ElementsChainTest, ColonNotFollowedByKeyAndEqualsStaysInClass) {
  ElementList list;
  ParseElementsChain(
      R"(a.hover:underline.text-sm:attr__class="hover:underline text-sm"nth-child="1";li)", &list);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].tag, "a");
  EXPECT_THAT(ClassesOf(list, 0),
              ElementsAre("hover:underline", "text-sm", "hover:underline", "text-sm"));
  EXPECT_EQ(list[0].nth_child, 1);
  EXPECT_EQ(list[1].tag, "li");
}

TEST(ElementsChainTest, ColonBeforeKeyWithoutEqualsStaysInClass) {
  ElementList list;
  ParseElementsChain(R"(a.md:flex:text="x")", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_THAT(ClassesOf(list, 0), ElementsAre("md:flex"));
  EXPECT_EQ(list[0].text, "x");
}

TEST(ElementsChainTest, SemicolonInsideQuotesDoesNotSplit) {
  ElementList list;
  ParseElementsChain(R"(button:text="Save; continue";div.form-actions)", &list);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].text, "Save; continue");
  EXPECT_EQ(list[1].tag, "div");
}

TEST(ElementsChainTest, WhitespaceOutsideQuotesSeparatesElements) {
  ElementList list;
  ParseElementsChain(
      R"(span.btn-label:nth-child="1"text="Add to cart" button.btn.add-to-cart:nth-child="2")"
      "\tdiv.product-actions:nth-child=\"3\"\n  main",
      &list);
  EXPECT_THAT(TagsOf(list), ElementsAre("span", "button", "div", "main"));
  EXPECT_EQ(list[0].text, "Add to cart");
  EXPECT_EQ(list[2].nth_child, 3);
}

TEST(ElementsChainTest, EscapedQuoteAndBackslashAreUnescaped) {
  ElementList list;
  ParseElementsChain(R"(button:text="Say \"hi\""attr__title="a\\b";div)", &list);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].text, R"(Say "hi")");
  EXPECT_EQ(list.Attribute(list[0], "title"), R"(a\b)");
  EXPECT_EQ(list[1].tag, "div");
}

TEST(ElementsChainTest, OtherBackslashesAreKept) {
  ElementList list;
  ParseElementsChain(R"(a:text="C:\Users\ada\report.pdf"attr__x="\n\t"attr__y="\\\q";li)", &list);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].text, R"(C:\Users\ada\report.pdf)");
  EXPECT_EQ(list.Attribute(list[0], "x"), R"(\n\t)");
  EXPECT_EQ(list.Attribute(list[0], "y"), R"(\\q)");
}

TEST(ElementsChainTest, EscapedValuesStayValidAcrossManyElements) {
  std::string chain;
  for (int i = 0; i < 200; ++i) {
    chain += "p:text=\"v" + std::to_string(i) + R"(\"q\\)" + "\";";
  }
  ElementList list;
  ParseElementsChain(chain, &list);
  ASSERT_EQ(list.size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(list[i].text, StrCat({"v", std::to_string(i), R"("q\)"}));
  }
}

TEST(ElementsChainTest, EmptyValueIsPresent) {
  ElementList list;
  ParseElementsChain(R"(input:attr__placeholder=""href=""attr_id=""text="")", &list);
  ASSERT_EQ(list.size(), 1u);
  ASSERT_TRUE(list.Attribute(list[0], "placeholder").has_value());
  EXPECT_EQ(*list.Attribute(list[0], "placeholder"), "");
  EXPECT_TRUE(list[0].has_href);
  EXPECT_EQ(list[0].href, "");
  EXPECT_TRUE(list[0].has_id);
  EXPECT_EQ(list[0].id, "");
  EXPECT_EQ(list[0].text, "");
}

TEST(ElementsChainTest, DuplicateKeysLastWins) {
  ElementList list;
  ParseElementsChain(
      R"(a:text="first"text="second"attr__x="1"attr__x="2"nth-child="1"nth-child="4")"
      R"(href="/a"href="/b"attr_id="i1"attr_id="i2")",
      &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].text, "second");
  EXPECT_EQ(list.Attribute(list[0], "x"), "2");
  EXPECT_EQ(list[0].nth_child, 4);
  EXPECT_EQ(list[0].href, "/b");
  EXPECT_EQ(list[0].id, "i2");
}

TEST(ElementsChainTest, RawAttributesDropPrefixAndUnknownKeysAreAttributes) {
  ElementList list;
  ParseElementsChain(R"(div:attr__data-attr="nav"data-foo="bar"attr__aria-label="Close"X_1="y")",
                     &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.Attribute(list[0], "data-attr"), "nav");
  EXPECT_EQ(list.Attribute(list[0], "aria-label"), "Close");
  // Unknown keys are attributes under their own key, not raw DOM attributes (docs/semantics.md
  // §8.3).
  EXPECT_EQ(list.Attribute(list[0], "data-foo"), std::nullopt);
  EXPECT_EQ(list.Attribute(list[0], "X_1"), std::nullopt);
  EXPECT_EQ(list.Attribute(list[0], "attr__data-attr"), std::nullopt);
  ASSERT_EQ(list.Attributes(list[0]).size(), 4u);
  EXPECT_EQ(list.Attributes(list[0])[1].name, "data-foo");
  EXPECT_EQ(list.Attributes(list[0])[1].value, "bar");
  EXPECT_FALSE(list.Attributes(list[0])[1].raw);
  EXPECT_TRUE(list.Attributes(list[0])[0].raw);
  // Known keys are fields, not attributes.
  ParseElementsChain(R"(div:text="t"href="/h"attr_id="i"nth-child="1"nth-of-type="2")", &list);
  EXPECT_TRUE(list.Attributes(list[0]).empty());
  EXPECT_EQ(list[0].nth_of_type, 2);
}

TEST(ElementsChainTest, BareUnknownKeysNeverSetIdClassesOrHref) {
  ElementList list;
  ParseElementsChain(R"(a:id="x"class="big red"data-x="1";a.c:attr__id="r"id="x"class="k")"
                     R"(attr__href="/raw";b:attr_id="i"id="x";b:attr__="e")",
                     &list);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_FALSE(list[0].has_id);
  EXPECT_EQ(list[0].id, "");
  EXPECT_FALSE(list[0].has_href);
  EXPECT_TRUE(list.Classes(list[0]).empty());
  EXPECT_EQ(list.Attribute(list[0], "id"), std::nullopt);
  EXPECT_EQ(list.Attribute(list[0], "class"), std::nullopt);
  EXPECT_EQ(list.Attributes(list[0]).size(), 3u);
  // A bare key written after the raw one does not override it.
  EXPECT_EQ(list[1].id, "r");
  EXPECT_EQ(list.Attribute(list[1], "id"), "r");
  EXPECT_THAT(ClassesOf(list, 1), ElementsAre("c"));
  EXPECT_EQ(list[1].href, "/raw");
  EXPECT_EQ(list[2].id, "i");
  EXPECT_FALSE(list[3].has_id);
  EXPECT_EQ(list.Attribute(list[3], ""), std::nullopt);
}

TEST(ElementsChainTest, NonIntegerPositionsAreIgnored) {
  ElementList list;
  ParseElementsChain(
      R"(a:nth-child="x"nth-of-type="2.5";b:nth-child="";c:nth-child="99999999999";)"
      R"(d:nth-child="3"nth-child="three";e:nth-child=" 4";f:nth-child="007"nth-of-type="-2")",
      &list);
  ASSERT_EQ(list.size(), 6u);
  EXPECT_EQ(list[0].nth_child, Element::kNoPosition);
  EXPECT_EQ(list[0].nth_of_type, Element::kNoPosition);
  EXPECT_EQ(list[1].nth_child, Element::kNoPosition);
  EXPECT_EQ(list[2].nth_child, Element::kNoPosition);
  EXPECT_EQ(list[3].nth_child, 3);  // the ignored pair does not erase the earlier value
  EXPECT_EQ(list[4].nth_child, Element::kNoPosition);
  EXPECT_EQ(list[5].nth_child, 7);
  EXPECT_EQ(list[5].nth_of_type, -2);
}

TEST(ElementsChainTest, IdIsAttrIdElseRawId) {
  ElementList list;
  ParseElementsChain(R"(a:attr__id="legacy"attr_id="pricing-link";a:attr_id="first"attr__id="raw";)"
                     R"(a:attr__id="pricing-link";a)",
                     &list);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].id, "pricing-link");
  EXPECT_EQ(list[1].id, "first");
  EXPECT_EQ(list[2].id, "pricing-link");
  EXPECT_TRUE(list[2].has_id);
  EXPECT_FALSE(list[3].has_id);
}

TEST(ElementsChainTest, HrefIsHrefElseRawHref) {
  ElementList list;
  ParseElementsChain(R"(a:attr__href="/pricing"href="/plans";a:attr__href="/pricing";a)", &list);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].href, "/plans");
  EXPECT_EQ(list[1].href, "/pricing");
  EXPECT_TRUE(list[1].has_href);
  EXPECT_FALSE(list[2].has_href);
  EXPECT_EQ(list[2].href, "");
}

TEST(ElementsChainTest, ClassesAreUnionOfClassListAndRawClass) {
  ElementList list;
  ParseElementsChain(R"(button.btn:attr__class="btn btn-lg primary";.cta--large)", &list);
  EXPECT_TRUE(list.HasClass(list[0], "btn"));
  EXPECT_TRUE(list.HasClass(list[0], "btn-lg"));
  EXPECT_TRUE(list.HasClass(list[0], "primary"));
  ParseElementsChain(R"(a:attr__class="cta cta--large")", &list);
  EXPECT_TRUE(list.HasClass(list[0], "cta--large"));
  EXPECT_FALSE(list.HasClass(list[0], "cta-"));
}

TEST(ElementsChainTest, UnterminatedQuoteEndsChainKeepingWhatWasRead) {
  ElementList list;
  ParseElementsChain(
      R"(span.icon:nth-child="1"nth-of-type="1";a.cta:attr__class="cta"href="/signup")"
      R"(nth-child="2"nth-of-type="1"text="Start free trial;div.hero;section.landing)",
      &list);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].tag, "span");
  EXPECT_EQ(list[1].tag, "a");
  EXPECT_TRUE(list.HasClass(list[1], "cta"));
  EXPECT_EQ(list[1].href, "/signup");
  EXPECT_EQ(list[1].nth_child, 2);
  EXPECT_EQ(list[1].text, "");
}

TEST(ElementsChainTest, UnterminatedQuoteVariants) {
  ElementList list;
  ParseElementsChain(R"(button:text="unterminated)", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].tag, "button");
  EXPECT_EQ(list[0].text, "");

  ParseElementsChain(R"(a:text="ends with backslash\)", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].text, "");

  ParseElementsChain(R"(a:text="escaped quote at end\";b)", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].tag, "a");

  ParseElementsChain(R"(a:text=")", &list);
  ASSERT_EQ(list.size(), 1u);
}

TEST(ElementsChainTest, MalformedAttributesEndTheChain) {
  ElementList list;
  ParseElementsChain(R"(a:text="x"junk;b)", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].text, "x");

  ParseElementsChain(R"(a.c:text=unquoted;b)", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].tag, "a");
  EXPECT_THAT(ClassesOf(list, 0), ElementsAre("c"));
  EXPECT_EQ(list[0].text, "");

  ParseElementsChain(R"(a:text="x"="y";b)", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].text, "x");
}

TEST(ElementsChainTest, StrayColonsAndEqualsStayInTagPart) {
  ElementList list;
  ParseElementsChain(R"(a:;b=c;d::text="x";e:=;:)", &list);
  EXPECT_THAT(TagsOf(list), ElementsAre("a:", "b=c", "d:", "e:=", ":"));
  EXPECT_EQ(list[2].text, "x");
}

TEST(ElementsChainTest, LoneBackslashesAndQuotesInTagPartAreCharacters) {
  ElementList list;
  ParseElementsChain(R"(a\;b"c;\)", &list);
  EXPECT_THAT(TagsOf(list), ElementsAre(R"(a\)", R"(b"c)", R"(\)"));
}

// Structural invariants that hold for any input; the fuzz tests below check them.
void CheckInvariants(std::string_view chain, const ElementList& list) {
  size_t runs = 0;
  bool in_run = false;
  for (char c : chain) {
    bool separator =
        c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (!separator && !in_run) ++runs;
    in_run = !separator;
  }
  ASSERT_LE(list.size(), runs);  // every element starts a run of non-separators
  for (size_t i = 0; i < list.size(); ++i) {
    const Element& e = list[i];
    ASSERT_TRUE(PointsInto(e.tag, chain));
    for (std::string_view cls : list.Classes(e)) {
      ASSERT_FALSE(cls.empty());
      ASSERT_EQ(cls.find(' '), std::string_view::npos);
    }
    for (const ElementAttribute& a : list.Attributes(e)) {
      ASSERT_TRUE(PointsInto(a.name, chain));
      // Touch every byte so a dangling view shows up under the sanitizers.
      volatile size_t sum = 0;
      for (char c : a.value) sum = sum + static_cast<unsigned char>(c);
    }
    volatile size_t sum = 0;
    for (char c : e.text) sum = sum + static_cast<unsigned char>(c);
    for (char c : e.href) sum = sum + static_cast<unsigned char>(c);
    for (char c : e.id) sum = sum + static_cast<unsigned char>(c);
  }
}

TEST(ElementsChainTest, RandomInputNeverCrashes) {
  constexpr std::string_view kAlphabet = "\"\\;:=. \t.#abzAZ09_-";
  constexpr std::string_view kTokens[] = {
      "attr__", "text=\"", "href=\"", "attr_id=\"", "nth-child=\"", "\\\"", "\\\\", "\";", ":k=\""};
  std::mt19937 rng(12345);
  ElementList list;
  std::string chain;
  for (int round = 0; round < 20000; ++round) {
    chain.clear();
    size_t length = rng() % 64;
    for (size_t i = 0; i < length; ++i) {
      uint32_t pick = rng() % 10;
      if (pick < 2) {
        chain += kTokens[rng() % std::size(kTokens)];
      } else if (pick < 3) {
        chain += static_cast<char>(rng() % 256);
      } else {
        chain += kAlphabet[rng() % kAlphabet.size()];
      }
    }
    ParseElementsChain(chain, &list);
    CheckInvariants(chain, list);
  }
}

TEST(ElementsChainTest, MutatedRealChainsNeverCrash) {
  std::mt19937 rng(99);
  ElementList list;
  for (int round = 0; round < 5000; ++round) {
    std::string chain(kSignupChain);
    int edits = 1 + rng() % 4;
    for (int i = 0; i < edits; ++i) {
      size_t at = rng() % chain.size();
      switch (rng() % 3) {
        case 0:
          chain.erase(at, 1 + rng() % 8);
          break;
        case 1:
          chain.insert(at, 1, "\"\\;:= "[rng() % 6]);
          break;
        default:
          chain.resize(at);
          break;
      }
      if (chain.empty()) break;
    }
    ParseElementsChain(chain, &list);
    CheckInvariants(chain, list);
  }
}

TEST(ElementsChainTest, LargeHostileChainsParseInLinearTime) {
  // Patterns that would make a naive parser rescan: many colons before a key, many escapes,
  // one huge element with many attributes.
  std::string colons(1 << 20, ':');
  std::string keys;
  for (int i = 0; i < 100000; ++i) keys += ":aaaaaaaa";
  std::string escapes = "a:text=\"" + std::string(1 << 20, '\\') + "\"";
  std::string attributes = "a:";
  for (int i = 0; i < 100000; ++i) attributes += "attr__x=\"\\\"\"";
  ElementList list;
  auto start = std::chrono::steady_clock::now();
  ParseElementsChain(colons, &list);
  EXPECT_EQ(list.size(), 1u);
  ParseElementsChain(keys, &list);
  EXPECT_EQ(list.size(), 1u);
  ParseElementsChain(escapes, &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].text.size(), size_t{1} << 19);
  ParseElementsChain(attributes, &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.Attributes(list[0]).size(), 100000u);
  EXPECT_EQ(list.Attribute(list[0], "x"), "\"");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace actiond::engine
