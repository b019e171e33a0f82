#include "api/http/gunzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace actiond::api {
namespace {

// Replaces `buf` by a string of `new_size` bytes that keeps the first `keep` bytes, with
// capacity exactly new_size + spare. std::string's own growth may double its capacity, which
// would let a bomb allocate up to twice the cap; reserving on a fresh string is exact.
void GrowExactly(std::string& buf, size_t keep, size_t new_size, size_t spare) {
  std::string bigger;
  bigger.reserve(new_size + spare);
  bigger.assign(buf.data(), keep);
  bigger.resize(new_size);
  buf.swap(bigger);
}

struct InflateStream {
  z_stream s{};
  bool initialised = false;
  ~InflateStream() {
    if (initialised) inflateEnd(&s);
  }
};

}  // namespace

Result<std::string> Gunzip(std::string_view compressed, uint64_t max_output,
                           size_t spare_capacity) {
  InflateStream zs;
  // 15 window bits + 32: accept a gzip or a zlib header, whichever the data carries.
  if (inflateInit2(&zs.s, 15 + 32) != Z_OK) return Internal("zlib: cannot initialise inflate");
  zs.initialised = true;

  // One byte past the cap is room to notice that the output does not fit.
  const uint64_t hard_limit = max_output + 1;
  const size_t first = static_cast<size_t>(std::min<uint64_t>(
      hard_limit, std::max<uint64_t>(uint64_t{64} << 10, uint64_t{4} * compressed.size())));
  std::string out;
  GrowExactly(out, 0, first, spare_capacity);
  size_t produced = 0;

  const auto* in = reinterpret_cast<const Bytef*>(compressed.data());
  size_t in_left = compressed.size();
  zs.s.next_in = const_cast<Bytef*>(in);  // zlib's API is not const-correct

  while (true) {
    if (produced == out.size()) {
      if (out.size() >= hard_limit) break;  // full at the cap: too large
      const size_t grown =
          static_cast<size_t>(std::min<uint64_t>(hard_limit, uint64_t{2} * out.size()));
      GrowExactly(out, produced, grown, spare_capacity);
    }
    // zlib counts in uInt: feed and drain at most UINT_MAX at a time.
    const uInt in_chunk = static_cast<uInt>(std::min<size_t>(in_left, UINT_MAX));
    const uInt out_chunk = static_cast<uInt>(std::min<size_t>(out.size() - produced, UINT_MAX));
    zs.s.avail_in = in_chunk;
    zs.s.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.s.avail_out = out_chunk;
    const int rc = inflate(&zs.s, Z_NO_FLUSH);
    in_left -= in_chunk - zs.s.avail_in;
    produced += out_chunk - zs.s.avail_out;

    if (rc == Z_STREAM_END) {
      if (in_left == 0) break;
      const std::string_view rest(reinterpret_cast<const char*>(zs.s.next_in), in_left);
      if (HasGzipMagic(rest)) {  // another member follows, as gzip(1) allows
        if (inflateReset(&zs.s) != Z_OK) return Internal("zlib: cannot reset inflate");
        continue;
      }
      if (rest.find_first_not_of('\0') == std::string_view::npos) break;  // zero padding
      return Status(StatusCode::kParseError, "trailing garbage after gzip data");
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR) {
      if (in_left == 0) return Status(StatusCode::kParseError, "truncated gzip data");
      continue;  // the output buffer was full; the loop grows it
    }
    if (rc == Z_MEM_ERROR) return Internal("zlib: out of memory");
    std::string message = "invalid gzip data";
    if (zs.s.msg != nullptr) message.append(": ").append(zs.s.msg);
    return Status(StatusCode::kParseError, message);
  }
  if (produced > max_output) {
    return Status(StatusCode::kTooLarge,
                  "decompressed body is larger than " + std::to_string(max_output) + " bytes");
  }
  out.resize(produced);
  return out;
}

}  // namespace actiond::api
