#include "engine/selector.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>
#include <string_view>

#include "engine/elements_array.h"
#include "engine/elements_chain.h"

namespace actiond::engine {
namespace {

constexpr std::string_view kSignupChain =
    R"(button.btn.btn-primary:attr__class="btn btn-primary"attr__data-attr="signup-submit")"
    R"(attr__type="submit"nth-child="3"nth-of-type="1"text="Sign up";)"
    R"(form.signup-form:attr__class="signup-form"attr__id="signup"attr_id="signup")"
    R"(nth-child="2"nth-of-type="1";div.container:attr__class="container"nth-child="1")"
    R"(nth-of-type="1";body:nth-child="2"nth-of-type="1";html:nth-child="1"nth-of-type="1")";

constexpr std::string_view kNavChain =
    R"(span.label:attr__class="label"nth-child="1"nth-of-type="1"text="Pricing";)"
    R"(a.nav-link:attr__class="nav-link"attr__data-attr="nav-pricing"attr__href="/pricing")"
    R"(href="/pricing"nth-child="2"nth-of-type="2";li.nav-item:attr__class="nav-item")"
    R"(nth-child="3"nth-of-type="3";ul.navbar-nav:attr__class="navbar-nav"attr__id="main-nav")"
    R"(attr_id="main-nav"nth-child="1"nth-of-type="1";nav.navbar.navbar-expand-lg:)"
    R"(attr__class="navbar navbar-expand-lg"nth-child="1"nth-of-type="1";header.site-header:)"
    R"(attr__class="site-header"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1";)"
    R"(html:nth-child="1"nth-of-type="1")";

// Parses `selector` (which must be valid) and matches it against `chain`.
bool Matches(std::string_view selector, std::string_view chain) {
  Result<Selector> parsed = Selector::Parse(selector);
  EXPECT_TRUE(parsed.ok()) << selector << ": " << parsed.status().message();
  if (!parsed.ok()) return false;
  ElementList list;
  ParseElementsChain(chain, &list);
  return parsed->Matches(list);
}

// The InvalidInput message for `selector`, or "<ok>".
std::string ErrorOf(std::string_view selector) {
  Result<Selector> parsed = Selector::Parse(selector);
  if (parsed.ok()) return "<ok>";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidInput) << selector;
  EXPECT_TRUE(parsed.status().attr().empty());
  return std::string(parsed.status().message());
}

TEST(SelectorTest, TypeSelectorBindsTheClickedElement) {
  EXPECT_TRUE(Matches("button", kSignupChain));
  EXPECT_FALSE(Matches("a", kSignupChain));
}

TEST(SelectorTest, TypeSelectorIsCaseSensitive) {
  EXPECT_FALSE(Matches("BUTTON", kSignupChain));
  EXPECT_FALSE(Matches(".BTN", kSignupChain));
}

TEST(SelectorTest, CustomElementTypeSelector) {
  EXPECT_TRUE(Matches("checkout-widget button",
                      R"(button.pay:nth-child="1";checkout-widget:nth-child="1";body)"));
}

TEST(SelectorTest, UniversalMatchesAnyElementButNeedsElements) {
  EXPECT_TRUE(Matches("*", kSignupChain));
  EXPECT_TRUE(Matches("*", R"(:nth-child="1")"));  // an element without a tag
  EXPECT_FALSE(Matches("*", ""));
  EXPECT_TRUE(Matches("*.btn", kSignupChain));
  EXPECT_FALSE(Matches("*.nope", kSignupChain));
}

TEST(SelectorTest, NoElementsNeverMatch) {
  Result<Selector> s = Selector::Parse("button");
  ASSERT_TRUE(s.ok());
  ElementList empty;
  EXPECT_FALSE(s->Matches(empty));
}

TEST(SelectorTest, IdSelectorEqualsElementId) {
  EXPECT_TRUE(Matches("#signup", kSignupChain));
  EXPECT_TRUE(Matches("form#signup", kSignupChain));
  EXPECT_FALSE(Matches("button#signup", kSignupChain));
  EXPECT_FALSE(Matches("#sign", kSignupChain));
  EXPECT_TRUE(Matches("#1abc", R"(div:attr_id="1abc")"));
  EXPECT_TRUE(Matches("#raw", R"(div:attr__id="raw")"));
  EXPECT_FALSE(Matches("#raw", R"(div:attr__id="raw"attr_id="wins")"));
  EXPECT_FALSE(Matches("#a#b", R"(div:attr_id="a")"));
}

TEST(SelectorTest, ClassSelectorNeedsWholeToken) {
  EXPECT_TRUE(Matches(".btn-primary", kSignupChain));
  EXPECT_TRUE(Matches(".btn.btn-primary", kSignupChain));
  EXPECT_FALSE(Matches(".btn-prim", kSignupChain));
  EXPECT_FALSE(Matches(".btn", R"(button.btn-lg.btn-primary:attr__class="btn-lg btn-primary")"));
}

TEST(SelectorTest, ClassesComeFromClassListAndRawClass) {
  EXPECT_TRUE(Matches(".cta--large", R"(a:attr__class="cta cta--large")"));
  EXPECT_TRUE(Matches("button.btn.primary", R"(button.btn:attr__class="btn btn-lg primary")"));
}

TEST(SelectorTest, EscapedColonNamesTailwindClass) {
  constexpr std::string_view chain =
      R"(a.hover:underline.text-sm:attr__class="hover:underline text-sm"nth-child="1";)"
      R"(li:nth-child="2";nav:nth-child="1")";
  EXPECT_TRUE(Matches(R"(nav .hover\:underline)", chain));
  EXPECT_TRUE(Matches(R"(.hover\:underline.text-sm)", chain));
  EXPECT_FALSE(Matches(R"(.hover\:under)", chain));
  EXPECT_TRUE(Matches(R"(\61)", R"(61)"));        // no hex escapes: `\6` is just '6'
  EXPECT_FALSE(Matches(R"(.a\ b)", R"(p.a.b)"));  // the class "a b", which p lacks
}

TEST(SelectorTest, AttributePresence) {
  EXPECT_TRUE(Matches("[data-attr]", kSignupChain));
  EXPECT_FALSE(Matches("[data-missing]", kSignupChain));
  EXPECT_TRUE(Matches("[placeholder]", R"(input:attr__placeholder="")"));
}

TEST(SelectorTest, AttributeValueUnquotedSingleAndDoubleQuoted) {
  EXPECT_TRUE(Matches("[data-attr=signup-submit]", kSignupChain));
  EXPECT_TRUE(Matches("button[data-attr='signup-submit']", kSignupChain));
  EXPECT_TRUE(Matches(R"([type="submit"])", kSignupChain));
  EXPECT_FALSE(Matches(R"([type="Submit"])", kSignupChain));
  EXPECT_FALSE(Matches("[data-attr=signup]", kSignupChain));
}

TEST(SelectorTest, UnquotedValueIsTrimmedRunUpToBracket) {
  constexpr std::string_view chain = R"(button;div:attr__data-step="2";form)";
  EXPECT_TRUE(Matches("div[data-step=2] > button", chain));
  EXPECT_TRUE(Matches("[ data-step =  2 ]", chain));
  EXPECT_TRUE(Matches("[title=a b]", R"(p:attr__title="a b")"));
  EXPECT_FALSE(Matches("[data-step=3]", chain));
}

TEST(SelectorTest, QuotedValueMayContainBracketAndOtherQuote) {
  EXPECT_TRUE(Matches(R"([title="a]b"])", R"(p:attr__title="a]b")"));
  EXPECT_TRUE(Matches(R"([title='say "hi"'])", R"(p:attr__title="say \"hi\"")"));
  EXPECT_TRUE(Matches(R"([title="it\"s"])", R"(p:attr__title="it\"s")"));
}

TEST(SelectorTest, EmptyQuotedValueNeedsPresentEmptyAttribute) {
  Result<Selector> s = Selector::Parse(R"(input[placeholder=""])");
  ASSERT_TRUE(s.ok());
  ElementList list;
  ParseElementsChain(R"(input.search:attr__placeholder=""attr__type="search")", &list);
  EXPECT_TRUE(s->Matches(list));
  ParseElementsChain(R"(input.search:attr__type="search")", &list);
  EXPECT_FALSE(s->Matches(list));
  ParseElementsChain(R"(input.search:attr__placeholder="Search…")", &list);
  EXPECT_FALSE(s->Matches(list));
  EXPECT_TRUE(Matches("[placeholder='']", R"(input:attr__placeholder="")"));
}

TEST(SelectorTest, HrefAttributeTestsElementHref) {
  EXPECT_TRUE(Matches(R"(a[href="/pricing"])", kNavChain));
  EXPECT_TRUE(Matches("[href]", R"(a:attr__href="/only-raw")"));
  EXPECT_TRUE(Matches("[href='/only-raw']", R"(a:attr__href="/only-raw")"));
  // href wins over attr__href, and [href] tests the element's href.
  EXPECT_FALSE(Matches("[href='/pricing']", R"(a:attr__href="/pricing"href="/plans")"));
  EXPECT_TRUE(Matches("[href='/plans']", R"(a:attr__href="/pricing"href="/plans")"));
  EXPECT_FALSE(Matches("[href]", R"(a:text="x")"));
}

TEST(SelectorTest, IdAttributeTestsElementId) {
  EXPECT_TRUE(Matches("form[id='signup']", kSignupChain));
  EXPECT_TRUE(Matches("[id]", R"(a:attr_id="x")"));
  EXPECT_TRUE(Matches("[id=x]", R"(a:attr_id="x")"));
  EXPECT_FALSE(Matches("[id=raw]", R"(a:attr__id="raw"attr_id="x")"));
}

TEST(SelectorTest, OtherAttributesTestRawAttributes) {
  EXPECT_TRUE(Matches(R"([class="btn btn-primary"])", kSignupChain));
  EXPECT_FALSE(Matches(R"([class="btn"])", kSignupChain));
  EXPECT_FALSE(Matches("[class]", R"(button.btn)"));  // a class list is no class attribute
  EXPECT_FALSE(Matches("[text]", R"(button:text="x")"));
  EXPECT_TRUE(Matches("[aria-label='Close dialog']", R"(button:attr__aria-label="Close dialog")"));
}

TEST(SelectorTest, BareChainKeysAreInvisibleToSelectors) {
  constexpr std::string_view kChain = R"(a:id="x"class="big"href="/h"data-x="1")";
  EXPECT_FALSE(Matches("#x", kChain));
  EXPECT_FALSE(Matches("[id=x]", kChain));
  EXPECT_FALSE(Matches(".big", kChain));
  EXPECT_FALSE(Matches("[class=big]", kChain));
  EXPECT_FALSE(Matches("[data-x]", kChain));
  EXPECT_TRUE(Matches("[href='/h']", kChain));  // `href` is the chain's own field
  EXPECT_TRUE(Matches("[data-x]", R"(a:attr__data-x="1")"));
}

TEST(SelectorTest, NthChildAndNthOfTypeEqualElementValues) {
  EXPECT_TRUE(Matches("li:nth-child(3) > a", kNavChain));
  EXPECT_TRUE(Matches("a:nth-of-type(2)", kNavChain));
  EXPECT_FALSE(Matches("a:nth-of-type(1)", kNavChain));
  EXPECT_TRUE(Matches("button.btn.btn-primary[type='submit']:nth-child(3)", kSignupChain));
  EXPECT_TRUE(Matches("li:nth-child( 3 ) > a[ href = \"/pricing\" ]", kNavChain));
  EXPECT_TRUE(Matches(":nth-child(007)", R"(p:nth-child="7")"));
  EXPECT_FALSE(Matches(":nth-child(1):nth-child(2)", R"(p:nth-child="1";p:nth-child="2")"));
  EXPECT_TRUE(Matches(":nth-child(2):nth-child(2)", R"(p:nth-child="1";p:nth-child="2")"));
  EXPECT_FALSE(Matches(":nth-child(1)", R"(p:nth-child="x")"));
}

TEST(SelectorTest, ChildCombinatorNeedsDirectParent) {
  EXPECT_TRUE(Matches("form > button", kSignupChain));
  EXPECT_TRUE(Matches("form>button", kSignupChain));
  EXPECT_TRUE(Matches("li>a", kNavChain));
  EXPECT_FALSE(Matches("div.container > button", kSignupChain));
}

TEST(SelectorTest, DescendantCombinatorOrderMatters) {
  EXPECT_TRUE(Matches("div.container button", kSignupChain));
  EXPECT_TRUE(Matches("html button", kSignupChain));
  EXPECT_FALSE(Matches("button form", kSignupChain));
  EXPECT_TRUE(Matches("nav a.nav-link", kNavChain));
  EXPECT_TRUE(Matches("ul#main-nav a", kNavChain));
  EXPECT_FALSE(Matches("footer a", kNavChain));
  EXPECT_FALSE(Matches("span span", kNavChain));
}

TEST(SelectorTest, LastCompoundMayBindAnAncestor) {
  EXPECT_TRUE(Matches("div.container > form", kSignupChain));
  EXPECT_TRUE(Matches("html", kSignupChain));
  EXPECT_TRUE(Matches("#signup", kSignupChain));
}

TEST(SelectorTest, DescendantThenChildBacktracks) {
  // span's parent is div.inner; the aside is further up.
  constexpr std::string_view chain = R"(span.badge;div.inner;section;div.outer;aside;body)";
  EXPECT_TRUE(Matches("aside div > span", chain));
  // The nearest div above span (div.inner) has no aside parent; div.outer does.
  EXPECT_TRUE(Matches("aside > div span", chain));
  EXPECT_FALSE(Matches("aside > div > span", chain));
  EXPECT_TRUE(Matches("aside > div section > div > span", chain));
  EXPECT_FALSE(Matches("aside > div section > div > span.other", chain));
  EXPECT_FALSE(Matches("body > div span", chain));
}

TEST(SelectorTest, SelectorWorksOnElementsArray) {
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  constexpr std::string_view json =
      R"([{"tag_name": "a", "attr__id": "signup-link", "classes": ["btn"]},
          {"tag_name": "nav", "attr__id": "topnav"}])";
  ASSERT_EQ(parser.parse(json.data(), json.size()).get_array().get(array), simdjson::SUCCESS);
  ElementList list;
  ReadElementsArray(array, &list);
  Result<Selector> s = Selector::Parse("nav#topnav > a#signup-link.btn");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Matches(list));
}

TEST(SelectorTest, SourceIsTrimmed) {
  Result<Selector> s = Selector::Parse("  \n form >  button \t");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->source(), "form >  button");
  EXPECT_TRUE(Matches("  form > button  ", kSignupChain));
}

TEST(SelectorTest, RejectsUnsupportedPartsNamingThem) {
  EXPECT_EQ(ErrorOf("a:hover"), "unsupported selector part ':hover'");
  EXPECT_EQ(ErrorOf("a:not(.b)"), "unsupported selector part ':not(.b)'");
  EXPECT_EQ(ErrorOf("a:not(:nth-child(2))"), "unsupported selector part ':not(:nth-child(2))'");
  EXPECT_EQ(ErrorOf("p::before"), "unsupported selector part '::before'");
  EXPECT_EQ(ErrorOf("a + b"), "unsupported selector part '+'");
  EXPECT_EQ(ErrorOf("a+b"), "unsupported selector part '+'");
  EXPECT_EQ(ErrorOf("a ~ b"), "unsupported selector part '~'");
  EXPECT_EQ(ErrorOf("a, b"), "unsupported selector part ','");
  EXPECT_EQ(ErrorOf("li:nth-child(2n+1)"), "unsupported selector part ':nth-child(2n+1)'");
  EXPECT_EQ(ErrorOf("li:nth-child(odd)"), "unsupported selector part ':nth-child(odd)'");
  EXPECT_EQ(ErrorOf("li:nth-child(0)"), "unsupported selector part ':nth-child(0)'");
  EXPECT_EQ(ErrorOf("li:nth-child(-1)"), "unsupported selector part ':nth-child(-1)'");
  EXPECT_EQ(ErrorOf("li:nth-of-type(1 2)"), "unsupported selector part ':nth-of-type(1 2)'");
  EXPECT_EQ(ErrorOf("li:nth-child(99999999999)"),
            "unsupported selector part ':nth-child(99999999999)'");
  EXPECT_EQ(ErrorOf("li:nth-child"), "unsupported selector part ':nth-child'");
  EXPECT_EQ(ErrorOf("li:first-child"), "unsupported selector part ':first-child'");
  EXPECT_EQ(ErrorOf("[a^=b]"), "unsupported selector part '[a^=b]'");
  EXPECT_EQ(ErrorOf("[a~=b]"), "unsupported selector part '[a~=b]'");
  EXPECT_EQ(ErrorOf("[a*='b']"), "unsupported selector part '[a*='b']'");
  EXPECT_EQ(ErrorOf("[a|=b]"), "unsupported selector part '[a|=b]'");
  EXPECT_EQ(ErrorOf("[a$=b]"), "unsupported selector part '[a$=b]'");
  EXPECT_EQ(ErrorOf(R"([a="b" i])"), R"(unsupported selector part '[a="b" i]')");
  EXPECT_EQ(ErrorOf("[a b]"), "unsupported selector part '[a b]'");
  EXPECT_EQ(ErrorOf("[=b]"), "unsupported selector part '[=b]'");
  EXPECT_EQ(ErrorOf("ns|a"), "unsupported selector part '|'");
  EXPECT_EQ(ErrorOf("a:"), "unsupported selector part ':'");
  EXPECT_EQ(ErrorOf("div*"), "unsupported selector part '*'");
  EXPECT_EQ(ErrorOf("a!"), "unsupported selector part '!'");
}

TEST(SelectorTest, RejectsMalformedSelectors) {
  EXPECT_EQ(ErrorOf(""), "empty selector");
  EXPECT_EQ(ErrorOf(" \t\n "), "empty selector");
  EXPECT_EQ(ErrorOf("[a"), "unbalanced '[' in selector");
  EXPECT_EQ(ErrorOf("[a=b"), "unbalanced '[' in selector");
  EXPECT_EQ(ErrorOf("[a='b'"), "unbalanced '[' in selector");
  EXPECT_EQ(ErrorOf("["), "unbalanced '[' in selector");
  EXPECT_EQ(ErrorOf("[a='b]"), "unterminated string in selector");
  EXPECT_EQ(ErrorOf("a]"), "unbalanced ']' in selector");
  EXPECT_EQ(ErrorOf("a)"), "unbalanced ')' in selector");
  EXPECT_EQ(ErrorOf("a("), "unbalanced '(' in selector");
  EXPECT_EQ(ErrorOf("li:nth-child(2"), "unbalanced '(' in selector");
  EXPECT_EQ(ErrorOf("> a"), "the combinator '>' needs a compound on each side");
  EXPECT_EQ(ErrorOf("a > > b"), "the combinator '>' needs a compound on each side");
  EXPECT_EQ(ErrorOf("a >"), "selector ends with the combinator '>'");
  EXPECT_EQ(ErrorOf("#"), "missing name after '#'");
  EXPECT_EQ(ErrorOf("a."), "missing name after '.'");
  EXPECT_EQ(ErrorOf("a\\"), "selector ends with a lone backslash");
  EXPECT_EQ(ErrorOf("[a=]"), R"(missing value in '[a=]' (write [k=""] for an empty value))");
  EXPECT_EQ(ErrorOf("[x]div"), "type selector 'div' must come first in a compound");
}

TEST(SelectorTest, RejectsOverlongSelectorsQuickly) {
  std::string huge;
  for (int i = 0; i < 10000; ++i) huge += "div ";
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ErrorOf(huge), "selector too long");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  EXPECT_EQ(ErrorOf(std::string(4097, 'a')), "selector too long");
  EXPECT_EQ(ErrorOf("." + std::string(4096, 'a')), "selector too long");

  std::string compounds;
  for (int i = 0; i < 100; ++i) compounds += "a ";
  EXPECT_EQ(ErrorOf(compounds), "<ok>");
  EXPECT_EQ(ErrorOf(compounds + "a"), "selector too long");
  EXPECT_EQ(ErrorOf(std::string(4096, 'a')), "<ok>");
}

TEST(SelectorTest, MatchingIsPolynomialOnAdversarialInput) {
  // 99 descendant `div`s and a final `span` over 500 nested divs with no span: naive
  // backtracking would explore C(500, 99) bindings.
  std::string selector;
  for (int i = 0; i < 99; ++i) selector += "div ";
  selector += "span";
  std::string chain;
  for (int i = 0; i < 500; ++i) chain += "div;";
  Result<Selector> s = Selector::Parse(selector);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ElementList list;
  ParseElementsChain(chain, &list);
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(s->Matches(list));
  // Also with a span at the bottom that only fails at the very top.
  std::string with_span = "span;" + chain;  // the list views the chain: keep it alive
  ParseElementsChain(with_span, &list);
  std::string needs_html = "html " + selector;
  Result<Selector> t = Selector::Parse(needs_html.substr(0, needs_html.size()));
  ASSERT_FALSE(t.ok());  // 101 compounds
  std::string mixed;
  for (int i = 0; i < 49; ++i) mixed += "div > div ";
  mixed += "span";
  Result<Selector> u = Selector::Parse(mixed);
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->Matches(list));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(SelectorTest, DeepChainMatchesAnywhere) {
  std::string chain;
  for (int i = 0; i < 1000; ++i) chain += "div;";
  chain += R"(main:attr_id="root";body)";
  EXPECT_TRUE(Matches("body > main#root > div", chain));
  EXPECT_TRUE(Matches("#root div div", chain));
  EXPECT_FALSE(Matches("div main", chain));
}

TEST(SelectorTest, RandomSelectorsNeverCrash) {
  constexpr std::string_view kAlphabet = "ab.#[]()='\":>+~,* \\-_nth-child(1)";
  uint32_t state = 7;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 8;
  };
  ElementList list;
  ParseElementsChain(kNavChain, &list);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    size_t length = next() % 24;
    for (size_t i = 0; i < length; ++i) {
      text +=
          next() % 8 == 0 ? static_cast<char>(next() % 256) : kAlphabet[next() % kAlphabet.size()];
    }
    Result<Selector> s = Selector::Parse(text);
    if (s.ok()) {
      (void)s->Matches(list);
    } else {
      EXPECT_EQ(s.status().code(), StatusCode::kInvalidInput) << text;
      EXPECT_FALSE(s.status().message().empty());
    }
  }
}

}  // namespace
}  // namespace actiond::engine
