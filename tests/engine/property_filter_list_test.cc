#include "engine/property_filter_list.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/event_reader.h"

namespace actiond::engine {
namespace {

bool Passes(const PropertyFilterList& list, const std::string& properties) {
  EventReader reader;
  auto view = reader.Read(R"({"uuid":"u","event":"e","distinct_id":"d",)"
                          R"("timestamp":"2026-11-01T00:00:00Z","properties":)" +
                          properties + "}");
  EXPECT_TRUE(view.ok());
  return list.Matches(**view);
}

TEST(PropertyFilterListTest, EveryFilterMustPass) {
  auto list = PropertyFilterList::Compile(
      R"([{"key":"plan","value":"pro"},{"key":"n","value":3,"operator":"gt"}])");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(Passes(*list, R"({"plan":"pro","n":4})"));
  EXPECT_FALSE(Passes(*list, R"({"plan":"pro","n":3})"));
  EXPECT_FALSE(Passes(*list, R"({"plan":"free","n":4})"));
}

TEST(PropertyFilterListTest, EmptyAndNullPassEverything) {
  for (const char* json : {"[]", "null"}) {
    auto list = PropertyFilterList::Compile(json);
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(list->empty());
    EXPECT_TRUE(Passes(*list, "{}"));
  }
}

TEST(PropertyFilterListTest, ErrorsNameTheFilterAndItsField) {
  EXPECT_EQ(PropertyFilterList::Compile("{").status().attr(), "properties");
  EXPECT_EQ(PropertyFilterList::Compile(R"({"key":"a"})").status().attr(), "properties");
  EXPECT_EQ(PropertyFilterList::Compile(R"([{"key":"a","value":"b"},{"key":"a","value":"(",)"
                                        R"("operator":"regex"}])")
                .status()
                .attr(),
            "properties__1__value");
  EXPECT_EQ(
      PropertyFilterList::Compile(R"([{"key":"a","value":"b","operator":"nope"}])").status().attr(),
      "properties__0__operator");
}

}  // namespace
}  // namespace actiond::engine
