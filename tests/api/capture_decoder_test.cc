#include "api/http/capture_decoder.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "api/http/body_limits.h"
#include "api/http/query_params.h"
#include "tests/api/canonical_json.h"
#include "tests/api/gzip_test_util.h"

namespace actiond::api {
namespace {

using testing::Gzip;
using testing::ZeroBomb;

constexpr std::string_view kJson =
    R"({"api_key":"phc_x","batch":[{"event":"e","distinct_id":"d"}]})";

std::string Base64(std::string_view bytes, bool url_safe = false, bool pad = true) {
  static constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* alphabet = url_safe ? kUrl : kStd;
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v =
        (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(alphabet[(v >> s) & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (rest == 2) v |= uint8_t(bytes[i + 1]) << 8;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

CaptureInput Post(std::string_view target, std::string_view body,
                  std::string_view content_type = "application/json",
                  std::string_view content_encoding = "") {
  CaptureInput in;
  in.method = http::verb::post;
  in.target = target;
  in.body = body;
  in.content_type = content_type;
  in.content_encoding = content_encoding;
  return in;
}

CaptureInput Get(std::string_view target) {
  CaptureInput in;
  in.method = http::verb::get;
  in.target = target;
  return in;
}

void ExpectDecodes(const CaptureInput& in, std::string_view expected) {
  const auto out = DecodeCapturePayload(in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, expected);
  EXPECT_GE(out->capacity(), out->size() + kCapturePayloadPadding);
}

void ExpectError(const CaptureInput& in, StatusCode code, std::string_view message_part = "") {
  const auto out = DecodeCapturePayload(in);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), code) << out.status().ToString();
  EXPECT_NE(out.status().message().find(message_part), std::string_view::npos)
      << out.status().ToString();
}

TEST(CaptureDecoderTest, PlainJsonPassesThrough) {
  ExpectDecodes(Post("/batch/", kJson), kJson);
  ExpectDecodes(Post("/e/", "[1]", "text/plain"), "[1]");
}

TEST(CaptureDecoderTest, NeitherJsonNorBase64SaysBase64NotJson) {
  // A broken base64 body must not be reported as broken JSON (docs/api.md, Capture).
  ExpectError(Post("/e/", "eyJldmVudCI6!!", "text/plain"), StatusCode::kParseError,
              "neither JSON nor valid base64");
  ExpectError(Post("/e/", "AAAA", "text/plain"), StatusCode::kParseError,
              "decoded as base64 it is neither JSON nor gzip");
  // Base64 of JSON still decodes; an empty body is left to the JSON parser.
  ExpectDecodes(Post("/e/", "eyJhIjoxfQ==", "text/plain"), R"({"a":1})");
  const auto empty = DecodeCapturePayload(Post("/e/", "", "text/plain"));
  if (!empty.ok()) {
    EXPECT_EQ(empty.status().message().find("base64"), std::string_view::npos);
  }
}

TEST(CaptureDecoderTest, GzipRecognisedByMagicBytesWithoutAnyHeader) {
  // posthog-js: gzip body as text/plain, no Content-Encoding, no query string.
  const std::string gz = Gzip(kJson);
  ExpectDecodes(Post("/e/", gz, "text/plain"), kJson);
  ExpectDecodes(Post("/e/", gz, ""), kJson);
}

TEST(CaptureDecoderTest, GzipByContentEncodingHeader) {
  ExpectDecodes(Post("/batch/", Gzip(kJson), "application/json", "gzip"), kJson);
  ExpectDecodes(Post("/batch/", Gzip(kJson), "application/json", " GZIP "), kJson);
}

TEST(CaptureDecoderTest, GzipByCompressionParameter) {
  ExpectDecodes(
      Post("/e/?compression=gzip-js&ver=1.2.3&_=1700000000000", Gzip(kJson), "text/plain"), kJson);
  ExpectDecodes(Post("/e/?compression=gzip", Gzip(kJson), "text/plain"), kJson);
}

TEST(CaptureDecoderTest, DeflateContentEncoding) {
  ExpectDecodes(Post("/batch/", testing::Deflate(kJson, 15), "application/json", "deflate"), kJson);
}

TEST(CaptureDecoderTest, DeclaredGzipThatIsNotGzipIs400) {
  ExpectError(Post("/batch/", kJson, "application/json", "gzip"), StatusCode::kParseError,
              "not gzip");
  ExpectError(Post("/e/?compression=gzip-js", kJson, "text/plain"), StatusCode::kParseError,
              "not gzip");
}

TEST(CaptureDecoderTest, TruncatedGzipIs400) {
  const std::string gz = Gzip(std::string(5000, ' ') + std::string(kJson));
  ExpectError(Post("/batch/", gz.substr(0, gz.size() / 2)), StatusCode::kParseError, "truncated");
  ExpectError(Post("/batch/", gz.substr(0, gz.size() - 4), "", "gzip"), StatusCode::kParseError);
}

TEST(CaptureDecoderTest, GigabyteGzipBombIsTooLargeAtTheBatchCapQuickly) {
  const std::string bomb = ZeroBomb(1024);
  const auto start = std::chrono::steady_clock::now();
  ExpectError(Post("/batch/", bomb, "application/json", "gzip"), StatusCode::kTooLarge);
  ExpectError(Post("/e/", bomb, "text/plain"), StatusCode::kTooLarge,
              std::to_string(kDefaultBodyLimit));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));  // sanitizers too
}

TEST(CaptureDecoderTest, CapFollowsThePath) {
  const std::string three_mib = Gzip(std::string(size_t{3} << 20, ' ') + "[1]");
  EXPECT_TRUE(DecodeCapturePayload(Post("/batch", three_mib)).ok());
  ExpectError(Post("/i/v0/e/", three_mib), StatusCode::kTooLarge);
  CaptureInput explicit_cap = Post("/batch/", three_mib);
  explicit_cap.max_output_bytes = 1000;
  ExpectError(explicit_cap, StatusCode::kTooLarge);
}

TEST(CaptureDecoderTest, FormBodyWithBase64Data) {
  const std::string body = "data=" + UrlEncode(Base64(kJson));
  ExpectDecodes(Post("/e/", body, "application/x-www-form-urlencoded"), kJson);
  ExpectDecodes(Post("/e/", body, "application/x-www-form-urlencoded; charset=UTF-8"), kJson);
}

TEST(CaptureDecoderTest, FormBodyWithUnescapedPlusInBase64) {
  // A '+' that was not %-escaped reads as a space after form decoding; base64 takes it back.
  const std::string b64 = Base64(std::string("{\"k\":\"\xfb\xff\"}"));
  ASSERT_NE(b64.find('+'), std::string::npos);
  ExpectDecodes(Post("/e/", "data=" + b64, "application/x-www-form-urlencoded"),
                "{\"k\":\"\xfb\xff\"}");
}

TEST(CaptureDecoderTest, FormBodyWhoseDataIsGzipThenBase64) {
  const std::string body = "data=" + UrlEncode(Base64(Gzip(kJson))) + "&compression=gzip-js";
  ExpectDecodes(Post("/e/", body, "application/x-www-form-urlencoded"), kJson);
  // Magic bytes inside the base64 suffice without the compression field.
  ExpectDecodes(
      Post("/e/", "data=" + UrlEncode(Base64(Gzip(kJson))), "application/x-www-form-urlencoded"),
      kJson);
}

TEST(CaptureDecoderTest, FormBodyWithUrlSafeUnpaddedBase64) {
  ExpectDecodes(Post("/e/", "data=" + Base64(kJson, /*url_safe=*/true, /*pad=*/false),
                     "application/x-www-form-urlencoded"),
                kJson);
}

TEST(CaptureDecoderTest, FormBodyWithUrlEncodedJson) {
  ExpectDecodes(Post("/e/", "data=" + UrlEncode(kJson), "application/x-www-form-urlencoded"),
                kJson);
}

TEST(CaptureDecoderTest, FormContentTypeWithAJsonBodyIsTakenAsJson) {
  // `curl -d '{...}'` labels JSON as a form.
  ExpectDecodes(Post("/batch/", kJson, "application/x-www-form-urlencoded"), kJson);
  ExpectDecodes(Post("/batch/", Gzip(kJson), "application/x-www-form-urlencoded"), kJson);
}

TEST(CaptureDecoderTest, FormWithoutDataIs400) {
  ExpectError(Post("/e/", "foo=bar", "application/x-www-form-urlencoded"), StatusCode::kParseError,
              "data");
}

TEST(CaptureDecoderTest, GetWithBase64Data) {
  const std::string target = "/e/?ip=1&data=" + UrlEncode(Base64(kJson)) + "&ver=1.0";
  ExpectDecodes(Get(target), kJson);
}

TEST(CaptureDecoderTest, GetWithUrlEncodedJsonData) {
  ExpectDecodes(Get("/e/?data=" + UrlEncode(kJson)), kJson);
}

TEST(CaptureDecoderTest, GetWithGzippedBase64Data) {
  ExpectDecodes(Get("/e/?compression=gzip-js&data=" + UrlEncode(Base64(Gzip(kJson)))), kJson);
}

TEST(CaptureDecoderTest, GetWithoutDataIs400) {
  ExpectError(Get("/e/?ip=1"), StatusCode::kParseError, "data");
  ExpectError(Get("/e/?data="), StatusCode::kParseError, "empty");
}

TEST(CaptureDecoderTest, CompressionBase64) {
  ExpectDecodes(Post("/e/?compression=base64", Base64(kJson), "text/plain"), kJson);
  ExpectDecodes(Post("/e/", "compression=base64&data=" + UrlEncode(Base64(kJson)),
                     "application/x-www-form-urlencoded"),
                kJson);
  ExpectError(Post("/e/?compression=base64", "{not base64}", "text/plain"), StatusCode::kParseError,
              "base64");
}

TEST(CaptureDecoderTest, UndeclaredBase64BodyIsRecognised) {
  ExpectDecodes(Post("/e/", Base64(kJson), "text/plain"), kJson);
  ExpectDecodes(Post("/e/", Base64(Gzip(kJson)), "text/plain"), kJson);
}

TEST(CaptureDecoderTest, Lz64IsRefusedClearly) {
  ExpectError(Post("/e/?compression=lz64", "N4Ig", "text/plain"), StatusCode::kParseError,
              "unsupported compression 'lz64'");
  ExpectError(Post("/e/", "data=N4Ig&compression=lz64", "application/x-www-form-urlencoded"),
              StatusCode::kParseError, "lz64");
}

TEST(CaptureDecoderTest, UnknownCompressionOrEncodingIsRefused) {
  ExpectError(Post("/e/?compression=zstd", kJson), StatusCode::kParseError, "zstd");
  ExpectError(Post("/e/", kJson, "application/json", "br"), StatusCode::kParseError, "br");
  ExpectDecodes(Post("/e/", kJson, "application/json", "identity"), kJson);
}

TEST(CaptureDecoderTest, EmptyBodyIs400) {
  ExpectError(Post("/batch/", ""), StatusCode::kParseError, "empty");
}

TEST(CaptureDecoderTest, GarbageIsRejectedNamingBothReadings) {
  // Neither JSON, gzip nor base64 of either: the client learns that both readings failed,
  // rather than "malformed JSON" for what may be broken base64.
  ExpectError(Post("/e/", "hello world!", "text/plain"), StatusCode::kParseError,
              "neither JSON nor valid base64");
}

TEST(CaptureDecoderTest, PlainBodyOverTheCapIsTooLarge) {
  CaptureInput in = Post("/e/", kJson);
  in.max_output_bytes = 10;
  ExpectError(in, StatusCode::kTooLarge);
}

// --- Real SDK requests (tests/golden/sdk-captures: NNN.raw as sent, NNN.decoded.json) ---

// A recorded request of tests/golden/sdk-captures, named after what it shows.
struct Recorded {
  const char* name;
  const char* path;  // below tests/golden/sdk-captures, without the .raw / .decoded.json suffix
};

std::filesystem::path CapturePath(const Recorded& capture) {
  return std::filesystem::path(ACTIOND_GOLDEN_DIR) / "sdk-captures" / capture.path;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SdkCaptureTest : public ::testing::TestWithParam<Recorded> {};

TEST_P(SdkCaptureTest, DecodesToTheRecordedPayload) {
  const std::string base = CapturePath(GetParam()).string();
  const std::string raw = ReadFile(base + ".raw");
  const std::string expected = ReadFile(base + ".decoded.json");
  ASSERT_FALSE(raw.empty());
  ASSERT_FALSE(expected.empty());

  // Parse the bytes with Beast's parser, as the server does.
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(kBatchBodyLimit);
  boost::system::error_code ec;
  std::string_view rest = raw;
  while (!rest.empty() && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_GT(used, 0u);
    rest.remove_prefix(used);
  }
  ASSERT_TRUE(parser.is_done());
  ASSERT_TRUE(rest.empty());

  const auto decoded = DecodeCapturePayload(parser.get());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  // The recorded file is pretty-printed with sorted keys: compare parsed, not byte for byte.
  EXPECT_EQ(testing::CanonicalJson(*decoded), testing::CanonicalJson(expected));
}

INSTANTIATE_TEST_SUITE_P(
    Recorded, SdkCaptureTest,
    ::testing::Values(Recorded{"node_batch_gzip_001", "posthog-node-5.70.0/v0-batch-gzip/001"},
                      Recorded{"node_batch_plain_002", "posthog-node-5.70.0/v0-batch-plain/002"},
                      Recorded{"node_v1_events_gzip_002",
                               "posthog-node-5.70.0/v1-analytics-events-gzip/002"},
                      Recorded{"js_e_gzip_no_header_003",
                               "posthog-js-1.449.2-chromium156/elements-chain-string/003"},
                      Recorded{"js_e_gzip_elements_010",
                               "posthog-js-1.449.2-chromium156/elements-array-and-chain/010"}),
    [](const ::testing::TestParamInfo<Recorded>& capture) { return capture.param.name; });

}  // namespace
}  // namespace actiond::api
