#include "engine/explain_request.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/event_reader.h"
#include "engine/event_view.h"

namespace actiond::engine {
namespace {

TEST(ExplainRequestTest, ReadsAUuidLowerCased) {
  auto subject = ParseExplainSubject(R"({"uuid": "0189ABCD-0000-7000-8000-00000000000A"})");
  ASSERT_TRUE(subject.ok()) << subject.status().ToString();
  EXPECT_EQ(subject->uuid, "0189abcd-0000-7000-8000-00000000000a");
  EXPECT_FALSE(subject->event_json.has_value());
}

TEST(ExplainRequestTest, ReadsAnEventAndItsPersonProperties) {
  auto subject = ParseExplainSubject(
      R"({"event": {"event": "e", "distinct_id": "d"}, "person_properties": {"plan": "pro"},
          "steps": []})");
  ASSERT_TRUE(subject.ok()) << subject.status().ToString();
  EXPECT_EQ(subject->event_json, R"({"event":"e","distinct_id":"d"})");
  EXPECT_EQ(subject->person_properties_json, R"({"plan":"pro"})");
  EXPECT_EQ(ParseExplainSubject(R"({"event": {"event": "e"}})")->person_properties_json, "{}");
}

TEST(ExplainRequestTest, BadBodiesNameTheField) {
  struct Case {
    std::string_view body;
    StatusCode code;
    std::string_view attr;
  } cases[] = {
      {"{}", StatusCode::kInvalidInput, "uuid"},
      {R"({"uuid": null, "event": null})", StatusCode::kInvalidInput, "uuid"},
      {R"({"uuid": 1})", StatusCode::kInvalidInput, "uuid"},
      {R"({"uuid": "u", "event": {}})", StatusCode::kInvalidInput, "uuid"},
      {R"({"event": []})", StatusCode::kInvalidInput, "event"},
      {R"({"event": {}, "person_properties": "x"})", StatusCode::kInvalidInput,
       "person_properties"},
      {"[]", StatusCode::kParseError, ""},
      {"{", StatusCode::kParseError, ""},
  };
  for (const Case& c : cases) {
    auto subject = ParseExplainSubject(c.body);
    ASSERT_FALSE(subject.ok()) << c.body;
    EXPECT_EQ(subject.status().code(), c.code) << c.body;
    EXPECT_EQ(subject.status().attr(), c.attr) << c.body;
  }
  EXPECT_EQ(ParseExplainSubject("{}").status().reason(), StatusReason::kRequired);
  const std::string big = R"({"uuid": ")" + std::string(kMaxExplainBodyBytes, 'x') + "\"}";
  EXPECT_EQ(ParseExplainSubject(big).status().attr(), "event");
}

TEST(ExplainRequestTest, PostedEventBecomesTheRecordIngestionWouldStore) {
  auto record = ExplainEventRecord(
      R"({"event": "$autocapture", "distinct_id": 42, "api_key": "phc_other",
          "elements_chain": "a:text=\"x\"", "properties": {"$current_url": "/p"}})",
      R"({"plan":"pro"})", 1700000000000);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EventReader reader;
  auto view = reader.Read(*record);
  ASSERT_TRUE(view.ok()) << *record;
  EXPECT_EQ((*view)->name(), "$autocapture");
  EXPECT_EQ((*view)->distinct_id(), "42");
  EXPECT_EQ((*view)->current_url(), "/p");
  EXPECT_EQ((*view)->elements().size(), 1u);
  EXPECT_EQ((*view)->PersonProperty("plan").string(), "pro");
  EXPECT_EQ((*view)->timestamp_ms(), 1700000000000);
}

TEST(ExplainRequestTest, AnEventCaptureWouldRefuseIsAnErrorOnEvent) {
  for (std::string_view event : {R"({"event": "e"})", R"({"event": 5, "distinct_id": "d"})",
                                 R"({"event": "e", "distinct_id": "d", "uuid": "nope"})"}) {
    auto record = ExplainEventRecord(event, "{}", 0);
    ASSERT_FALSE(record.ok()) << event;
    EXPECT_EQ(record.status().attr(), "event") << event;
    EXPECT_FALSE(record.status().message().starts_with("event 0:")) << record.status().message();
  }
}

}  // namespace
}  // namespace actiond::engine
