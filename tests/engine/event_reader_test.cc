#include "engine/event_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/capture_payload.h"
#include "engine/capture_record.h"
#include "engine/event_view.h"
#include "engine/json_parse.h"

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

class SameBytes : public RandomSource {
  void Fill(uint8_t* out, size_t size) override {
    for (size_t i = 0; i < size; ++i) out[i] = 0x5A;
  }
};

// The keys of a record's properties, in order (repeats included, to show there are none).
std::vector<std::string> PropertyKeys(const std::string& record) {
  simdjson::dom::parser parser;
  std::string scratch;
  simdjson::dom::element root;
  std::vector<std::string> keys;
  simdjson::dom::object properties;
  // ParseJson: the record may hold integers beyond 64 bits, which a plain parse refuses.
  EXPECT_EQ(ParseJson(parser, record, &root, &scratch), simdjson::SUCCESS) << record;
  if (root["properties"].get_object().get(properties) != simdjson::SUCCESS) return keys;
  for (auto field : properties) keys.emplace_back(field.key);
  return keys;
}

// Every property, the elements and the fields of a captured event, read from its request's
// parse and from its properties text, are those of its stored record: the view ingestion
// matches is the view a backfill matches (docs/architecture.md §3).
TEST(EventReaderTest, ACapturedEventReadsAsItsStoredRecord) {
  const std::string body = R"({"api_key": "phc_t", "sent_at": "2024-01-15T10:00:01Z", "batch": [
    {"event": "e", "distinct_id": "a", "timestamp": "2024-01-15T10:00:00.5Z",
     "properties": {"n": 100000000000000000000, "d": 0.00030000000000000003, "neg": -0.0,
                    "inf": 1e400, "p": 1, "p": 2, "o": {"x": [1, {"y": null}], "x": true},
                    "s": "\u2028\u0000\ud83d\ude00 K", "$current_url": "https://x.io/é"}},
    {"event": "$autocapture", "distinct_id": 7, "elements_chain": "a.b:text=\"top\"",
     "properties": {"$elements_chain": "b:text=\"prop\""}},
    {"event": "$autocapture", "distinct_id": "c",
     "properties": {"$elements_chain": "", "$elements": [{"tag_name": "c", "$el_text": "hi"}]}},
    {"event": "no properties", "distinct_id": "d", "$set": {"plan": "pro"}}
  ]})";
  CapturePayloadParser parser;
  SameBytes random;
  CaptureOptions options;
  options.now_ms = 1'705'312'900'000;
  options.random = &random;
  CaptureRequest request;
  ASSERT_TRUE(parser.Parse(body, options, &request).ok());
  ASSERT_EQ(request.events.size(), 4u);

  EventReader from_record, from_request, from_text;
  std::string record, form_stored, form_captured;
  for (size_t i = 0; i < request.events.size(); ++i) {
    const CapturedEvent& event = request.events[i];
    BuildEventRecord(event, "", "{}", &record);
    auto stored = from_record.Read(record);
    auto live = from_request.ReadCaptured(event, request.parsed.get(), i, "{}");
    auto logged = from_text.ReadCaptured(event, nullptr, i, "{}");
    ASSERT_TRUE(stored.ok() && live.ok() && logged.ok()) << record;
    const std::vector<std::string> keys = PropertyKeys(record);
    EXPECT_EQ(keys.empty(), event.properties_json == "{}") << record;
    for (const EventView* view : {*live, *logged}) {
      SCOPED_TRACE(record);
      EXPECT_EQ(view->name(), (*stored)->name());
      EXPECT_EQ(view->uuid(), (*stored)->uuid());
      EXPECT_EQ(view->distinct_id(), (*stored)->distinct_id());
      EXPECT_EQ(view->timestamp_ms(), (*stored)->timestamp_ms());
      EXPECT_EQ(view->current_url(), (*stored)->current_url());
      EXPECT_EQ(view->elements_chain_source(), (*stored)->elements_chain_source());
      ASSERT_EQ(view->elements().size(), (*stored)->elements().size());
      for (size_t e = 0; e < view->elements().size(); ++e) {
        EXPECT_EQ(view->elements()[e].tag, (*stored)->elements()[e].tag);
        EXPECT_EQ(view->elements()[e].text, (*stored)->elements()[e].text);
      }
      for (const std::string& key : keys) {
        const PropertyValue want = (*stored)->Property(key);
        const PropertyValue got = view->Property(key);
        ASSERT_EQ(got.kind(), want.kind()) << key;
        if (!want.is_unset()) {
          EXPECT_EQ(got.ComparisonForm(&form_captured), want.ComparisonForm(&form_stored)) << key;
        }
      }
    }
  }
  // The record's repeats were dropped at capture (the last value won), so no key repeats.
  BuildEventRecord(request.events[0], "", "{}", &record);
  const std::vector<std::string> keys = PropertyKeys(record);
  EXPECT_EQ(std::count(keys.begin(), keys.end(), "p"), 1);
  EXPECT_EQ((*from_request.ReadCaptured(request.events[0], request.parsed.get(), 0, "{}"))
                ->Property("p")
                .number(),
            2);
}

TEST(EventReaderTest, ACapturedEventsPersonPropertiesAreReadWhenAsked) {
  CapturedEvent event;
  event.event = "e";
  event.properties_json = R"({"plan": "free"})";
  EventReader reader;
  auto view = reader.ReadCaptured(event, nullptr, 0, R"({"plan": "pro", "n": 1e400})");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ((*view)->Property("plan").string(), "free");
  EXPECT_EQ((*view)->PersonProperty("plan").string(), "pro");
  EXPECT_EQ((*view)->PersonProperty("n").kind(), PropertyValue::Kind::kNull);  // as JSON.parse

  auto personless = reader.ReadCaptured(event, nullptr, 0, "");
  ASSERT_TRUE(personless.ok());
  EXPECT_TRUE((*personless)->PersonProperty("plan").is_unset());
}

TEST(EventReaderTest, ACapturedEventNeedsObjectProperties) {
  CapturedEvent event;
  event.event = "e";
  event.properties_json = "[1]";
  EventReader reader;
  EXPECT_EQ(reader.ReadCaptured(event, nullptr, 0, "{}").status().code(),
            StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace actiond::engine
