#include "api/http/capture_decoder.h"

#include <optional>

#include "api/http/base64.h"
#include "api/http/body_limits.h"
#include "api/http/gunzip.h"
#include "api/http/http_message.h"
#include "api/http/query_params.h"

namespace actiond::api {
namespace {

constexpr size_t kPad = kCapturePayloadPadding;

Status ParseError(std::string_view message) { return Status(StatusCode::kParseError, message); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The media type without parameters, lower-cased: "Application/JSON; charset=utf-8" → json's.
std::string MediaType(std::string_view content_type) {
  return Lower(TrimOws(content_type.substr(0, content_type.find(';'))));
}

// The first non-whitespace byte opens a JSON object or array.
bool LooksLikeJson(std::string_view s) noexcept {
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

std::string CopyPadded(std::string_view s) {
  std::string out;
  out.reserve(s.size() + kPad);
  out.assign(s);
  return out;
}

Status TooLarge(uint64_t limit) {
  return Status(StatusCode::kTooLarge,
                "payload is larger than " + std::to_string(limit) + " bytes");
}

// Undoes gzip/base64 layers of `data`. `declared_gzip`: a header or parameter promised gzip;
// `declared_deflate`: Content-Encoding: deflate (a zlib stream, no magic bytes).
Result<std::string> Unwrap(std::string_view data, bool declared_gzip, bool declared_deflate,
                           bool declared_base64, uint64_t limit) {
  // The payload so far: either a view of the caller's bytes or a string of our own.
  std::string owned;
  bool is_owned = false;
  auto current = [&]() -> std::string_view { return is_owned ? std::string_view(owned) : data; };
  auto adopt = [&](std::string next) {
    owned = std::move(next);
    is_owned = true;
  };

  if (declared_base64) {
    std::optional<std::string> decoded = Base64Decode(data, kPad);
    if (!decoded) return ParseError("compression=base64 but the data is not valid base64");
    adopt(std::move(*decoded));
  }

  bool inflated = false;
  if (HasGzipMagic(current()) || declared_deflate) {
    ACTIOND_ASSIGN_OR_RETURN(std::string plain, Gunzip(current(), limit, kPad));
    adopt(std::move(plain));
    inflated = true;
  } else if (declared_gzip) {
    // A GET `data=` parameter can only carry gzip as base64; anything else broke the promise.
    std::optional<std::string> decoded = Base64Decode(current());
    if (!decoded || !HasGzipMagic(*decoded)) {
      return ParseError(
          "the request says gzip (Content-Encoding or compression) but the body "
          "is not gzip data");
    }
    ACTIOND_ASSIGN_OR_RETURN(std::string plain, Gunzip(*decoded, limit, kPad));
    adopt(std::move(plain));
    inflated = true;
  } else if (!LooksLikeJson(current())) {
    std::optional<std::string> decoded = Base64Decode(current(), kPad);
    if (decoded && HasGzipMagic(*decoded)) {
      ACTIOND_ASSIGN_OR_RETURN(std::string plain, Gunzip(*decoded, limit, kPad));
      adopt(std::move(plain));
      inflated = true;
    } else if (decoded && LooksLikeJson(*decoded)) {
      adopt(std::move(*decoded));
    } else if (current().find_first_not_of(" \t\r\n") != std::string_view::npos) {
      // Neither JSON nor base64 of JSON or gzip: say which readings were tried, so that a
      // client whose base64 is broken is not told its JSON is (docs/api.md §Capture).
      return ParseError(decoded ? "the data is not JSON, and decoded as base64 it is neither "
                                  "JSON nor gzip"
                                : "the data is neither JSON nor valid base64");
    }
    // An empty body: the JSON parser says so.
  }

  if (inflated && !LooksLikeJson(owned)) {
    // PostHog also accepts base64 inside gzip.
    std::optional<std::string> decoded = Base64Decode(owned, kPad);
    if (decoded && LooksLikeJson(*decoded)) adopt(std::move(*decoded));
  }
  if (current().size() > limit) return TooLarge(limit);
  if (is_owned) return owned;
  return CopyPadded(data);
}

}  // namespace

Result<std::string> DecodeCapturePayload(const CaptureInput& input) {
  const TargetParts target = SplitTarget(input.target);
  const uint64_t limit =
      input.max_output_bytes != 0 ? input.max_output_bytes : BodyLimitForPath(target.path);
  const QueryParams query = QueryParams::Parse(target.query);
  std::string compression = Lower(query.GetOr("compression", ""));

  std::optional<QueryParams> form;  // owns `data` when it comes from a form body
  std::string_view data;
  if (input.method == http::verb::get || input.method == http::verb::head) {
    const std::optional<std::string_view> value = query.Get("data");
    if (!value) return ParseError("no data: a GET capture request carries its payload in ?data=");
    data = *value;
  } else if (MediaType(input.content_type) == "application/x-www-form-urlencoded" &&
             !LooksLikeJson(input.body) && !HasGzipMagic(input.body)) {
    // curl -d sends JSON with this content type, hence the JSON and gzip checks above.
    form = QueryParams::Parse(input.body);
    if (const auto c = form->Get("compression")) compression = Lower(*c);
    const std::optional<std::string_view> value = form->Get("data");
    if (!value) return ParseError("form body without a data field");
    data = *value;
  } else {
    data = input.body;
  }
  if (data.empty()) return ParseError("empty request body");

  if (compression == "lz64" || compression == "lz-string" || compression == "lzstring") {
    return ParseError(
        "unsupported compression 'lz64' (LZ-string): send gzip-js, base64 or "
        "plain JSON");
  }
  const bool gzip_param = compression == "gzip" || compression == "gzip-js";
  const bool base64_param = compression == "base64" || compression == "b64";
  if (!gzip_param && !base64_param && !compression.empty() && compression != "none") {
    return ParseError("unsupported compression '" + compression + "'");
  }

  const std::string encoding = Lower(TrimOws(input.content_encoding));
  const bool gzip_header = encoding == "gzip" || encoding == "x-gzip";
  const bool deflate_header = encoding == "deflate";
  if (!encoding.empty() && encoding != "identity" && !gzip_header && !deflate_header) {
    return ParseError("unsupported Content-Encoding '" + encoding + "'");
  }

  return Unwrap(data, gzip_param || gzip_header, deflate_header, base64_param, limit);
}

Result<std::string> DecodeCapturePayload(const HttpRequest& req) {
  CaptureInput input;
  input.method = req.method();
  input.target = req.target();
  input.content_type = req[http::field::content_type];
  input.content_encoding = req[http::field::content_encoding];
  input.body = req.body();
  return DecodeCapturePayload(input);
}

}  // namespace actiond::api
