// How many body bytes a request may carry, by path: the one rule shared by the server (which
// refuses a larger Content-Length with 413 before reading the body) and the capture decoder
// (which caps decompressed output at the same size, so a gzip bomb cannot grow past it).
#pragma once

#include <cstdint>
#include <string_view>

namespace actiond::api {

inline constexpr uint64_t kBatchBodyLimit = uint64_t{20} << 20;   // 20 MiB: /batch
inline constexpr uint64_t kDefaultBodyLimit = uint64_t{2} << 20;  // 2 MiB: everything else

// `path` is the request path without the query (`/batch/`, `/e`); the trailing slash is optional.
inline uint64_t BodyLimitForPath(std::string_view path) noexcept {
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path == "/batch" ? kBatchBodyLimit : kDefaultBodyLimit;
}

}  // namespace actiond::api
