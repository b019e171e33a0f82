#include "engine/event_reader.h"

#include <gtest/gtest.h>

#include "engine/event_view.h"

namespace actiond::engine {
namespace {

TEST(EventReaderTest, ReadsTheRecordFields) {
  EventReader reader;
  auto view = reader.Read(R"({"uuid": "u-1", "event": "$pageview", "distinct_id": "d",
      "timestamp": "2024-01-15T10:00:00.500Z",
      "properties": {"$current_url": "https://x.io/a", "plan": "pro"},
      "person_properties": {"email": "a@b.c"}})");
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  const EventView& event = **view;
  EXPECT_EQ(event.name(), "$pageview");
  EXPECT_EQ(event.uuid(), "u-1");
  EXPECT_EQ(event.distinct_id(), "d");
  EXPECT_EQ(event.timestamp_ms(), 1705312800500);
  EXPECT_EQ(event.current_url(), "https://x.io/a");
  EXPECT_EQ(event.Property("plan").string(), "pro");
  EXPECT_EQ(event.Property("email").kind(), PropertyValue::Kind::kMissing);
  EXPECT_EQ(event.PersonProperty("email").string(), "a@b.c");
  EXPECT_TRUE(event.elements().empty());
}

TEST(EventReaderTest, CurrentUrlMustBeANonEmptyString) {
  EventReader reader;
  EXPECT_EQ((*reader.Read(R"({"event": "e", "properties": {"$current_url": 5}})"))->current_url(),
            "");
  EXPECT_EQ((*reader.Read(R"({"event": "e"})"))->current_url(), "");
}

TEST(EventReaderTest, ElementSourcesFallThroughWhenEmpty) {
  EventReader reader;
  auto top = reader.Read(R"({"event": "e", "elements_chain": "a:text=\"top\"",
      "properties": {"$elements_chain": "b:text=\"prop\""}})");
  ASSERT_EQ((*top)->elements().size(), 1u);
  EXPECT_EQ((*top)->elements()[0].text, "top");

  auto prop = reader.Read(R"({"event": "e", "elements_chain": "",
      "properties": {"$elements_chain": "b:text=\"prop\"", "$elements": [{"tag_name": "c"}]}})");
  ASSERT_EQ((*prop)->elements().size(), 1u);
  EXPECT_EQ((*prop)->elements()[0].tag, "b");

  auto array = reader.Read(R"({"event": "e", "properties": {"$elements_chain": "",
      "$elements": [{"tag_name": "c", "$el_text": "hi"}]}})");
  ASSERT_EQ((*array)->elements().size(), 1u);
  EXPECT_EQ((*array)->elements()[0].tag, "c");
  EXPECT_EQ((*array)->elements()[0].text, "hi");
}

TEST(EventReaderTest, ReadingANewRecordForgetsTheOldOne) {
  EventReader reader;
  ASSERT_TRUE(reader.Read(R"({"event": "a", "elements_chain": "a", "properties": {"k": 1}})").ok());
  auto view = reader.Read(R"({"event": "b"})");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ((*view)->name(), "b");
  EXPECT_TRUE((*view)->elements().empty());
  EXPECT_TRUE((*view)->Property("k").is_unset());
}

TEST(EventReaderTest, RejectsRecordsThatAreNotEvents) {
  EventReader reader;
  EXPECT_EQ(reader.Read("not json").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(reader.Read("[]").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(reader.Read(R"({"event": 3})").status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace actiond::engine
