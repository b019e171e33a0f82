// Lenient base64 decoding for capture payloads, as PostHog's SDKs send them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace actiond::api {

// Decodes standard (`+/`) or URL-safe (`-_`) base64, or a mix. Padding is optional; '\r', '\n'
// and '\t' are skipped; a space counts as '+' (form decoding turns an unescaped '+' into a space,
// PostHog undoes the same way). Returns nullopt for any other character, for data after '=',
// or for a length that cannot be base64 (one leftover character). The result has at least
// `spare_capacity` bytes of capacity past its size. Pure function; thread-safe.
std::optional<std::string> Base64Decode(std::string_view text, size_t spare_capacity = 0);

}  // namespace actiond::api
