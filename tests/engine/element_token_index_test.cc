#include "engine/element_token_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "engine/elements_chain.h"
#include "engine/selector.h"

namespace actiond::engine {
namespace {

using Kind = ElementToken::Kind;

constexpr std::string_view kChain =
    R"(button.btn.btn-primary:attr__class="btn btn-primary"attr__data-attr="signup-submit")"
    R"(attr__type="submit"nth-child="3"nth-of-type="1"text="Sign up";)"
    R"(a.nav-link:attr__href="/pricing/enterprise-plans"href="/pricing/enterprise-plans")"
    R"(nth-child="2"nth-of-type="2";)"
    R"(form.signup-form:attr__class="signup-form"attr__id="signup"attr_id="signup")"
    R"(nth-child="2"nth-of-type="1";body:nth-child="2"nth-of-type="1")";

// The tokens of `tokens` that kChain carries, by their position in `tokens`.
std::vector<bool> PresentIn(std::string_view chain, const std::vector<ElementToken>& tokens) {
  ElementTokenIndex index;
  std::vector<uint32_t> ids;
  ids.reserve(tokens.size());
  for (const ElementToken& token : tokens) ids.push_back(index.Add(token));
  index.Build();
  ElementList elements;
  ParseElementsChain(chain, &elements);
  std::vector<uint32_t> marks(index.size(), 0);
  std::vector<uint32_t> present;
  index.CollectPresent(elements, /*epoch=*/7, &marks, &present);
  std::vector<uint32_t> sorted = present;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end()) << "an id listed twice";
  std::vector<bool> out;
  for (uint32_t id : ids) {
    const bool listed = std::find(present.begin(), present.end(), id) != present.end();
    EXPECT_EQ(listed, marks[id] == 7) << "mark and list disagree for token " << id;
    out.push_back(listed);
  }
  return out;
}

TEST(ElementTokenIndexTest, FindsEachKindOfTokenTheChainCarries) {
  EXPECT_EQ(PresentIn(kChain, {{Kind::kTag, "button", ""},
                               {Kind::kClass, "btn-primary", ""},
                               {Kind::kId, "signup", ""},
                               {Kind::kHref, "/pricing/enterprise-plans", ""},
                               {Kind::kAttribute, "data-attr", "signup-submit"}}),
            std::vector<bool>(5, true));
}

TEST(ElementTokenIndexTest, AbsentTokensAreNotFound) {
  EXPECT_EQ(PresentIn(kChain, {{Kind::kTag, "span", ""},
                               {Kind::kClass, "btn-secondary", ""},
                               {Kind::kId, "main", ""},
                               {Kind::kHref, "/pricing/enterprise-plan", ""},  // a prefix only
                               {Kind::kAttribute, "data-attr", "signup"},
                               {Kind::kAttribute, "data-id", "signup-submit"}}),
            std::vector<bool>(6, false));
}

TEST(ElementTokenIndexTest, KindsAreNotConfused) {
  // The tag "a" is there, the class "a" is not; the id "signup" is, the class "signup" is not.
  EXPECT_EQ(PresentIn(kChain, {{Kind::kTag, "a", ""},
                               {Kind::kClass, "a", ""},
                               {Kind::kId, "signup", ""},
                               {Kind::kClass, "signup", ""}}),
            (std::vector<bool>{true, false, true, false}));
}

TEST(ElementTokenIndexTest, AttributeNameAndValueAreOneToken) {
  // type="submit" and data-attr="signup-submit" are there; their halves swapped are not.
  EXPECT_EQ(PresentIn(kChain, {{Kind::kAttribute, "type", "submit"},
                               {Kind::kAttribute, "type", "signup-submit"},
                               {Kind::kAttribute, "data-attr", "submit"}}),
            (std::vector<bool>{true, false, false}));
}

TEST(ElementTokenIndexTest, ManyAttributeNamesAreAllLookedUp) {
  // Past the few names compared before hashing, every attribute is hashed: still exact.
  std::vector<ElementToken> tokens;
  for (int i = 0; i < 20; ++i) {
    std::string name = "n";  // not "n" + …: GCC 12 warns wrongly (-Wrestrict) about that
    name += std::to_string(i);
    tokens.push_back({Kind::kAttribute, name, "v"});
  }
  tokens.push_back({Kind::kAttribute, "data-attr", "signup-submit"});
  std::vector<bool> expected(20, false);
  expected.push_back(true);
  EXPECT_EQ(PresentIn(kChain, tokens), expected);
}

TEST(ElementTokenIndexTest, EqualTokensShareAnId) {
  ElementTokenIndex index;
  EXPECT_EQ(index.Add({Kind::kClass, "btn", ""}), index.Add({Kind::kClass, "btn", ""}));
  EXPECT_NE(index.Add({Kind::kClass, "btn", ""}), index.Add({Kind::kTag, "btn", ""}));
  EXPECT_EQ(index.size(), 2u);
}

TEST(ElementTokenIndexTest, EmptyIndexFindsNothing) {
  ElementTokenIndex index;
  index.Build();
  ElementList elements;
  ParseElementsChain(kChain, &elements);
  std::vector<uint32_t> marks;
  std::vector<uint32_t> present;
  index.CollectPresent(elements, 1, &marks, &present);
  EXPECT_TRUE(present.empty());
}

// What the ActionSet relies on: a chain a selector matches carries every token the selector
// requires, so a step is never left unevaluated when it would match.
TEST(ElementTokenIndexTest, AMatchingSelectorsTokensAreAllPresent) {
  for (std::string_view text :
       {"button.btn.btn-primary", "form#signup button", "[data-attr='signup-submit']",
        "body form > a[href='/pricing/enterprise-plans']", "[id=signup] .nav-link",
        "button[type=submit]:nth-child(3)"}) {
    Result<Selector> selector = Selector::Parse(text);
    ASSERT_TRUE(selector.ok()) << text;
    ElementList elements;
    ParseElementsChain(kChain, &elements);
    ASSERT_TRUE(selector->Matches(elements)) << text;
    std::vector<ElementToken> required;
    selector->AddRequiredTokens(&required);
    EXPECT_FALSE(required.empty()) << text;
    EXPECT_EQ(PresentIn(kChain, required), std::vector<bool>(required.size(), true)) << text;
  }
}

}  // namespace
}  // namespace actiond::engine
