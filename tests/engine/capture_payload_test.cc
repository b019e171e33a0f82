#include "engine/capture_payload.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/capture_document_internal.h"
#include "engine/date_time.h"

namespace actiond::engine {
namespace {

constexpr int64_t kNow = 1'796'000'000'000;  // 2026-11-30T00:53:20Z

class FixedRandom : public RandomSource {
 public:
  explicit FixedRandom(uint8_t byte = 0xAB) : byte_(byte) {}
  void Fill(uint8_t* out, size_t size) override {
    for (size_t i = 0; i < size; ++i) out[i] = byte_;
    ++calls;
  }
  int calls = 0;

 private:
  uint8_t byte_;
};

int64_t Ms(std::string_view iso) {
  auto parsed = ParseIso8601(iso);
  EXPECT_TRUE(parsed.has_value()) << iso;
  return parsed ? parsed->epoch_ms : 0;
}

class CapturePayloadTest : public ::testing::Test {
 protected:
  Status Parse(std::string_view body) { return parser_.Parse(body, options_, &request_); }

  // Parses a body that must succeed and returns its only event.
  const CapturedEvent& One(std::string_view body) {
    Status status = Parse(body);
    EXPECT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(request_.events.size(), 1u);
    if (request_.events.empty()) request_.events.emplace_back();
    return request_.events[0];
  }

  // The single event `{"event":"e","distinct_id":"u","api_key":"phc_t", <extra>}`.
  const CapturedEvent& WithFields(std::string_view extra) {
    std::string body = R"({"event":"e","distinct_id":"u","api_key":"phc_t")";
    if (!extra.empty()) body.append(",").append(extra);
    body.append("}");
    return One(body);
  }

  Status FailWith(std::string_view extra) {
    std::string body = R"({"event":"e","distinct_id":"u","api_key":"phc_t")";
    if (!extra.empty()) body.append(",").append(extra);
    body.append("}");
    return Parse(body);
  }

  FixedRandom random_;
  CaptureOptions options_{kNow, {}, false, std::nullopt, &random_};
  CapturePayloadParser parser_;
  CaptureRequest request_;
};

// ---- shapes ----

TEST_F(CapturePayloadTest, BatchShapeReadsTokenEventsAndSentAt) {
  ASSERT_TRUE(Parse(R"({"api_key":"phc_abc","sent_at":"2026-11-30T00:00:10.000Z","batch":[
      {"event":"a","distinct_id":"u1","timestamp":"2026-11-30T00:00:09.000Z"},
      {"event":"b","distinct_id":"u2","properties":{"x":1}}]})")
                  .ok());
  EXPECT_EQ(request_.token, "phc_abc");
  ASSERT_EQ(request_.events.size(), 2u);
  EXPECT_EQ(request_.events[0].event, "a");
  EXPECT_EQ(request_.events[0].distinct_id, "u1");
  EXPECT_EQ(request_.events[0].timestamp_ms, kNow - 1000);  // 1 s before the send
  EXPECT_EQ(request_.events[0].properties_json, "{}");
  EXPECT_EQ(request_.events[1].event, "b");
  EXPECT_EQ(request_.events[1].properties_json, R"({"x":1})");
  EXPECT_EQ(request_.events[1].timestamp_ms, kNow);
}

TEST_F(CapturePayloadTest, BareArrayTakesTheEventsToken) {
  ASSERT_TRUE(Parse(R"([{"event":"a","distinct_id":"u","token":"phc_t"},
                        {"event":"b","distinct_id":"u","token":"phc_t"}])")
                  .ok());
  EXPECT_EQ(request_.token, "phc_t");
  EXPECT_EQ(request_.events.size(), 2u);
}

TEST_F(CapturePayloadTest, SingleEventObject) {
  const CapturedEvent& event = One(R"({"event":"$pageview","$token":"phc_t","distinct_id":"u",
      "properties":{"$current_url":"https://x.test/"}})");
  EXPECT_EQ(request_.token, "phc_t");
  EXPECT_EQ(event.event, "$pageview");
  EXPECT_EQ(event.properties_json, R"({"$current_url":"https://x.test/"})");
}

TEST_F(CapturePayloadTest, EngageBodyBecomesIdentifyCarryingTheSet) {
  options_.engage = true;
  const CapturedEvent& event =
      One(R"({"$set":{"plan":"pro"},"$distinct_id":"u7","$token":"phc_t"})");
  EXPECT_EQ(event.event, "$identify");
  EXPECT_EQ(event.distinct_id, "u7");
  EXPECT_EQ(event.set_json, R"({"plan":"pro"})");
  EXPECT_EQ(request_.token, "phc_t");
}

TEST_F(CapturePayloadTest, EngageBodyKeepsAnExplicitEventName) {
  options_.engage = true;
  EXPECT_EQ(One(R"({"event":"x","distinct_id":"u","token":"phc_t"})").event, "x");
}

TEST_F(CapturePayloadTest, BodyWithoutEventNameIsRejectedOutsideEngage) {
  Status status = Parse(R"({"$set":{"plan":"pro"},"distinct_id":"u","token":"phc_t"})");
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(status.message().substr(0, 9), "event 0: ");
}

TEST_F(CapturePayloadTest, V1ShapeTakesTheBearerTokenAndCreatedAtAsSentAt) {
  options_.external_token = "phc_bearer";
  const CapturedEvent& event = One(R"({"created_at":"2026-11-30T00:40:38.404Z","batch":[
      {"event":"e","uuid":"01a229e5-88c3-7ccd-9603-e3c2e3507c4e","distinct_id":"user-1",
       "timestamp":"2026-11-30T00:40:38.339Z","options":{},"properties":{"a":1}}]})");
  EXPECT_EQ(request_.token, "phc_bearer");
  EXPECT_EQ(event.uuid, "01a229e5-88c3-7ccd-9603-e3c2e3507c4e");
  EXPECT_EQ(event.timestamp_ms, kNow - 65);
}

TEST_F(CapturePayloadTest, BearerTokenAgreeingWithTheBodyIsFine) {
  options_.external_token = "phc_t";
  EXPECT_TRUE(Parse(R"({"api_key":"phc_t","batch":[{"event":"e","distinct_id":"u"}]})").ok());
}

TEST_F(CapturePayloadTest, BearerTokenDisagreeingWithTheBodyIsInvalid) {
  options_.external_token = "phc_other";
  EXPECT_EQ(Parse(R"({"api_key":"phc_t","batch":[{"event":"e","distinct_id":"u"}]})").code(),
            StatusCode::kInvalidInput);
}

TEST_F(CapturePayloadTest, BatchNotAnArrayIsInvalid) {
  EXPECT_EQ(Parse(R"({"api_key":"phc_t","batch":{"event":"e"}})").code(),
            StatusCode::kInvalidInput);
}

TEST_F(CapturePayloadTest, BodyThatIsNotObjectOrArrayIsInvalid) {
  EXPECT_EQ(Parse(R"("hello")").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Parse("42").code(), StatusCode::kInvalidInput);
}

TEST_F(CapturePayloadTest, MalformedJsonIsAParseError) {
  EXPECT_EQ(Parse(R"({"event":"e",)").code(), StatusCode::kParseError);
  EXPECT_EQ(Parse("").code(), StatusCode::kParseError);
}

TEST_F(CapturePayloadTest, MalformedJsonSaysAtWhichByte) {
  // The capture table puts "Malformed request data: " before it (api/error_response.h).
  EXPECT_EQ(Parse(R"({"event":"e",)").message(),
            "malformed JSON at byte 13: unexpected end of input inside an object");
  EXPECT_EQ(Parse(R"([{"event": tru}])").message(),
            "malformed JSON at byte 11: unexpected character: a value (object, array, string, "
            "number, true, false or null) was expected");
}

TEST_F(CapturePayloadTest, IntegerBeyond64BitsIsANumberAsInJavaScript) {
  const CapturedEvent& e = One(R"({"api_key":"phc_t","batch":[{"event":"e","distinct_id":"d",)"
                               R"("properties":{"n":1000000000000000000000}}]})");
  EXPECT_EQ(e.properties_json, R"({"n":1e+21})");
}

TEST_F(CapturePayloadTest, BigIntegersAndLongDecimalsSurviveTogetherAndInSets) {
  const CapturedEvent& e =
      One(R"({"api_key":"phc_t","batch":[{"event":"e","distinct_id":"d","properties":)"
          R"({"n":100000000000000000000,"d":0.00030000000000000003,)"
          R"("$set":{"big":200000000000000000000}},"$set_once":{"o":-100000000000000000000}}]})");
  EXPECT_EQ(e.properties_json, R"({"n":100000000000000000000,"d":0.00030000000000000003,)"
                               R"("$set":{"big":200000000000000000000}})");
  EXPECT_EQ(e.set_json, R"({"big":200000000000000000000})");
  EXPECT_EQ(e.set_once_json, R"({"o":-100000000000000000000})");
}

TEST_F(CapturePayloadTest, DuplicateKeysLastWinsInPropertiesSetsAndFields) {
  const CapturedEvent& e =
      One(R"({"api_key":"phc_t","event":"first","event":"e","distinct_id":"a","distinct_id":"d",)"
          R"("properties":{"p":1,"q":2,"p":3,"$set":{"s":1,"s":2}},"$set":{"t":1,"t":"x"}})");
  EXPECT_EQ(e.event, "e");
  EXPECT_EQ(e.distinct_id, "d");
  EXPECT_EQ(e.properties_json, R"({"p":3,"q":2,"$set":{"s":2}})");
  EXPECT_EQ(e.set_json, R"({"s":2,"t":"x"})");
}

TEST_F(CapturePayloadTest, ArrayItemThatIsNotAnObjectNamesItsIndex) {
  Status status = Parse(R"([{"event":"e","distinct_id":"u","token":"phc_t"},7])");
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(status.message().substr(0, 9), "event 1: ");
}

TEST_F(CapturePayloadTest, NoEventsIsInvalid) {
  EXPECT_EQ(Parse("[]").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Parse(R"({"api_key":"phc_t","batch":[]})").code(), StatusCode::kInvalidInput);
}

// ---- tokens ----

TEST_F(CapturePayloadTest, TokenFromEachSource) {
  for (std::string_view body : {
           R"({"event":"e","distinct_id":"u","api_key":"phc_t"})",
           R"({"event":"e","distinct_id":"u","token":"phc_t"})",
           R"({"event":"e","distinct_id":"u","$token":"phc_t"})",
           R"({"event":"e","distinct_id":"u","properties":{"token":"phc_t"}})",
           R"({"token":"phc_t","batch":[{"event":"e","distinct_id":"u"}]})",
           R"({"$token":"phc_t","batch":[{"event":"e","distinct_id":"u"}]})",
       }) {
    ASSERT_TRUE(Parse(body).ok()) << body;
    EXPECT_EQ(request_.token, "phc_t") << body;
  }
}

TEST_F(CapturePayloadTest, EventTokenWinsOverPropertiesToken) {
  One(R"({"event":"e","distinct_id":"u","token":"phc_a","properties":{"token":"phc_b"}})");
  EXPECT_EQ(request_.token, "phc_a");
}

TEST_F(CapturePayloadTest, BatchTokenWinsOverTheEventsTokens) {
  ASSERT_TRUE(Parse(R"({"api_key":"phc_batch","batch":[
      {"event":"e","distinct_id":"u","token":"phc_1"},
      {"event":"e","distinct_id":"u","properties":{"token":"phc_2"}}]})")
                  .ok());
  EXPECT_EQ(request_.token, "phc_batch");
}

TEST_F(CapturePayloadTest, MixedEventTokensAreInvalidAndNameTheEvent) {
  Status status = Parse(R"([{"event":"e","distinct_id":"u","token":"phc_1"},
                            {"event":"e","distinct_id":"u","token":"phc_1"},
                            {"event":"e","distinct_id":"u","token":"phc_2"}])");
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(status.message().substr(0, 9), "event 2: ");
}

TEST_F(CapturePayloadTest, SomeEventsWithoutATokenAreMixed) {
  EXPECT_EQ(Parse(R"([{"event":"e","distinct_id":"u","token":"phc_1"},
                      {"event":"e","distinct_id":"u"}])")
                .code(),
            StatusCode::kInvalidInput);
}

TEST_F(CapturePayloadTest, MissingTokenIsNotAuthenticated) {
  EXPECT_EQ(Parse(R"({"event":"e","distinct_id":"u"})").reason(), StatusReason::kNoCredentials);
  EXPECT_EQ(Parse(R"({"batch":[{"event":"e","distinct_id":"u"}]})").reason(),
            StatusReason::kNoCredentials);
  EXPECT_EQ(Parse(R"({"event":"e","distinct_id":"u","properties":{"token":7}})").reason(),
            StatusReason::kNoCredentials);
}

TEST_F(CapturePayloadTest, EmptyTokenIsNotAuthenticated) {
  EXPECT_EQ(Parse(R"({"api_key":"","batch":[{"event":"e","distinct_id":"u"}]})").reason(),
            StatusReason::kNoCredentials);
}

TEST_F(CapturePayloadTest, PersonalApiKeyAsTokenIsAuthFailed) {
  EXPECT_EQ(Parse(R"({"api_key":"phx_secret","batch":[{"event":"e","distinct_id":"u"}]})").code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(Parse(R"([{"event":"e","distinct_id":"u","token":"phx_secret"}])").code(),
            StatusCode::kUnauthenticated);
  options_.external_token = "phx_secret";
  EXPECT_EQ(Parse(R"({"batch":[{"event":"e","distinct_id":"u"}]})").code(),
            StatusCode::kUnauthenticated);
}

TEST_F(CapturePayloadTest, NonStringTokenIsInvalid) {
  EXPECT_EQ(Parse(R"({"api_key":5,"batch":[{"event":"e","distinct_id":"u"}]})").code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(Parse(R"({"event":"e","distinct_id":"u","token":true})").code(),
            StatusCode::kInvalidInput);
}

// ---- distinct_id ----

TEST_F(CapturePayloadTest, DistinctIdSources) {
  EXPECT_EQ(One(R"({"event":"e","$distinct_id":"d","token":"t"})").distinct_id, "d");
  EXPECT_EQ(One(R"({"event":"e","token":"t","properties":{"distinct_id":"p"}})").distinct_id, "p");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":"top","properties":{"distinct_id":"p"}})")
                .distinct_id,
            "top");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":null,"properties":{"distinct_id":"p"}})")
                .distinct_id,
            "p");
}

TEST_F(CapturePayloadTest, NonStringDistinctIdsAreStringifiedAsJavaScriptDoes) {
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":23})").distinct_id, "23");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":23.5})").distinct_id, "23.5");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":1.0})").distinct_id, "1");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":1e21})").distinct_id, "1e+21");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":true})").distinct_id, "true");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":["a",1]})").distinct_id, R"(["a",1])");
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":{"b":1,"a":2}})").distinct_id,
            R"({"b":1,"a":2})");
}

TEST_F(CapturePayloadTest, DistinctIdIsCutTo200CodePoints) {
  std::string id;
  for (int i = 0; i < 250; ++i) id.append("é");  // 2 bytes each
  const CapturedEvent& event =
      One(std::string(R"({"event":"e","token":"t","distinct_id":")") + id + "\"}");
  EXPECT_EQ(event.distinct_id.size(), 400u);
  EXPECT_EQ(event.distinct_id, id.substr(0, 400));
  std::string exact(200, 'x');
  EXPECT_EQ(
      One(std::string(R"({"event":"e","token":"t","distinct_id":")") + exact + "\"}").distinct_id,
      exact);
}

TEST_F(CapturePayloadTest, NulInDistinctIdBecomesReplacementCharacter) {
  EXPECT_EQ(One(R"({"event":"e","token":"t","distinct_id":"a\u0000b"})").distinct_id,
            "a\xEF\xBF\xBD"
            "b");
}

TEST_F(CapturePayloadTest, MissingNullOrEmptyDistinctIdIsInvalidNamingTheEvent) {
  for (std::string_view second : {R"({"event":"e"})", R"({"event":"e","distinct_id":null})",
                                  R"({"event":"e","distinct_id":""})",
                                  R"({"event":"e","properties":{"distinct_id":null}})"}) {
    std::string body = R"({"api_key":"t","batch":[{"event":"ok","distinct_id":"u"},)";
    body.append(second).append("]}");
    Status status = Parse(body);
    EXPECT_EQ(status.code(), StatusCode::kInvalidInput) << second;
    EXPECT_EQ(status.message().substr(0, 9), "event 1: ") << second;
  }
}

// ---- timestamps ----

TEST_F(CapturePayloadTest, NoTimestampIsNow) { EXPECT_EQ(WithFields("").timestamp_ms, kNow); }

TEST_F(CapturePayloadTest, TimestampAloneIsKept) {
  EXPECT_EQ(WithFields(R"("timestamp":"2026-11-29T10:00:00.123Z")").timestamp_ms,
            Ms("2026-11-29T10:00:00.123Z"));
}

TEST_F(CapturePayloadTest, TimestampWithZoneOffsetIsConvertedToUtc) {
  EXPECT_EQ(WithFields(R"("timestamp":"2026-11-29T12:00:00+02:00")").timestamp_ms,
            Ms("2026-11-29T10:00:00Z"));
  EXPECT_EQ(WithFields(R"("timestamp":"2026-11-29T12:00:00.5+02")").timestamp_ms,
            Ms("2026-11-29T10:00:00.500Z"));
}

TEST_F(CapturePayloadTest, SentAtCorrectsClientClockSkew) {
  // The client's clock is two days behind; the event happened 5 s before it was sent.
  ASSERT_TRUE(Parse(R"({"api_key":"t","sent_at":"2026-11-28T00:00:05Z","batch":[
      {"event":"e","distinct_id":"u","timestamp":"2026-11-28T00:00:00Z"}]})")
                  .ok());
  EXPECT_EQ(request_.events[0].timestamp_ms, kNow - 5000);
}

TEST_F(CapturePayloadTest, OffsetWinsOverTimestampAndSentAt) {
  ASSERT_TRUE(Parse(R"({"api_key":"t","sent_at":"2026-11-28T00:00:05Z","batch":[
      {"event":"e","distinct_id":"u","timestamp":"2026-11-28T00:00:00Z","offset":1500}]})")
                  .ok());
  EXPECT_EQ(request_.events[0].timestamp_ms, kNow - 1500);
  EXPECT_EQ(WithFields(R"("offset":250)").timestamp_ms, kNow - 250);
}

TEST_F(CapturePayloadTest, SentAtWithoutTimestampIsNow) {
  ASSERT_TRUE(Parse(R"({"api_key":"t","sent_at":"2026-11-28T00:00:05Z","batch":[
      {"event":"e","distinct_id":"u"}]})")
                  .ok());
  EXPECT_EQ(request_.events[0].timestamp_ms, kNow);
}

TEST_F(CapturePayloadTest, UnparseableSentAtIsIgnored) {
  ASSERT_TRUE(Parse(R"({"api_key":"t","sent_at":"yesterday","batch":[
      {"event":"e","distinct_id":"u","timestamp":"2026-11-28T00:00:00Z"}]})")
                  .ok());
  EXPECT_EQ(request_.events[0].timestamp_ms, Ms("2026-11-28T00:00:00Z"));
}

TEST_F(CapturePayloadTest, UnparseableTimestampFallsBackToNow) {
  ASSERT_TRUE(Parse(R"({"api_key":"t","sent_at":"2026-11-28T00:00:05Z","batch":[
      {"event":"e","distinct_id":"u","timestamp":"not a date"}]})")
                  .ok());
  EXPECT_EQ(request_.events[0].timestamp_ms, kNow);
}

TEST_F(CapturePayloadTest, IgnoreSentAtPropertyKeepsTheClientTimestamp) {
  ASSERT_TRUE(Parse(R"({"api_key":"t","sent_at":"2026-11-28T00:00:05Z","batch":[
      {"event":"e","distinct_id":"u","timestamp":"2026-11-28T00:00:00Z",
       "properties":{"$ignore_sent_at":true}},
      {"event":"e","distinct_id":"u","timestamp":"2026-11-28T00:00:00Z",
       "properties":{"$ignore_sent_at":"true"}}]})")
                  .ok());
  EXPECT_EQ(request_.events[0].timestamp_ms, Ms("2026-11-28T00:00:00Z"));
  EXPECT_EQ(request_.events[1].timestamp_ms, kNow - 5000);
}

TEST_F(CapturePayloadTest, QuerySentAtIsUsedWhenTheBodyHasNone) {
  options_.query_sent_at_ms = Ms("2026-11-28T00:00:05Z");
  EXPECT_EQ(WithFields(R"("timestamp":"2026-11-28T00:00:00Z")").timestamp_ms, kNow - 5000);
}

TEST_F(CapturePayloadTest, QuerySentAtBefore2021IsIgnored) {
  options_.query_sent_at_ms = 1'600'000'000;  // seconds, from an old SDK
  EXPECT_EQ(WithFields(R"("timestamp":"2026-11-28T00:00:00Z")").timestamp_ms,
            Ms("2026-11-28T00:00:00Z"));
}

TEST_F(CapturePayloadTest, BodySentAtWinsOverQuerySentAt) {
  options_.query_sent_at_ms = Ms("2026-11-28T00:01:00Z");
  ASSERT_TRUE(Parse(R"({"api_key":"t","sent_at":"2026-11-28T00:00:05Z","batch":[
      {"event":"e","distinct_id":"u","timestamp":"2026-11-28T00:00:00Z"}]})")
                  .ok());
  EXPECT_EQ(request_.events[0].timestamp_ms, kNow - 5000);
}

TEST_F(CapturePayloadTest, MoreThan23HoursAheadIsClampedToNow) {
  options_.now_ms = Ms("2026-11-30T00:00:00Z");
  EXPECT_EQ(WithFields(R"("timestamp":"2026-11-30T23:00:00Z")").timestamp_ms,
            Ms("2026-11-30T23:00:00Z"));  // exactly 23 h: kept
  EXPECT_EQ(WithFields(R"("timestamp":"2026-11-30T23:00:00.001Z")").timestamp_ms, options_.now_ms);
  EXPECT_EQ(WithFields(R"("offset":-90000000)").timestamp_ms, options_.now_ms);  // 25 h ahead
}

TEST_F(CapturePayloadTest, NonStringTimestampOrNonIntegerOffsetIsInvalid) {
  EXPECT_EQ(FailWith(R"("timestamp":1700000000)").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith(R"("offset":"10")").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith(R"("offset":1.5)").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(WithFields(R"("timestamp":null,"offset":null)").timestamp_ms, kNow);
}

// ---- uuid ----

TEST_F(CapturePayloadTest, ClientUuidIsKeptAndLowerCased) {
  EXPECT_EQ(WithFields(R"("uuid":"01A229E5-7ECF-7284-94FF-26231650276A")").uuid,
            "01a229e5-7ecf-7284-94ff-26231650276a");
  EXPECT_EQ(WithFields(R"("uuid":"01a229e57ecf728494ff26231650276a")").uuid,
            "01a229e5-7ecf-7284-94ff-26231650276a");
  EXPECT_EQ(WithFields(R"("uuid":"{01a229e5-7ecf-7284-94ff-26231650276a}")").uuid,
            "01a229e5-7ecf-7284-94ff-26231650276a");
  EXPECT_EQ(random_.calls, 0);
}

TEST_F(CapturePayloadTest, InvalidUuidIsRejected) {
  for (std::string_view field :
       {R"("uuid":"not-a-uuid")", R"("uuid":"01a229e5-7ecf-7284-94ff-26231650276")",
        R"("uuid":"01a229e5-7ecf-7284-94ff-26231650276g")", R"("uuid":42)"}) {
    Status status = FailWith(field);
    EXPECT_EQ(status.code(), StatusCode::kInvalidInput) << field;
    EXPECT_EQ(status.message().substr(0, 9), "event 0: ") << field;
  }
}

TEST_F(CapturePayloadTest, MissingUuidGetsAUuidV7FromNow) {
  for (std::string_view field : {"", R"("uuid":"")", R"("uuid":null)"}) {
    const std::string uuid = WithFields(field).uuid;
    ASSERT_EQ(uuid.size(), 36u) << field;
    // 48-bit big-endian milliseconds: kNow = 0x01a229f12800
    EXPECT_EQ(uuid.substr(0, 13), "01a229f1-2800") << uuid;
    EXPECT_EQ(uuid[14], '7') << uuid;                             // version
    EXPECT_EQ(uuid.substr(15), "bab-abab-abababababab") << uuid;  // variant 10, random bytes
  }
  EXPECT_EQ(random_.calls, 3);
}

// ---- event name ----

TEST_F(CapturePayloadTest, EventNameLengthLimits) {
  const std::string max(1024, 'n');
  EXPECT_EQ(One(R"({"distinct_id":"u","token":"t","event":")" + max + "\"}").event, max);
  EXPECT_EQ(One(R"({"distinct_id":"u","token":"t","event":"x"})").event, "x");
  EXPECT_EQ(Parse(R"({"distinct_id":"u","token":"t","event":")" + max + "n\"}").code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(Parse(R"({"distinct_id":"u","token":"t","event":""})").code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(Parse(R"({"distinct_id":"u","token":"t","event":3})").code(),
            StatusCode::kInvalidInput);
}

// ---- text validity and size ----

TEST_F(CapturePayloadTest, LoneSurrogateEscapesAreInvalid) {
  EXPECT_EQ(FailWith(R"("properties":{"s":"\ud800"})").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith(R"("properties":{"s":"\udc00x"})").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith(R"("properties":{"s":"\ud800\ud800"})").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith(R"("properties":{"\ud800":1})").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(WithFields(R"("properties":{"s":"\ud83d\ude00"})").properties_json,
            "{\"s\":\"\xF0\x9F\x98\x80\"}");
}

TEST_F(CapturePayloadTest, InvalidUtf8IsInvalid) {
  EXPECT_EQ(FailWith("\"properties\":{\"s\":\"\xFF\"}").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith("\"properties\":{\"s\":\"\xED\xA0\x80\"}").code(),  // encoded surrogate
            StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith("\"properties\":{\"s\":\"\xC3\"}").code(), StatusCode::kInvalidInput);
}

TEST_F(CapturePayloadTest, EventOfExactly1MiBPassesAndOneByteMoreIsTooLarge) {
  const std::string head = R"({"event":"e","distinct_id":"u","token":"t","properties":{"s":")";
  const std::string tail = "\"}}";
  const size_t fill = kMaxEventJsonBytes - head.size() - tail.size();
  EXPECT_TRUE(Parse(head + std::string(fill, 'x') + tail).ok());
  const std::string body = R"({"api_key":"t","batch":[{"event":"e","distinct_id":"u"},)" + head +
                           std::string(fill + 1, 'x') + tail + "]}";
  Status status = Parse(body);
  EXPECT_EQ(status.code(), StatusCode::kTooLarge);
  EXPECT_EQ(status.message().substr(0, 9), "event 1: ");
}

TEST_F(CapturePayloadTest, EventSizeIsMeasuredAsCompactJson) {
  // Whitespace does not count: PostHog measures the event it re-serialises.
  const std::string head = R"({"event":"e","distinct_id":"u","token":"t","properties":{"s":")";
  const std::string tail = "\"}}";
  const size_t fill = kMaxEventJsonBytes - head.size() - tail.size();
  EXPECT_TRUE(Parse(head + std::string(fill, 'x') + tail + std::string(100, ' ')).ok());
}

TEST_F(CapturePayloadTest, NumbersCountAtTheSizeJavaScriptWritesThem) {
  // `1e20` is written 100000000000000000000: 60,000 of them are 300 KB as sent and 1.3 MB as
  // compact JSON, so the event is too large although its body is not.
  std::string numbers;
  for (int i = 0; i < 60'000; ++i) numbers += i == 0 ? "1e20" : ",1e20";
  const std::string event =
      R"({"event":"e","distinct_id":"u","token":"t","properties":{"n":[)" + numbers + "]}}";
  ASSERT_LT(event.size(), kMaxEventJsonBytes / 2);
  EXPECT_EQ(Parse(event).code(), StatusCode::kTooLarge);
}

TEST_F(CapturePayloadTest, OneBadEventFailsTheWholeRequestNamingItsIndex) {
  Status status = Parse(R"({"api_key":"t","batch":[
      {"event":"a","distinct_id":"u"},{"event":"b","distinct_id":"u"},
      {"event":"c","distinct_id":"u"},{"event":"","distinct_id":"u"},
      {"event":"e","distinct_id":""}]})");
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(status.message().substr(0, 9), "event 3: ") << status.message();
}

// ---- properties and person updates ----

TEST_F(CapturePayloadTest, PropertiesKeepKeyOrderAndReadAsJavaScriptWould) {
  EXPECT_EQ(WithFields(R"("properties":{"z":1.0,"a":[1,{"b":null}],"m":"é/\n","n":-0.0,"e":1E3})")
                .properties_json,
            R"({"z":1,"a":[1,{"b":null}],"m":"é/\n","n":0,"e":1000})");
}

TEST_F(CapturePayloadTest, PropertiesMustBeAnObject) {
  EXPECT_EQ(FailWith(R"("properties":[1])").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith(R"("properties":"x")").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(WithFields(R"("properties":null)").properties_json, "{}");
}

TEST_F(CapturePayloadTest, TopLevelSetMergesOverPropertiesSet) {
  const CapturedEvent& event = WithFields(
      R"("$set":{"b":"top","c":3},"$set_once":{"x":1},
         "properties":{"$set":{"a":1,"b":"nested"},"$set_once":{"x":0,"y":2}})");
  EXPECT_EQ(event.set_json, R"({"a":1,"b":"top","c":3})");
  EXPECT_EQ(event.set_once_json, R"({"x":1,"y":2})");
  // Properties stay as sent.
  EXPECT_EQ(event.properties_json, R"({"$set":{"a":1,"b":"nested"},"$set_once":{"x":0,"y":2}})");
}

TEST_F(CapturePayloadTest, SetsDefaultToEmptyObjects) {
  const CapturedEvent& event = WithFields("");
  EXPECT_EQ(event.set_json, "{}");
  EXPECT_EQ(event.set_once_json, "{}");
  EXPECT_TRUE(event.unset_keys.empty());
}

TEST_F(CapturePayloadTest, TopLevelSetThatIsNotAnObjectIsInvalid) {
  EXPECT_EQ(FailWith(R"("$set":[1])").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FailWith(R"("$set_once":"x")").code(), StatusCode::kInvalidInput);
  EXPECT_EQ(WithFields(R"("properties":{"$set":"x"})").set_json, "{}");
}

TEST_F(CapturePayloadTest, UnsetKeysFromListsAndObjects) {
  EXPECT_EQ(WithFields(R"("properties":{"$unset":["a","b",3,"a"]})").unset_keys,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(WithFields(R"("$unset":{"c":1,"d":null})").unset_keys,
            (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(WithFields(R"("$unset":["b","z"],"properties":{"$unset":["a","b"]})").unset_keys,
            (std::vector<std::string>{"a", "b", "z"}));
}

TEST_F(CapturePayloadTest, TopLevelElementsChainIsKeptWhenAString) {
  EXPECT_EQ(WithFields(R"("elements_chain":"a.btn:text=\"Go\"")").elements_chain,
            "a.btn:text=\"Go\"");
  EXPECT_EQ(WithFields(R"("elements_chain":5)").elements_chain, "");
}

TEST_F(CapturePayloadTest, ProcessPersonProfileIsFalseOnlyForJsonFalse) {
  EXPECT_FALSE(
      WithFields(R"("properties":{"$process_person_profile":false})").process_person_profile);
  EXPECT_TRUE(
      WithFields(R"("properties":{"$process_person_profile":"false"})").process_person_profile);
  EXPECT_TRUE(WithFields(R"("properties":{"$process_person_profile":0})").process_person_profile);
  EXPECT_TRUE(
      WithFields(R"("properties":{"$process_person_profile":null})").process_person_profile);
  EXPECT_TRUE(WithFields("").process_person_profile);
}

TEST_F(CapturePayloadTest, MergeIdsAreReadForTheirEventsOnly) {
  EXPECT_EQ(One(R"({"event":"$identify","distinct_id":"u","token":"t",
                    "properties":{"$anon_distinct_id":"anon-1","alias":"x"}})")
                .anon_distinct_id,
            "anon-1");
  EXPECT_EQ(request_.events[0].alias, "");
  EXPECT_EQ(One(R"({"event":"$create_alias","distinct_id":"u","token":"t",
                    "properties":{"alias":"a-1","$anon_distinct_id":"x"}})")
                .alias,
            "a-1");
  EXPECT_EQ(request_.events[0].anon_distinct_id, "");
  EXPECT_EQ(One(R"({"event":"$merge_dangerously","distinct_id":"u","token":"t",
                    "properties":{"alias":123}})")
                .alias,
            "123");
  const CapturedEvent& other = One(R"({"event":"signup","distinct_id":"u","token":"t",
                    "properties":{"alias":"a","$anon_distinct_id":"b"}})");
  EXPECT_EQ(other.alias, "");
  EXPECT_EQ(other.anon_distinct_id, "");
}

TEST_F(CapturePayloadTest, ParserIsReusableAcrossRequests) {
  EXPECT_FALSE(Parse(R"({"event":"","distinct_id":"u","token":"t"})").ok());
  EXPECT_EQ(One(R"({"event":"again","distinct_id":"u","token":"t"})").event, "again");
}

// ---- recorded SDK bodies ----

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(CapturePayloadFixtureTest, EveryRecordedSdkBodyParsesWithItsEventCount) {
  const std::filesystem::path root = std::filesystem::path(ACTIOND_GOLDEN_DIR) / "sdk-captures";
  ASSERT_TRUE(std::filesystem::exists(root)) << root;
  CapturePayloadParser parser;
  FixedRandom random;
  int bodies = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "index.jsonl") continue;
    std::ifstream index(entry.path());
    std::string line;
    simdjson::dom::parser line_parser;
    while (std::getline(index, line)) {
      if (line.empty()) continue;
      simdjson::dom::element record;
      ASSERT_EQ(line_parser.parse(line).get(record), simdjson::SUCCESS);
      int64_t expected_events;
      if (record["events"].get_int64().get(expected_events) != simdjson::SUCCESS) continue;
      int64_t n = record["n"].get_int64().value();
      char name[32];
      std::snprintf(name, sizeof(name), "%03d.decoded.json", static_cast<int>(n));
      const std::filesystem::path body_path = entry.path().parent_path() / name;
      const std::string body = ReadFile(body_path);
      ASSERT_FALSE(body.empty()) << body_path;

      CaptureOptions options;
      options.now_ms = kNow;
      options.random = &random;
      std::string_view authorization;
      if (record["headers"]["authorization"].get_string().get(authorization) == simdjson::SUCCESS) {
        options.external_token = authorization.substr(std::string_view("Bearer ").size());
      }
      CaptureRequest request;
      Status status = parser.Parse(body, options, &request);
      ASSERT_TRUE(status.ok()) << body_path << ": " << status.ToString();
      EXPECT_EQ(static_cast<int64_t>(request.events.size()), expected_events) << body_path;
      EXPECT_EQ(request.token, "phc_testprojecttoken123") << body_path;
      for (const CapturedEvent& event : request.events) {
        EXPECT_FALSE(event.distinct_id.empty()) << body_path;
        EXPECT_EQ(event.uuid.size(), 36u) << body_path;
        EXPECT_EQ(event.properties_json.front(), '{') << body_path;
      }
      ++bodies;
    }
  }
  EXPECT_EQ(bodies, 21);
}

TEST(CapturePayloadFixtureTest, NodeBatchKeepsItsIdentifyAndAliasDetails) {
  const std::string body = ReadFile(std::filesystem::path(ACTIOND_GOLDEN_DIR) /
                                    "sdk-captures/posthog-node-5.70.0/v0-batch-plain/"
                                    "002.decoded.json");
  CapturePayloadParser parser;
  FixedRandom random;
  CaptureOptions options;
  options.now_ms = Ms("2026-11-30T00:40:36.000Z");
  options.random = &random;
  CaptureRequest request;
  ASSERT_TRUE(parser.Parse(body, options, &request).ok());
  ASSERT_EQ(request.events.size(), 2u);
  const CapturedEvent& identify = request.events[0];
  EXPECT_EQ(identify.event, "$identify");
  EXPECT_EQ(identify.distinct_id, "user-1");
  EXPECT_EQ(identify.uuid, "01a229e5-7ee6-7629-9b20-d61fe174dc31");
  EXPECT_EQ(identify.set_json, R"({"email":"u1@example.com"})");
  EXPECT_EQ(identify.set_once_json, R"({"first_seen":"2024-01-01"})");
  // sent_at 00:40:35.962, timestamp 00:40:35.814: 148 ms before receipt.
  EXPECT_EQ(identify.timestamp_ms, options.now_ms - 148);
  const CapturedEvent& alias = request.events[1];
  EXPECT_EQ(alias.event, "$create_alias");
  EXPECT_EQ(alias.alias, "anon-abc");
}

TEST(CapturePayloadFixtureTest, BrowserBodyReadsTokenAndDistinctIdFromProperties) {
  const std::string body = ReadFile(std::filesystem::path(ACTIOND_GOLDEN_DIR) /
                                    "sdk-captures/posthog-js-1.449.2-chromium156/"
                                    "elements-chain-string/009.decoded.json");
  CapturePayloadParser parser;
  FixedRandom random;
  CaptureOptions options;
  options.now_ms = kNow;
  options.random = &random;
  CaptureRequest request;
  ASSERT_TRUE(parser.Parse(body, options, &request).ok());
  ASSERT_FALSE(request.events.empty());
  EXPECT_EQ(request.events[0].event, "$autocapture");
  EXPECT_EQ(request.events[0].distinct_id, "01a229e8-0c7d-7d56-845d-1d3ad14db986");
  EXPECT_FALSE(request.events[0].process_person_profile);
  EXPECT_NE(request.events[0].properties_json.find("\"$elements_chain\":\"span.icon"),
            std::string::npos);
}

// ---- the parsed document that travels with the request ----

TEST_F(CapturePayloadTest, EachEventsPropertiesAreKeptInTheRequestsDocument) {
  ASSERT_TRUE(Parse(R"({"api_key":"phc_t","batch":[{"event":"a","distinct_id":"u"},
      {"event":"b","distinct_id":"u","properties":{"x":1}}]})")
                  .ok());
  ASSERT_NE(request_.parsed, nullptr);
  simdjson::dom::object properties;
  EXPECT_FALSE(request_.parsed->Properties(0, &properties));  // no properties sent
  ASSERT_TRUE(request_.parsed->Properties(1, &properties));
  EXPECT_EQ(int64_t(properties["x"]), 1);
  EXPECT_FALSE(request_.parsed->Properties(2, &properties));

  // A parse that fails leaves no event pointing into the document.
  EXPECT_FALSE(Parse(R"({"api_key":"phc_t","batch":[{"event":"a"}]})").ok());
  EXPECT_FALSE(request_.parsed->Properties(1, &properties));
}

TEST_F(CapturePayloadTest, APooledRequestGivesBackOnlyTheBuffersOfALargeBody) {
  ASSERT_TRUE(Parse(R"({"api_key":"phc_t","event":"a","distinct_id":"u"})").ok());
  const size_t small = request_.parsed->dom().capacity();
  EXPECT_GT(small, 0u);
  ReleaseLargeBuffers(&request_);
  EXPECT_EQ(request_.parsed->dom().capacity(), small);  // kept for the next request

  const std::string big(CaptureDocument::kKeptCapacity, 'x');
  ASSERT_TRUE(Parse(R"({"api_key":"phc_t","event":"a","distinct_id":"u","properties":{"s":")" +
                    big + "\"}}")
                  .ok());
  EXPECT_GT(request_.parsed->dom().capacity(), CaptureDocument::kKeptCapacity);
  ReleaseLargeBuffers(&request_);
  EXPECT_EQ(request_.parsed->dom().capacity(), 0u);

  ASSERT_TRUE(Parse(R"({"api_key":"phc_t","event":"b","distinct_id":"u"})").ok());
  EXPECT_EQ(request_.events[0].event, "b");
}

}  // namespace
}  // namespace actiond::engine
