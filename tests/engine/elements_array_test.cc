#include "engine/elements_array.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

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

// Parses `json` (an array) and reads it into `list`; the parser must outlive `list`'s use.
void Read(simdjson::dom::parser& parser, std::string_view json, ElementList* list) {
  simdjson::dom::array array;
  ASSERT_EQ(parser.parse(json.data(), json.size()).get_array().get(array), simdjson::SUCCESS);
  ReadElementsArray(array, list);
}

TEST(ElementsArrayTest, ReadsPosthogJsEntries) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser, R"([
    {"$el_text": "→", "attr__class": "icon", "attr__href": "#pro", "classes": ["icon"],
     "nth_child": 1, "nth_of_type": 1, "tag_name": "span"},
    {"$el_text": "Sign up →", "attr__class": "btn btn-primary cta",
     "attr__data-attr": "signup-cta", "attr__href": "#pro", "attr__id": "signup-link",
     "attr__nth": "x", "classes": ["btn", "btn-primary", "cta"], "nth_child": 1,
     "nth_of_type": 3, "tag_name": "a"},
    {"attr__class": "nav main-nav", "attr__id": "topnav", "classes": ["nav", "main-nav"],
     "nth_child": 1, "nth_of_type": 1, "tag_name": "nav"},
    {"nth_child": 2, "nth_of_type": 1, "tag_name": "body"}])",
       &list);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].tag, "span");
  EXPECT_EQ(list[0].text, "→");
  EXPECT_EQ(list[0].href, "#pro");

  const Element& a = list[1];
  EXPECT_EQ(a.tag, "a");
  EXPECT_EQ(a.text, "Sign up →");
  EXPECT_TRUE(a.has_href);
  EXPECT_EQ(a.href, "#pro");
  EXPECT_TRUE(a.has_id);
  EXPECT_EQ(a.id, "signup-link");
  EXPECT_EQ(a.nth_child, 1);
  EXPECT_EQ(a.nth_of_type, 3);
  EXPECT_TRUE(list.HasClass(a, "btn-primary"));
  EXPECT_TRUE(list.HasClass(a, "cta"));
  EXPECT_FALSE(list.HasClass(a, "btn-primary cta"));
  EXPECT_EQ(list.Attribute(a, "data-attr"), "signup-cta");
  EXPECT_EQ(list.Attribute(a, "nth"), "x");
  EXPECT_EQ(list.Attribute(a, "class"), "btn btn-primary cta");
  EXPECT_EQ(a.nth_child, 1);  // attr__nth is an attribute, not a position

  EXPECT_EQ(list[2].id, "topnav");
  EXPECT_EQ(list[3].tag, "body");
  EXPECT_FALSE(list[3].has_id);
  EXPECT_FALSE(list[3].has_href);
  EXPECT_THAT(ClassesOf(list, 3), IsEmpty());
}

TEST(ElementsArrayTest, ElTextWinsOverTextInAnyOrder) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser,
       R"([{"text": "old", "$el_text": "new"}, {"$el_text": "new", "text": "old"},
           {"text": "only"}, {}])",
       &list);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].text, "new");
  EXPECT_EQ(list[1].text, "new");
  EXPECT_EQ(list[2].text, "only");
  EXPECT_EQ(list[3].text, "");
}

TEST(ElementsArrayTest, RawHrefAndIdWinOverLegacyFields) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser,
       R"([{"href": "/legacy", "attr__href": "/raw", "attr_id": "legacy", "attr__id": "raw"},
           {"href": "/legacy", "attr_id": "legacy"},
           {"attr__href": "", "attr__id": ""}])",
       &list);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].href, "/raw");
  EXPECT_EQ(list[0].id, "raw");
  EXPECT_TRUE(list[1].has_href);
  EXPECT_EQ(list[1].href, "/legacy");
  EXPECT_TRUE(list[1].has_id);
  EXPECT_EQ(list[1].id, "legacy");
  EXPECT_EQ(list.Attribute(list[1], "href"), std::nullopt);  // `href` is no DOM attribute
  EXPECT_TRUE(list[2].has_href);
  EXPECT_EQ(list[2].href, "");
  EXPECT_TRUE(list[2].has_id);
}

TEST(ElementsArrayTest, ClassesFromArrayAndClassAttribute) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser,
       R"([{"classes": ["btn"], "attr__class": "btn  btn-lg\tprimary"},
           {"attr__class": ["a", "b", 7, "c"]},
           {"classes": ["x", 5, null, "y"]},
           {"classes": "not-an-array", "attr__class": {"k": "v"}}])",
       &list);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_THAT(ClassesOf(list, 0), ElementsAre("btn", "btn", "btn-lg", "primary"));
  EXPECT_THAT(ClassesOf(list, 1), ElementsAre("a", "b", "c"));
  EXPECT_EQ(list.Attribute(list[1], "class"), "a b c");
  EXPECT_THAT(ClassesOf(list, 2), ElementsAre("x", "y"));
  EXPECT_THAT(ClassesOf(list, 3), IsEmpty());
  EXPECT_EQ(list.Attribute(list[3], "class"), std::nullopt);
}

TEST(ElementsArrayTest, JoinedClassArraysStayValidAcrossEntries) {
  std::string json = "[";
  for (int i = 0; i < 100; ++i) {
    if (i > 0) json += ",";
    json += R"({"attr__class": ["c)" + std::to_string(i) + R"(", "d"]})";
  }
  json += "]";
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser, json, &list);
  ASSERT_EQ(list.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(list.Attribute(list[i], "class"), StrCat({"c", std::to_string(i), " d"}));
    EXPECT_TRUE(list.HasClass(list[i], StrCat({"c", std::to_string(i)})));
  }
}

TEST(ElementsArrayTest, NonObjectEntriesAreSkipped) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser, R"([1, "a", null, [], {"tag_name": "p"}, true])", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].tag, "p");
}

TEST(ElementsArrayTest, FieldsOfTheWrongTypeAreSkipped) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser,
       R"([{"tag_name": 5, "$el_text": null, "text": "fallback", "attr__href": 3,
            "href": "/h", "attr__id": false, "attr_id": "i", "nth_child": "2",
            "nth_of_type": null, "attr__data-n": 4, "attr__title": "t"}])",
       &list);
  ASSERT_EQ(list.size(), 1u);
  const Element& e = list[0];
  EXPECT_EQ(e.tag, "");
  EXPECT_EQ(e.text, "fallback");
  EXPECT_EQ(e.href, "/h");
  EXPECT_EQ(e.id, "i");
  EXPECT_EQ(e.nth_child, Element::kNoPosition);
  EXPECT_EQ(e.nth_of_type, Element::kNoPosition);
  EXPECT_EQ(list.Attribute(e, "data-n"), std::nullopt);
  EXPECT_EQ(list.Attribute(e, "title"), "t");
  EXPECT_EQ(list.Attributes(e).size(), 1u);
}

TEST(ElementsArrayTest, PositionsMustBeIntegralNumbers) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser,
       R"([{"nth_child": 3.0, "nth_of_type": 2.5}, {"nth_child": 99999999999},
           {"nth_child": 18446744073709551615}, {"nth_child": 0, "nth_of_type": -4}])",
       &list);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].nth_child, 3);
  EXPECT_EQ(list[0].nth_of_type, Element::kNoPosition);
  EXPECT_EQ(list[1].nth_child, Element::kNoPosition);
  EXPECT_EQ(list[2].nth_child, Element::kNoPosition);
  EXPECT_EQ(list[3].nth_child, 0);
  EXPECT_EQ(list[3].nth_of_type, -4);
}

TEST(ElementsArrayTest, EmptyArrayGivesNoElementsAndClearsPrevious) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser, R"([{"tag_name": "a"}])", &list);
  ASSERT_EQ(list.size(), 1u);
  simdjson::dom::parser parser2;
  Read(parser2, "[]", &list);
  EXPECT_TRUE(list.empty());
}

TEST(ElementsArrayTest, AttrPrefixAloneIsNotAnAttribute) {
  simdjson::dom::parser parser;
  ElementList list;
  Read(parser, R"([{"attr__": "x", "data-x": "y", "attr__data-x": "z"}])", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.Attributes(list[0]).size(), 1u);
  EXPECT_EQ(list.Attribute(list[0], "data-x"), "z");
}

}  // namespace
}  // namespace actiond::engine
