#include "storage/records.h"

#include <gtest/gtest.h>

#include <string_view>

#include "engine/str_cat.h"

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
           .mask_value = "phx_...abcd",
           .last_used_at = "2024-01-02T00:00:00Z"};
  auto decoded = DecodeApiKey(EncodeApiKey(k));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, k);
}

TEST(RecordsTest, ProjectRoundTripsWithBinaryBytesInStrings) {
  Project p{.id = 9,
            .name = std::string("a\0b\xff", 4),
            .api_token = "phc_x",
            .created_at = "",
            .slack_incoming_webhook = "https://hooks.slack.com/services/T/B/x"};
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
  std::string bytes = EncodeProject(Project{
      .id = 1, .name = "x", .api_token = "", .created_at = "", .slack_incoming_webhook = ""});
  EXPECT_FALSE(DecodeProject(bytes + "z").ok());
  bytes[0] = static_cast<char>(kProjectRecordFormat + 1);
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

// The bytes stores already hold: records written by the first encoder must read back the same,
// and a record written now must be byte for byte what that encoder wrote. Captured from the
// encoder as it was before records' fields were described once (storage/records.cc).
template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

TEST(RecordsTest, ProjectBytesOfFormatOneStillRead) {
  // Stores written before projects had slack_incoming_webhook (record format 1).
  Project p{.id = 7,
            .name = "Shop",
            .api_token = "phc_t",
            .created_at = "2024-01-02T03:04:05Z",
            .slack_incoming_webhook = ""};
  std::string stored = Bytes(
      "\x01\x07\x00\x00\x00\x00\x00\x00\x00\x04\x53\x68\x6f\x70\x05\x70\x68\x63\x5f\x74\x14\x32"
      "\x30\x32\x34\x2d\x30\x31\x2d\x30\x32\x54\x30\x33\x3a\x30\x34\x3a\x30\x35\x5a");
  auto decoded = DecodeProject(stored);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, p);
  EXPECT_FALSE(DecodeProject(stored + std::string(1, '\0')).ok()) << "format 1 has no fifth field";
}

TEST(RecordsTest, ProjectBytesOfFormatTwoAreFormatOnesPlusTheWebhook) {
  Project p{.id = 7,
            .name = "Shop",
            .api_token = "phc_t",
            .created_at = "2024-01-02T03:04:05Z",
            .slack_incoming_webhook = "https://h"};
  std::string stored = Bytes(
      "\x02\x07\x00\x00\x00\x00\x00\x00\x00\x04\x53\x68\x6f\x70\x05\x70\x68\x63\x5f\x74\x14\x32"
      "\x30\x32\x34\x2d\x30\x31\x2d\x30\x32\x54\x30\x33\x3a\x30\x34\x3a\x30\x35\x5a"
      "\x09https://h");
  EXPECT_EQ(EncodeProject(p), stored);
  auto decoded = DecodeProject(stored);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, p);
}

TEST(RecordsTest, HookAndDeliveryRoundTrip) {
  Hook h{.id = "tok",
         .project = 2,
         .event = "action_performed",
         .target = "https://x/",
         .resource_id = Hook::kEveryAction,
         .user_id = 1,
         .created_at = "c"};
  auto hook = DecodeHook(EncodeHook(h));
  ASSERT_TRUE(hook.ok());
  EXPECT_EQ(*hook, h);
  Delivery d{.id = 5,
             .action_id = 7,
             .hook_id = "",
             .event_uuid = "u",
             .target = "http://t/",
             .body = R"({"text":"x"})",
             .created_ms = -1,
             .attempts = 3,
             .next_attempt_ms = 99,
             .last_status = 503,
             .last_error = "HTTP 503"};
  auto delivery = DecodeDelivery(EncodeDelivery(d));
  ASSERT_TRUE(delivery.ok());
  EXPECT_EQ(*delivery, d);
  EXPECT_FALSE(DecodeDelivery(EncodeDelivery(d) + "z").ok());
}

TEST(RecordsTest, ApiKeyBytesAreThoseOfExistingStores) {
  ApiKey k{.id = 3,
           .label = "ci",
           .secure_value_hash = "h",
           .scopes = {"action:read", "*"},
           .scoped_teams = {1, -2},
           .user_id = 258,
           .created_at = "c",
           .mask_value = "m",
           .last_used_at = ""};
  std::string stored = Bytes(
      "\x01\x03\x00\x00\x00\x00\x00\x00\x00\x02\x63\x69\x01\x68\x02\x0b\x61\x63\x74\x69\x6f\x6e"
      "\x3a\x72\x65\x61\x64\x01\x2a\x02\x01\x00\x00\x00\x00\x00\x00\x00\xfe\xff\xff\xff\xff\xff"
      "\xff\xff\x02\x01\x00\x00\x00\x00\x00\x00\x01\x63\x01\x6d");
  // Format 1, as stores before last_used_at hold it: read as a key never used.
  auto decoded = DecodeApiKey(stored);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, k);
  // Format 2 is format 1's fields and last_used_at after them.
  k.last_used_at = "t";
  const std::string v2 = engine::StrCat({"\x02", std::string_view(stored).substr(1), "\x01t"});
  EXPECT_EQ(EncodeApiKey(k), v2);
  decoded = DecodeApiKey(v2);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, k);
}

TEST(RecordsTest, PersonBytesAreThoseOfExistingStores) {
  // The second distinct id is 130 bytes long, so its length takes a two-byte varint.
  Person p{.uuid = "u",
           .id = 17,
           .created_at = "c",
           .properties_json = R"({"a":1})",
           .is_identified = true,
           .distinct_ids = {"x", std::string(130, 'd')}};
  std::string stored = Bytes(
                           "\x01\x01\x75\x11\x00\x00\x00\x00\x00\x00\x00\x01\x63\x07\x7b\x22\x61"
                           "\x22\x3a\x31\x7d\x01\x02\x01\x78\x82\x01") +
                       std::string(130, 'd');
  EXPECT_EQ(EncodePerson(p), stored);
  auto decoded = DecodePerson(stored);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, p);
}

TEST(RecordsTest, EventCursorBytesAreThoseOfExistingStores) {
  EventCursor c{.timestamp_ms = 1700000000123, .uuid = "u1"};
  std::string stored = Bytes("\x80\x00\x01\x8b\xcf\xe5\x68\x7b\x75\x31");
  EXPECT_EQ(EncodeEventCursor(c), stored);
  auto decoded = DecodeEventCursor(stored);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, c);
}

}  // namespace
}  // namespace actiond::storage
