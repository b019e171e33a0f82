#include "engine/capture_log_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace actiond::engine {
namespace {

std::vector<CapturedEvent> TwoEvents() {
  CapturedEvent first;
  first.uuid = "0190b1c2-0000-7000-8000-000000000001";
  first.event = "$autocapture";
  first.distinct_id = "user-1";
  first.timestamp_ms = -5;  // before the epoch: the sign must survive
  first.properties_json = R"({"$current_url":"https://a.example/é"})";
  first.set_json = R"({"plan":"pro"})";
  first.unset_keys = {"old", std::string("with\0nul", 8)};
  first.elements_chain = "button.buy:text=\"Buy\"";
  first.anon_distinct_id = "anon-1";
  CapturedEvent second;
  second.uuid = "0190b1c2-0000-7000-8000-000000000002";
  second.event = "$create_alias";
  second.distinct_id = "user-2";
  second.timestamp_ms = 1'700'000'000'123;
  second.properties_json = "{}";
  second.set_once_json = R"({"first":true})";
  second.process_person_profile = false;
  second.alias = "alias-2";
  return {first, second};
}

void ExpectSame(const CapturedEvent& a, const CapturedEvent& b) {
  EXPECT_EQ(a.uuid, b.uuid);
  EXPECT_EQ(a.event, b.event);
  EXPECT_EQ(a.distinct_id, b.distinct_id);
  EXPECT_EQ(a.timestamp_ms, b.timestamp_ms);
  EXPECT_EQ(a.properties_json, b.properties_json);
  EXPECT_EQ(a.set_json, b.set_json);
  EXPECT_EQ(a.set_once_json, b.set_once_json);
  EXPECT_EQ(a.unset_keys, b.unset_keys);
  EXPECT_EQ(a.elements_chain, b.elements_chain);
  EXPECT_EQ(a.process_person_profile, b.process_person_profile);
  EXPECT_EQ(a.anon_distinct_id, b.anon_distinct_id);
  EXPECT_EQ(a.alias, b.alias);
}

TEST(CaptureLogRecordTest, EveryFieldOfEveryEventSurvivesTheRoundTrip) {
  const std::vector<CapturedEvent> events = TwoEvents();
  std::string record;
  EncodeCaptureLogRecord("phc_token", 1'700'000'000'999, events, &record);

  CaptureRequest decoded;
  decoded.events.resize(5);  // earlier contents must be replaced, not appended to
  int64_t received_ms = 0;
  ASSERT_TRUE(DecodeCaptureLogRecord(record, &decoded, &received_ms).ok());
  EXPECT_EQ(decoded.token, "phc_token");
  EXPECT_EQ(received_ms, 1'700'000'000'999);
  ASSERT_EQ(decoded.events.size(), 2u);
  ExpectSame(decoded.events[0], events[0]);
  ExpectSame(decoded.events[1], events[1]);
}

TEST(CaptureLogRecordTest, EncodingIsAFunctionOfTheEventsAlone) {
  // Replicas compare stored bytes: the same events must give the same record.
  std::string a;
  std::string b = "left over";
  EncodeCaptureLogRecord("phc_t", 7, TwoEvents(), &a);
  EncodeCaptureLogRecord("phc_t", 7, TwoEvents(), &b);
  EXPECT_EQ(a, b);
}

TEST(CaptureLogRecordTest, EveryTruncationIsRefusedAsCorruption) {
  std::string record;
  EncodeCaptureLogRecord("phc_token", 1, TwoEvents(), &record);
  CaptureRequest decoded;
  int64_t received_ms = 0;
  for (size_t size = 0; size < record.size(); ++size) {
    const Status status = DecodeCaptureLogRecord(record.substr(0, size), &decoded, &received_ms);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << "cut at " << size;
  }
  EXPECT_EQ(DecodeCaptureLogRecord(record + "x", &decoded, &received_ms).code(),
            StatusCode::kCorruption);
}

TEST(CaptureLogRecordTest, AHugeEventCountIsRefusedBeforeAnythingIsSizedByIt) {
  std::string record;
  EncodeCaptureLogRecord("t", 1, {}, &record);
  record.resize(record.size() - 4);
  record.append("\xff\xff\xff\x7f", 4);  // 2^31 events in a record of a few bytes
  CaptureRequest decoded;
  int64_t received_ms = 0;
  EXPECT_EQ(DecodeCaptureLogRecord(record, &decoded, &received_ms).code(), StatusCode::kCorruption);
  EXPECT_TRUE(decoded.events.empty());
}

TEST(CaptureLogRecordTest, AnotherVersionOrKindIsRefused) {
  std::string record;
  EncodeCaptureLogRecord("t", 1, TwoEvents(), &record);
  CaptureRequest decoded;
  int64_t received_ms = 0;
  std::string other_version = record;
  other_version[0] = 2;
  EXPECT_EQ(DecodeCaptureLogRecord(other_version, &decoded, &received_ms).code(),
            StatusCode::kCorruption);
  std::string other_kind = record;
  other_kind[1] = 9;
  EXPECT_EQ(DecodeCaptureLogRecord(other_kind, &decoded, &received_ms).code(),
            StatusCode::kCorruption);
}

}  // namespace
}  // namespace actiond::engine
