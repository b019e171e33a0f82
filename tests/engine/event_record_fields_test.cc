#include "engine/event_record_fields.h"

#include <gtest/gtest.h>

#include <string>

namespace actiond::engine {
namespace {

TEST(EventRecordFieldReaderTest, ReadsEveryMemberAndKeepsPropertiesVerbatim) {
  EventRecordFieldReader reader;
  const std::string record =
      R"({"uuid":"0190a0b0-0000-7000-8000-000000000001","event":"$pageview",)"
      R"("distinct_id":"u\"1","timestamp":"2024-01-02T03:04:05.678Z",)"
      R"("properties":{"z":1.50,"a":{"b":[1,2]}},"elements_chain":"a:href=\"x\"",)"
      R"("person_id":"0190a0b0-0000-7000-8000-0000000000ff","person_properties":{"p":1}})";
  Result<EventRecordFields> f = reader.Read(record);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->uuid, "0190a0b0-0000-7000-8000-000000000001");
  EXPECT_EQ(f->event, "$pageview");
  EXPECT_EQ(f->distinct_id, "u\"1");
  EXPECT_EQ(f->timestamp, "2024-01-02T03:04:05.678Z");
  EXPECT_EQ(f->properties_json, R"({"z":1.50,"a":{"b":[1,2]}})");
  EXPECT_EQ(f->elements_chain, "a:href=\"x\"");
  EXPECT_EQ(f->person_id, "0190a0b0-0000-7000-8000-0000000000ff");
}

TEST(EventRecordFieldReaderTest, OptionalMembersAreEmptyWhenAbsent) {
  EventRecordFieldReader reader;
  Result<EventRecordFields> f =
      reader.Read(R"({"uuid":"u","event":"e","distinct_id":"d","timestamp":"t","properties":{}})");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->properties_json, "{}");
  EXPECT_TRUE(f->elements_chain.empty());
  EXPECT_TRUE(f->person_id.empty());
}

TEST(EventRecordFieldReaderTest, AReaderIsReusable) {
  EventRecordFieldReader reader;
  ASSERT_TRUE(reader
                  .Read(R"({"uuid":"1","event":"first","distinct_id":"d","timestamp":"t",)"
                        R"("properties":{"long":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}})")
                  .ok());
  Result<EventRecordFields> f = reader.Read(
      R"({"uuid":"2","event":"second","distinct_id":"d","timestamp":"t","properties":{"k":2}})");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->event, "second");
  EXPECT_EQ(f->properties_json, R"({"k":2})");
}

TEST(EventRecordFieldReaderTest, RecordsWithoutRequiredMembersAreCorrupt) {
  EventRecordFieldReader reader;
  for (const char* bad :
       {"", "[]", "{", R"({"uuid":"u","event":"e","distinct_id":"d","timestamp":"t"})",
        R"({"uuid":1,"event":"e","distinct_id":"d","timestamp":"t","properties":{}})",
        R"({"uuid":"u","event":"e","distinct_id":"d","timestamp":"t","properties":[]})"}) {
    SCOPED_TRACE(bad);
    Result<EventRecordFields> f = reader.Read(bad);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.status().code(), StatusCode::kCorruption);
  }
}

}  // namespace
}  // namespace actiond::engine
