// Fuzz target: a capture request body through the whole decode path the server runs —
// api/http/capture_decoder.h (gzip, base64, form data=, GET ?data=) then engine/capture_payload.h
// (the JSON shapes: batch object, bare array, one event, engage, v1 with a bearer token).
//
// Input: an HTTP/1.1 request as the fixtures record it ("POST /batch/ HTTP/1.1\r\n", headers,
// "\r\n\r\n", body), so the SDK captures seed the corpus byte for byte; only the method, target,
// Content-Type, Content-Encoding and Authorization headers are read. An input without the
// blank line is the body of `POST /batch/`.
//
// Checks beyond "no crash": a successful decode respects the output cap, and every parsed event
// carries a non-empty name and distinct_id, a lower-case 36-byte uuid, and properties, $set and
// $set_once that are JSON objects (they are stored and re-read as such).
#include <simdjson.h>

#include <boost/beast/core/string.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/http/capture_decoder.h"
#include "engine/capture_payload.h"
#include "engine/json_parse.h"

namespace {

using actiond::api::CaptureInput;
using actiond::api::http::verb;

// Small enough that a gzip bomb costs milliseconds, large enough for every fixture.
constexpr uint64_t kOutputCap = uint64_t{1} << 20;

class FixedRandom : public actiond::engine::RandomSource {
 public:
  void Fill(uint8_t* out, size_t size) override {
    for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(0x5a + i);
  }
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

verb MethodOf(std::string_view name) {
  if (name == "GET") return verb::get;
  if (name == "HEAD") return verb::head;
  if (name == "PUT") return verb::put;
  return verb::post;
}

// Fills `input` from a recorded request; returns the Authorization header's value.
std::string_view ReadRequest(std::string_view data, CaptureInput* input) {
  input->method = verb::post;
  input->target = "/batch/";
  const size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    input->body = data;
    return {};
  }
  std::string_view head = data.substr(0, head_end);
  input->body = data.substr(head_end + 4);
  std::string_view authorization;
  bool first = true;
  while (!head.empty()) {
    const size_t eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
    if (first) {
      first = false;
      const size_t sp1 = line.find(' ');
      if (sp1 == std::string_view::npos) continue;
      input->method = MethodOf(line.substr(0, sp1));
      std::string_view rest = line.substr(sp1 + 1);
      input->target = rest.substr(0, rest.find(' '));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = Trim(line.substr(colon + 1));
    if (boost::beast::iequals(name, "content-type")) input->content_type = value;
    if (boost::beast::iequals(name, "content-encoding")) input->content_encoding = value;
    if (boost::beast::iequals(name, "authorization")) authorization = value;
  }
  return authorization;
}

// As the stored record is read back: ParseJson (integers beyond 64 bits are numbers).
bool IsJsonObject(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::element root;
  std::string scratch;
  return actiond::engine::ParseJson(parser, json, &root, &scratch) == simdjson::SUCCESS &&
         root.is_object();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static actiond::engine::CapturePayloadParser parser;
  static FixedRandom random;
  static simdjson::dom::parser json;

  CaptureInput input;
  const std::string_view authorization =
      ReadRequest(std::string_view(reinterpret_cast<const char*>(data), size), &input);
  input.max_output_bytes = kOutputCap;
  actiond::Result<std::string> decoded = actiond::api::DecodeCapturePayload(input);
  if (!decoded.ok()) return 0;
  if (decoded->size() > kOutputCap) abort();

  actiond::engine::CaptureOptions options;
  options.now_ms = 1767225600000;  // 2026-01-01T00:00:00Z
  options.random = &random;
  const std::string_view path = input.target.substr(0, input.target.find('?'));
  options.engage = path.starts_with("/engage");
  if (path.starts_with("/i/v1/") && authorization.starts_with("Bearer ")) {
    options.external_token = authorization.substr(7);
  }
  actiond::engine::CaptureRequest request;
  if (!parser.Parse(*decoded, options, &request).ok()) return 0;
  for (const actiond::engine::CapturedEvent& event : request.events) {
    if (event.event.empty() || event.distinct_id.empty() || event.uuid.size() != 36) abort();
    for (char c : event.uuid) {
      if (c >= 'A' && c <= 'Z') abort();
    }
    if (!IsJsonObject(json, event.properties_json) || !IsJsonObject(json, event.set_json) ||
        !IsJsonObject(json, event.set_once_json)) {
      abort();
    }
  }
  return 0;
}
