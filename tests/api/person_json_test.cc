#include "api/resources/person_json.h"

#include <gtest/gtest.h>

namespace actiond::api {
namespace {

service::Person MakePerson(std::string properties, std::vector<std::string> distinct_ids) {
  service::Person p;
  p.uuid = "0190a0b0-0000-7000-8000-000000000001";
  p.id = 42;
  p.created_at = "2024-01-02T03:04:05.678Z";
  p.properties_json = std::move(properties);
  p.distinct_ids = std::move(distinct_ids);
  p.is_identified = true;
  return p;
}

TEST(PersonJsonTest, WritesPostHogsPersonShape) {
  EXPECT_EQ(PersonJson(MakePerson(R"({"plan":"pro"})", {"user-1", "anon"})),
            R"({"id":"0190a0b0-0000-7000-8000-000000000001",)"
            R"("uuid":"0190a0b0-0000-7000-8000-000000000001","name":"user-1",)"
            R"("distinct_ids":["user-1","anon"],"properties":{"plan":"pro"},)"
            R"("created_at":"2024-01-02T03:04:05.678Z","is_identified":true})");
}

TEST(PersonJsonTest, NameIsTheFirstTruthyDisplayProperty) {
  EXPECT_EQ(PersonDisplayNameJson(MakePerson(R"({"name":"Ann","email":"a@x.io"})", {"d"})),
            R"("a@x.io")");
  EXPECT_EQ(PersonDisplayNameJson(MakePerson(R"({"email":"","name":"Ann"})", {"d"})), R"("Ann")");
  EXPECT_EQ(PersonDisplayNameJson(MakePerson(R"({"$email":"e@x.io","Name":"N"})", {"d"})),
            R"("e@x.io")");
  EXPECT_EQ(PersonDisplayNameJson(MakePerson(R"({"username":7})", {"d"})), "7");
}

TEST(PersonJsonTest, NamePrefersADistinctIdThatDoesNotLookAnonymous) {
  EXPECT_EQ(PersonDisplayNameJson(
                MakePerson("{}", {"0190a0b0-0000-7000-8000-000000000001", "user@example.com"})),
            R"("user@example.com")");
  EXPECT_EQ(PersonDisplayNameJson(MakePerson("{}", {"0190a0b0-0000-7000-8000-000000000001"})),
            R"("0190a0b0-0000-7000-8000-000000000001")");
  EXPECT_EQ(PersonDisplayNameJson(MakePerson("{}", {})), R"("42")");
}

TEST(PersonJsonTest, AnonymousIdsAreFiveDashSeparatedLowercaseRuns) {
  EXPECT_TRUE(IsAnonymousDistinctId("0190a0b0-0000-7000-8000-000000000001"));
  EXPECT_TRUE(IsAnonymousDistinctId("a-b-c-d-e"));
  EXPECT_FALSE(IsAnonymousDistinctId("a-b-c-d"));
  EXPECT_FALSE(IsAnonymousDistinctId("a-b-c-d-e-f"));
  EXPECT_FALSE(IsAnonymousDistinctId("A-b-c-d-e"));
  EXPECT_FALSE(IsAnonymousDistinctId("a--c-d-e"));
  EXPECT_FALSE(IsAnonymousDistinctId("a-b-c-d-"));
  EXPECT_FALSE(IsAnonymousDistinctId("user@example.com"));
}

}  // namespace
}  // namespace actiond::api
