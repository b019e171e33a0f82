// Query strings and application/x-www-form-urlencoded bodies, decoded as Django's QueryDict does:
// pairs split on '&', key and value split at the first '=', '+' is a space, %XX is a byte
// (an invalid escape is kept literally, like Python's unquote), a pair without '=' has an empty
// value, empty pairs are skipped. Decoded bytes are not checked for UTF-8; handlers that need
// text validate it. Keys may repeat: Get() returns the LAST value (QueryDict's `get`), GetAll()
// every value in order.
//
// ParseNonNegativeInt/ParsePositiveInt read `limit`/`offset`-style numbers as DRF's pagination
// does and never fail: anything that is not a plain decimal in range yields the fallback.
//
// A QueryParams owns its decoded strings; string_views it returns live as long as it does.
// Thread-compatible (const methods may be called concurrently).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace actiond::api {

class QueryParams {
 public:
  QueryParams() = default;
  // Decodes `query` (the text after '?', or a form body; a leading '?' is ignored).
  static QueryParams Parse(std::string_view query);

  // The last value of `key`, or nullopt when absent.
  std::optional<std::string_view> Get(std::string_view key) const noexcept;
  // The last value of `key`, or `fallback` when absent.
  std::string_view GetOr(std::string_view key, std::string_view fallback) const noexcept;
  std::vector<std::string_view> GetAll(std::string_view key) const;

  // Every decoded (key, value) pair in request order.
  const std::vector<std::pair<std::string, std::string>>& items() const noexcept { return items_; }
  bool empty() const noexcept { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Decodes %XX escapes, and '+' as a space when `plus_is_space` (form encoding; a URL path
// keeps '+'). Invalid escapes are copied unchanged.
std::string UrlDecode(std::string_view text, bool plus_is_space = true);

// Percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), for
// building query strings (`next` URLs).
std::string UrlEncode(std::string_view text);

// A record id in a path or query: 1 to 18 decimal digits and nothing else (no sign, no
// whitespace), so it always fits an int64; nullopt otherwise (the id names nothing: 404).
std::optional<int64_t> ParseDecimalId(std::string_view text) noexcept;

// `text` as an integer >= 0 (surrounding ASCII whitespace and a leading '+' allowed, as Python's
// int()); otherwise — absent, empty, negative, not a number, above `max` — `fallback`. Takes
// QueryParams::Get()'s result directly, or any string.
int64_t ParseNonNegativeInt(std::optional<std::string_view> text, int64_t fallback,
                            int64_t max = INT64_MAX) noexcept;

// As ParseNonNegativeInt but 0 also yields `fallback` (DRF's `limit` is strictly positive).
int64_t ParsePositiveInt(std::optional<std::string_view> text, int64_t fallback,
                         int64_t max = INT64_MAX) noexcept;

}  // namespace actiond::api
