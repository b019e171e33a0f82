#include "api/resources/event_query_params.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace actiond::api {
namespace {

Result<service::EventQuery> Parse(std::string_view query) {
  return ParseEventQuery(QueryParams::Parse(query));
}

std::string AttrOf(std::string_view query) {
  auto parsed = Parse(query);
  EXPECT_FALSE(parsed.ok()) << query;
  return parsed.ok() ? "" : std::string(parsed.status().attr());
}

TEST(EventQueryParamsTest, NothingMeansTheNewestHundred) {
  auto q = Parse("");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 100u);
  EXPECT_FALSE(q->action || q->event || q->distinct_id || q->person_uuid || q->before);
  EXPECT_TRUE(q->properties.empty());
  EXPECT_TRUE(q->range.unbounded());
}

TEST(EventQueryParamsTest, EveryFilterIsRead) {
  auto q = Parse(
      "limit=7&event=signed_up&distinct_id=u1&person_id=p-1&action_id=12"
      "&properties=%5B%7B%22key%22%3A%22plan%22%2C%22value%22%3A%22pro%22%7D%5D"
      "&after=2026-11-01T00:00:00Z&before=2026-11-02T00:00:00Z");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->limit, 7u);
  EXPECT_EQ(q->event, "signed_up");
  EXPECT_EQ(q->distinct_id, "u1");
  EXPECT_EQ(q->person_uuid, "p-1");
  EXPECT_EQ(q->action, 12);
  EXPECT_FALSE(q->properties.empty());
  EXPECT_EQ(q->range.from_ms, 1'793'491'200'001);  // strictly after
  EXPECT_EQ(q->range.to_ms, 1'793'577'600'000);    // strictly before
  EXPECT_FALSE(q->before.has_value());
}

TEST(EventQueryParamsTest, TheNextCursorIsATimestampAndAUuid) {
  auto q = Parse("before=2026-11-02T00:00:00.000Z&before_uuid=abc");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->before.has_value());
  EXPECT_EQ(q->before->timestamp_ms, 1'793'577'600'000);
  EXPECT_EQ(q->before->uuid, "abc");
  EXPECT_EQ(q->range.to_ms, std::numeric_limits<int64_t>::max());  // the service bounds it
  EXPECT_EQ(AttrOf("before_uuid=abc"), "before_uuid");
}

TEST(EventQueryParamsTest, LimitsOutsideOneToTheMaximumAreRefusedNamingIt) {
  EXPECT_EQ(Parse("limit=10000")->limit, 10'000u);
  EXPECT_EQ(Parse("limit=1")->limit, 1u);
  for (const char* bad : {"limit=10001", "limit=0", "limit=-1", "limit=abc", "limit=", "limit=1.5",
                          "limit=99999999999999999999"}) {
    auto q = Parse(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.status().attr(), "limit");
    EXPECT_NE(q.status().message().find("10000"), std::string::npos) << q.status().ToString();
  }
}

TEST(EventQueryParamsTest, UnknownRepeatedOrMalformedParametersAreNamed) {
  EXPECT_EQ(AttrOf("offset=10"), "offset");
  EXPECT_EQ(AttrOf("event=a&evnt=b"), "evnt");
  EXPECT_EQ(AttrOf("event=a&event=b"), "event");
  EXPECT_TRUE(Parse("event=a&event=a").ok());  // the same value twice filters the same
  EXPECT_EQ(AttrOf("action_id=x"), "action_id");
  EXPECT_EQ(AttrOf("action_id=-1"), "action_id");
  EXPECT_EQ(AttrOf("person_id="), "person_id");
  EXPECT_EQ(AttrOf("after=yesterday"), "after");
  EXPECT_EQ(AttrOf("before=2026-13-01"), "before");
  EXPECT_EQ(AttrOf("properties=%7B%7D"), "properties");  // {} is not a list
  EXPECT_EQ(AttrOf("properties=%5B%7B%22key%22%3A%22a%22%2C%22value%22%3A1%2C%22operator%22%3A"
                   "%22gtx%22%7D%5D"),
            "properties__0__operator");
  EXPECT_TRUE(Parse("personal_api_key=phx_x").ok());  // authentication, not a filter
  EXPECT_TRUE(Parse("format=json").ok());
  EXPECT_EQ(AttrOf("format=csv"), "format");
}

}  // namespace
}  // namespace actiond::api
