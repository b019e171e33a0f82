#include "api/http/gzip.h"

#include <zlib.h>

#include "api/http/http_message.h"

namespace actiond::api {

Result<std::string> GzipCompress(std::string_view data) {
  z_stream stream{};
  // 31: a 32 KiB window with the gzip wrapper (15 + 16).
  if (deflateInit2(&stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status(StatusCode::kInternal, "zlib could not start a gzip stream");
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  // deflateBound's size is enough for one Z_FINISH call.
  const int rc = deflate(&stream, Z_FINISH);
  out.resize(out.size() - stream.avail_out);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return Status(StatusCode::kInternal, "gzip compression failed");
  return out;
}

bool AcceptsGzip(std::string_view accept_encoding) noexcept {
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string_view coding = TrimOws(item.substr(0, semi));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view param = TrimOws(item.substr(semi + 1));
    if (!param.starts_with("q=") && !param.starts_with("Q=")) return true;
    param.remove_prefix(2);
    // q=0, q=0.0, q=0.000 refuse; any other weight accepts.
    if (param.find_first_not_of("0.") != std::string_view::npos) return true;
    if (coding != "*") return false;
  }
  return false;
}

}  // namespace actiond::api
