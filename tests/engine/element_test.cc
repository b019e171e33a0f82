#include "engine/element.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace actiond::engine {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> ClassesOf(const ElementList& list, size_t i) {
  std::vector<std::string> out;
  for (std::string_view cls : list.Classes(list[i])) out.emplace_back(cls);
  return out;
}

TEST(ElementTest, NewListIsEmpty) {
  ElementList list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.size(), 0u);
}

TEST(ElementTest, ClassesAreTheUnionOfClassListAndClassAttributeTokens) {
  ElementList list;
  Element& e = list.BeginElement();
  e.tag = "button";
  list.AddClass("btn");
  list.AddAttribute("class", "  btn\tbtn-lg\n primary ");
  list.FinishElement();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_THAT(ClassesOf(list, 0), ElementsAre("btn", "btn", "btn-lg", "primary"));
  EXPECT_TRUE(list.HasClass(list[0], "btn"));
  EXPECT_TRUE(list.HasClass(list[0], "btn-lg"));
  EXPECT_TRUE(list.HasClass(list[0], "primary"));
}

TEST(ElementTest, HasClassIsAWholeTokenTest) {
  ElementList list;
  list.BeginElement();
  list.AddAttribute("class", "btn-primary btn-lg");
  list.FinishElement();
  EXPECT_FALSE(list.HasClass(list[0], "btn"));
  EXPECT_FALSE(list.HasClass(list[0], "btn-"));
  EXPECT_FALSE(list.HasClass(list[0], "btn-primary btn-lg"));
  EXPECT_FALSE(list.HasClass(list[0], ""));
  EXPECT_TRUE(list.HasClass(list[0], "btn-primary"));
}

TEST(ElementTest, ClassesAreCaseSensitive) {
  ElementList list;
  list.BeginElement();
  list.AddClass("Btn");
  list.FinishElement();
  EXPECT_FALSE(list.HasClass(list[0], "btn"));
  EXPECT_TRUE(list.HasClass(list[0], "Btn"));
}

TEST(ElementTest, EmptyClassIsNotAdded) {
  ElementList list;
  list.BeginElement();
  list.AddClass("");
  list.FinishElement();
  EXPECT_TRUE(list.Classes(list[0]).empty());
}

TEST(ElementTest, LastClassAttributeGivesTheTokens) {
  ElementList list;
  list.BeginElement();
  list.AddAttribute("class", "old");
  list.AddAttribute("class", "new");
  list.FinishElement();
  EXPECT_THAT(ClassesOf(list, 0), ElementsAre("new"));
}

TEST(ElementTest, ExplicitHrefWinsOverHrefAttribute) {
  ElementList list;
  Element& e = list.BeginElement();
  e.href = "/plans";
  e.has_href = true;
  list.AddAttribute("href", "/pricing");
  list.FinishElement();
  EXPECT_TRUE(list[0].has_href);
  EXPECT_EQ(list[0].href, "/plans");
  EXPECT_EQ(list.Attribute(list[0], "href"), "/pricing");
}

TEST(ElementTest, HrefAttributeStandsInForMissingHref) {
  ElementList list;
  list.BeginElement();
  list.AddAttribute("href", "/pricing");
  list.FinishElement();
  EXPECT_TRUE(list[0].has_href);
  EXPECT_EQ(list[0].href, "/pricing");
}

TEST(ElementTest, ExplicitIdWinsOverIdAttributeAndAttributeStandsIn) {
  ElementList list;
  Element& first = list.BeginElement();
  first.id = "pricing-link";
  first.has_id = true;
  list.AddAttribute("id", "legacy");
  list.FinishElement();
  list.BeginElement();
  list.AddAttribute("id", "only-raw");
  list.FinishElement();
  list.BeginElement();
  list.FinishElement();
  EXPECT_EQ(list[0].id, "pricing-link");
  EXPECT_TRUE(list[1].has_id);
  EXPECT_EQ(list[1].id, "only-raw");
  EXPECT_FALSE(list[2].has_id);
  EXPECT_EQ(list[2].id, "");
  EXPECT_FALSE(list[2].has_href);
}

TEST(ElementTest, AttributeReturnsLastValueAndNulloptWhenAbsent) {
  ElementList list;
  list.BeginElement();
  list.AddAttribute("data-x", "1");
  list.AddAttribute("placeholder", "");
  list.AddAttribute("data-x", "2");
  list.FinishElement();
  EXPECT_EQ(list.Attribute(list[0], "data-x"), "2");
  ASSERT_TRUE(list.Attribute(list[0], "placeholder").has_value());
  EXPECT_EQ(*list.Attribute(list[0], "placeholder"), "");
  EXPECT_EQ(list.Attribute(list[0], "missing"), std::nullopt);
  EXPECT_EQ(list.Attribute(list[0], "Data-x"), std::nullopt);
  EXPECT_EQ(list.Attributes(list[0]).size(), 3u);
}

TEST(ElementTest, ElementsHaveSeparateClassesAndAttributes) {
  ElementList list;
  list.BeginElement();
  list.AddClass("a");
  list.AddAttribute("k", "1");
  list.FinishElement();
  list.BeginElement();
  list.AddClass("b");
  list.FinishElement();
  EXPECT_THAT(ClassesOf(list, 0), ElementsAre("a"));
  EXPECT_THAT(ClassesOf(list, 1), ElementsAre("b"));
  EXPECT_EQ(list.Attribute(list[1], "k"), std::nullopt);
  EXPECT_FALSE(list.HasClass(list[1], "a"));
}

TEST(ElementTest, NewElementHasNoPositions) {
  ElementList list;
  list.BeginElement();
  list.FinishElement();
  EXPECT_EQ(list[0].nth_child, Element::kNoPosition);
  EXPECT_EQ(list[0].nth_of_type, Element::kNoPosition);
  EXPECT_EQ(list[0].tag, "");
  EXPECT_EQ(list[0].text, "");
}

TEST(ElementTest, StoreTextPiecesAreContiguous) {
  ElementList list;
  list.ReserveText(16);
  std::string_view a = list.StoreText("ab");
  std::string_view b = list.StoreText("");
  std::string_view c = list.StoreText("cd");
  EXPECT_EQ(a, "ab");
  EXPECT_EQ(c, "cd");
  EXPECT_EQ(a.data() + 2, b.data());
  EXPECT_EQ(a.data() + 2, c.data());
  EXPECT_EQ(std::string_view(a.data(), 4), "abcd");
}

TEST(ElementTest, ClearEmptiesTheListAndKeepsTheTextBuffer) {
  ElementList list;
  list.ReserveText(64);
  std::string_view first = list.StoreText("x");
  list.BeginElement();
  list.AddClass("a");
  list.AddAttribute("k", "v");
  list.FinishElement();
  list.Clear();
  EXPECT_TRUE(list.empty());
  list.ReserveText(64);
  EXPECT_EQ(list.StoreText("y").data(), first.data());
  list.BeginElement();
  list.FinishElement();
  EXPECT_TRUE(list.Classes(list[0]).empty());
  EXPECT_TRUE(list.Attributes(list[0]).empty());
}

TEST(ElementTest, MovedListKeepsStoredTextValid) {
  ElementList list;
  list.ReserveText(8);
  std::string_view stored = list.StoreText("short");
  Element& e = list.BeginElement();
  e.text = stored;
  list.FinishElement();
  ElementList moved = std::move(list);
  EXPECT_EQ(moved[0].text, "short");
}

}  // namespace
}  // namespace actiond::engine
