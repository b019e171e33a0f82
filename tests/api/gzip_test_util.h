// Test helpers that build gzip data with zlib: ordinary compression, and a "bomb" — many
// megabytes of zeros in a small, valid gzip stream — built without compressing it all.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace actiond::api::testing {

// Compresses `data` with zlib; `window_bits` 31 = gzip, 15 = zlib, -15 = raw deflate.
inline std::string Deflate(std::string_view data, int window_bits = 31, int flush = Z_FINISH,
                           int level = 6) {
  z_stream s{};
  if (deflateInit2(&s, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&s, data.size()) + 64, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&s, flush);
  if (rc != Z_STREAM_END && rc != Z_OK) throw std::runtime_error("deflate");
  out.resize(out.size() - s.avail_out);
  deflateEnd(&s);
  return out;
}

inline std::string Gzip(std::string_view data) { return Deflate(data, 31); }

// A valid gzip stream of `mib` MiB of zeros. One MiB of zeros is deflated once with a full
// flush (byte-aligned, no back-references across it) and that block is repeated, so building a
// 1 GiB bomb takes milliseconds; the trailer's CRC and size are those of the whole output.
inline std::string ZeroBomb(uint32_t mib) {
  const std::string zeros(size_t{1} << 20, '\0');
  const std::string block = Deflate(zeros, -15, Z_FULL_FLUSH, 9);
  const uLong block_crc = crc32(0L, reinterpret_cast<const Bytef*>(zeros.data()), 1u << 20);
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  out.reserve(out.size() + block.size() * mib + 16);
  uLong crc = crc32(0L, Z_NULL, 0);
  for (uint32_t i = 0; i < mib; ++i) {
    out.append(block);
    crc = crc32_combine(crc, block_crc, 1 << 20);
  }
  out.append("\x03\x00", 2);  // an empty final block (fixed Huffman, end-of-block)
  const uint32_t isize = static_cast<uint32_t>((uint64_t{mib} << 20) & 0xFFFFFFFFu);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((isize >> (8 * i)) & 0xFF));
  return out;
}

}  // namespace actiond::api::testing
