#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "engine/capture_fields_internal.h"
#include "engine/date_time.h"

namespace actiond::engine {
namespace {

int64_t Ms(std::string_view iso) { return ParseIso8601(iso).value().epoch_ms; }

constexpr int64_t kNow = 1'796'000'000'000;

TEST(CaptureTimestampTest, ParsesIsoForms) {
  EXPECT_EQ(ParseCaptureTimestamp("2026-11-30T00:40:35.814Z"), Ms("2026-11-30T00:40:35.814Z"));
  EXPECT_EQ(ParseCaptureTimestamp("2026-11-30"), Ms("2026-11-30T00:00:00Z"));
  EXPECT_EQ(ParseCaptureTimestamp("2026-11-30 01:00:00"), Ms("2026-11-30T01:00:00Z"));
  EXPECT_EQ(ParseCaptureTimestamp("2026-11-30T03:00:00+03:00"), Ms("2026-11-30T00:00:00Z"));
}

TEST(CaptureTimestampTest, BareHourZoneIsReadAsWholeHours) {
  EXPECT_EQ(ParseCaptureTimestamp("2025-09-17T14:05:04.805+03"), Ms("2025-09-17T11:05:04.805Z"));
  EXPECT_EQ(ParseCaptureTimestamp("2025-09-17T14:05:04-05"), Ms("2025-09-17T19:05:04Z"));
  EXPECT_EQ(ParseCaptureTimestamp("2025-09-17-05"), std::nullopt);
  EXPECT_EQ(ParseCaptureTimestamp("2025-09-17T14:05-05"), Ms("2025-09-17T19:05:00Z"));
}

TEST(CaptureTimestampTest, RejectsOtherText) {
  EXPECT_EQ(ParseCaptureTimestamp(""), std::nullopt);
  EXPECT_EQ(ParseCaptureTimestamp("yesterday"), std::nullopt);
  EXPECT_EQ(ParseCaptureTimestamp("2026-13-01T00:00:00Z"), std::nullopt);
}

TEST(ComputeEventTimestampTest, RulesInOrder) {
  const int64_t ts = kNow - 3'600'000;
  EXPECT_EQ(ComputeEventTimestamp(std::nullopt, std::nullopt, std::nullopt, kNow), kNow);
  EXPECT_EQ(ComputeEventTimestamp(ts, std::nullopt, std::nullopt, kNow), ts);
  EXPECT_EQ(ComputeEventTimestamp(ts, std::nullopt, ts + 2000, kNow), kNow - 2000);
  EXPECT_EQ(ComputeEventTimestamp(ts, 700, ts + 2000, kNow), kNow - 700);
  EXPECT_EQ(ComputeEventTimestamp(std::nullopt, std::nullopt, ts, kNow), kNow);
  EXPECT_EQ(ComputeEventTimestamp(std::nullopt, 0, std::nullopt, kNow), kNow);
}

TEST(ComputeEventTimestampTest, FutureBeyond23HoursIsNow) {
  const int64_t cutoff = kNow + kFutureEventCutoffMs;
  EXPECT_EQ(ComputeEventTimestamp(cutoff, std::nullopt, std::nullopt, kNow), cutoff);
  EXPECT_EQ(ComputeEventTimestamp(cutoff + 1, std::nullopt, std::nullopt, kNow), kNow);
  // Skew correction can push into the future too.
  EXPECT_EQ(ComputeEventTimestamp(kNow, std::nullopt, kNow - 24 * 3'600'000, kNow), kNow);
}

TEST(ComputeEventTimestampTest, OutsideYears0To9999IsTheEpoch) {
  EXPECT_EQ(ComputeEventTimestamp(kMinStoredTimestampMs, std::nullopt, std::nullopt, kNow),
            kMinStoredTimestampMs);
  EXPECT_EQ(ComputeEventTimestamp(kMinStoredTimestampMs - 1, std::nullopt, std::nullopt, kNow), 0);
  EXPECT_EQ(ComputeEventTimestamp(std::nullopt, kNow + 70'000'000'000'000, std::nullopt, kNow), 0);
  const int64_t far = kEndStoredTimestampMs + 1000;
  EXPECT_EQ(ComputeEventTimestamp(far - 1000 - 1, std::nullopt, std::nullopt, far), far - 1001);
  EXPECT_EQ(ComputeEventTimestamp(far, std::nullopt, std::nullopt, far), 0);
}

TEST(ComputeEventTimestampTest, HugeOffsetsDoNotOverflow) {
  EXPECT_EQ(ComputeEventTimestamp(std::nullopt, INT64_MIN, std::nullopt, kNow), kNow);
  EXPECT_EQ(ComputeEventTimestamp(std::nullopt, INT64_MAX, std::nullopt, kNow), 0);
  EXPECT_EQ(ComputeEventTimestamp(INT64_MIN, std::nullopt, INT64_MAX, kNow), 0);
}

TEST(NormalizeUuidTest, AcceptsTheUuidCrateForms) {
  std::string out;
  const std::string want = "0194e3f1-aaaa-7bbb-8ccc-0123456789ab";
  for (std::string_view text :
       {"0194e3f1-aaaa-7bbb-8ccc-0123456789ab", "0194E3F1-AAAA-7BBB-8CCC-0123456789AB",
        "0194e3f1aaaa7bbb8ccc0123456789ab", "{0194e3f1-aaaa-7bbb-8ccc-0123456789ab}",
        "urn:uuid:0194e3f1-aaaa-7bbb-8ccc-0123456789ab"}) {
    ASSERT_TRUE(NormalizeUuid(text, &out)) << text;
    EXPECT_EQ(out, want) << text;
  }
  ASSERT_TRUE(NormalizeUuid("00000000-0000-0000-0000-000000000000", &out));
}

TEST(NormalizeUuidTest, RejectsEverythingElse) {
  std::string out;
  for (std::string_view text :
       {"", "0194e3f1-aaaa-7bbb-8ccc-0123456789a", "0194e3f1-aaaa-7bbb-8ccc-0123456789abc",
        "0194e3f1aaaa-7bbb-8ccc-0123456789ab-", "0194e3f1-aaaa-7bbb-8ccc_0123456789ab",
        "0194e3f1-aaaa-7bbb-8ccc-0123456789ag", "0194e3f1aaaa7bbb8ccc0123456789a-",
        "{0194e3f1-aaaa-7bbb-8ccc-0123456789ab", " 0194e3f1-aaaa-7bbb-8ccc-0123456789a"}) {
    EXPECT_FALSE(NormalizeUuid(text, &out)) << text;
  }
}

TEST(MakeUuidV7Test, LaysOutTimeVersionVariantAndRandomBits) {
  const uint8_t random[10] = {0xFF, 0x11, 0xFF, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  std::string out;
  MakeUuidV7(0x0123456789AB, random, &out);
  EXPECT_EQ(out, "01234567-89ab-7f11-bf22-334455667788");
  const uint8_t zeros[10] = {};
  MakeUuidV7(0, zeros, &out);
  EXPECT_EQ(out, "00000000-0000-7000-8000-000000000000");
}

class JsonValueTest : public ::testing::Test {
 protected:
  simdjson::dom::element Json(std::string_view text) {
    return parser_.parse(text.data(), text.size()).value();
  }
  simdjson::dom::parser parser_;
};

TEST_F(JsonValueTest, DistinctIdFromJsonStringifiesAndCuts) {
  std::string out;
  EXPECT_TRUE(DistinctIdFromJson(Json(R"("abc")"), &out));
  EXPECT_EQ(out, "abc");
  EXPECT_TRUE(DistinctIdFromJson(Json("12345678901234567890"), &out));
  EXPECT_EQ(out, "12345678901234567000");  // as JavaScript reads and prints it
  EXPECT_TRUE(DistinctIdFromJson(Json("false"), &out));
  EXPECT_EQ(out, "false");
  EXPECT_TRUE(DistinctIdFromJson(Json("null"), &out));
  EXPECT_EQ(out, "null");
  EXPECT_FALSE(DistinctIdFromJson(Json(R"("")"), &out));
  std::string emoji;
  for (int i = 0; i < 201; ++i) emoji.append("\xF0\x9F\x98\x80");
  EXPECT_TRUE(DistinctIdFromJson(Json("\"" + emoji + "\""), &out));
  EXPECT_EQ(out, emoji.substr(0, 800));
}

TEST_F(JsonValueTest, AppendJsStringFollowsJavaScriptString) {
  auto js = [this](std::string_view text) {
    std::string out;
    AppendJsString(Json(text), &out);
    return out;
  };
  EXPECT_EQ(js(R"("a b")"), "a b");
  EXPECT_EQ(js("1.50"), "1.5");
  EXPECT_EQ(js("-0"), "0");
  EXPECT_EQ(js("true"), "true");
  EXPECT_EQ(js("null"), "null");
  EXPECT_EQ(js(R"({"a":1})"), "[object Object]");
  EXPECT_EQ(js(R"([1,"x",null,[2,3],{}])"), "1,x,,2,3,[object Object]");
  EXPECT_EQ(js("[]"), "");
}

}  // namespace
}  // namespace actiond::engine
