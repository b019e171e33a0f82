// Bounded gzip/zlib decompression: the output can never grow past a cap, so a gzip bomb costs at
// most `max_output` bytes of memory and the time to inflate that much.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace actiond::api {

// True when `data` starts with the gzip magic bytes 1f 8b.
inline bool HasGzipMagic(std::string_view data) noexcept {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

// Inflates `compressed` (gzip, several concatenated gzip members, or a zlib stream; detected
// from the header). Errors:
//   kTooLarge   — the output would exceed `max_output` bytes; decompression stops there.
//   kParseError — not gzip/zlib data, corrupt data, a bad CRC, or a truncated stream; trailing
//                 bytes after the last member other than zero padding also count as corrupt.
//   kInternal   — zlib could not allocate its state.
// The returned string has at least `spare_capacity` bytes of capacity past its size (parsers
// such as simdjson read a little past the end), and its capacity never exceeds
// max_output + 1 + spare_capacity. Pure function; thread-safe.
Result<std::string> Gunzip(std::string_view compressed, uint64_t max_output,
                           size_t spare_capacity = 0);

}  // namespace actiond::api
