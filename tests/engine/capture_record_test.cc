#include "engine/capture_record.h"

#include <gtest/gtest.h>

#include "engine/date_time.h"
#include "engine/event_reader.h"
#include "engine/event_view.h"

namespace actiond::engine {
namespace {

CapturedEvent SampleEvent() {
  CapturedEvent event;
  event.uuid = "01a229e5-7ecf-7284-94ff-26231650276a";
  event.event = "$autocapture";
  event.distinct_id = "user \"1\"";
  event.timestamp_ms = ParseIso8601("2026-11-30T00:40:35.790Z").value().epoch_ms;
  event.properties_json = R"({"$current_url":"https://x.test/","n":1})";
  return event;
}

TEST(BuildEventRecordTest, WritesTheStoredShapeWithoutOptionalMembers) {
  std::string record = "stale";
  BuildEventRecord(SampleEvent(), "", "", &record);
  EXPECT_EQ(record, R"({"uuid":"01a229e5-7ecf-7284-94ff-26231650276a","event":"$autocapture",)"
                    R"("distinct_id":"user \"1\"","timestamp":"2026-11-30T00:40:35.790Z",)"
                    R"("properties":{"$current_url":"https://x.test/","n":1}})");
}

TEST(BuildEventRecordTest, AddsElementsChainPersonIdAndPersonProperties) {
  CapturedEvent event = SampleEvent();
  event.elements_chain = R"(a.btn:text="Go")";
  std::string record;
  BuildEventRecord(event, "0194e3f1-aaaa-7bbb-8ccc-0123456789ab", R"({"plan":"pro"})", &record);
  EXPECT_EQ(record, R"({"uuid":"01a229e5-7ecf-7284-94ff-26231650276a","event":"$autocapture",)"
                    R"("distinct_id":"user \"1\"","timestamp":"2026-11-30T00:40:35.790Z",)"
                    R"("properties":{"$current_url":"https://x.test/","n":1},)"
                    R"("elements_chain":"a.btn:text=\"Go\"",)"
                    R"("person_id":"0194e3f1-aaaa-7bbb-8ccc-0123456789ab",)"
                    R"("person_properties":{"plan":"pro"}})");
}

TEST(BuildEventRecordTest, EmptyPropertiesTextIsWrittenAsEmptyObject) {
  CapturedEvent event = SampleEvent();
  event.properties_json.clear();
  std::string record;
  BuildEventRecord(event, "", "{}", &record);
  EXPECT_NE(record.find(R"("properties":{},"person_properties":{}})"), std::string::npos);
}

TEST(BuildEventRecordTest, RecordReadsBackThroughEventReader) {
  CapturedEvent event = SampleEvent();
  std::string record;
  BuildEventRecord(event, "p-1", R"({"plan":"pro"})", &record);
  EventReader reader;
  auto view = reader.Read(record);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ((*view)->name(), "$autocapture");
  EXPECT_EQ((*view)->uuid(), event.uuid);
  EXPECT_EQ((*view)->distinct_id(), event.distinct_id);
  EXPECT_EQ((*view)->timestamp_ms(), event.timestamp_ms);
  EXPECT_EQ((*view)->current_url(), "https://x.test/");
  EXPECT_EQ((*view)->PersonProperty("plan").string(), "pro");
}

}  // namespace
}  // namespace actiond::engine
