// Gzip compression of whole response bodies (static files, api/http/static_files.h), and the
// `Accept-Encoding` test that decides whether a client gets it.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace actiond::api {

// `data` as one gzip member (zlib level 6). kInternal when zlib cannot allocate its state.
[[nodiscard]] Result<std::string> GzipCompress(std::string_view data);

// True when an `Accept-Encoding` value lists `gzip` (or `*`) with a non-zero q: `gzip;q=0`
// refuses it (RFC 9110 §12.5.3).
bool AcceptsGzip(std::string_view accept_encoding) noexcept;

}  // namespace actiond::api
