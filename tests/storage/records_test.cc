#include "storage/records.h"

#include <gtest/gtest.h>

namespace actiond::storage {
namespace {

Person SamplePerson() {
  Person p;
  p.uuid = "0190b5c1-0000-7000-8000-000000000001";
  p.id = 17;
  p.created_at = "2024-05-01T10:00:00.000000Z";
  p.properties_json = R"({"email":"a@b.c","n":1})";
  p.is_identified = true;
  p.distinct_ids = {"anon-1", "user@example.com", ""};
  return p;
}

TEST(RecordsTest, PersonRoundTrips) {
  Person p = SamplePerson();
  auto decoded = DecodePerson(EncodePerson(p));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, p);
}

TEST(RecordsTest, ApiKeyRoundTrips) {
  ApiKey k{.id = 3,
           .label = "ci",
           .secure_value_hash = std::string(64, 'f'),
           .scopes = {"action:read", "action:write"},
           .scoped_teams = {1, 5, -2},
           .user_id = 1,
           .created_at = "2024-01-01T00:00:00Z",
           .mask_value = "phx_...abcd"};
  auto decoded = DecodeApiKey(EncodeApiKey(k));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, k);
}

TEST(RecordsTest, ProjectRoundTripsWithBinaryBytesInStrings) {
  Project p{.id = 9, .name = std::string("a\0b\xff", 4), .api_token = "phc_x", .created_at = ""};
  auto decoded = DecodeProject(EncodeProject(p));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, p);
}

TEST(RecordsTest, TruncatedRecordIsCorruptionNotAPartialValue) {
  std::string bytes = EncodePerson(SamplePerson());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto decoded = DecodePerson(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(decoded.ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  }
}

TEST(RecordsTest, TrailingBytesAndUnknownFormatAreRefused) {
  std::string bytes =
      EncodeProject(Project{.id = 1, .name = "x", .api_token = "", .created_at = ""});
  EXPECT_FALSE(DecodeProject(bytes + "z").ok());
  bytes[0] = static_cast<char>(kRecordFormat + 1);
  auto decoded = DecodeProject(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
}

TEST(RecordsTest, EventCursorRoundTripsAndKeepsOrder) {
  EventCursor a{-5, "b"}, b{0, "a"};
  EXPECT_LT(EncodeEventCursor(a), EncodeEventCursor(b));
  auto decoded = DecodeEventCursor(EncodeEventCursor(a));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, a);
  EXPECT_FALSE(DecodeEventCursor("short").ok());
}

}  // namespace
}  // namespace actiond::storage
