#include "api/http/query_params.h"

#include <charconv>

namespace actiond::api {
namespace {

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string UrlDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

QueryParams QueryParams::Parse(std::string_view query) {
  QueryParams params;
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      params.items_.emplace_back(UrlDecode(pair), std::string());
    } else {
      params.items_.emplace_back(UrlDecode(pair.substr(0, eq)), UrlDecode(pair.substr(eq + 1)));
    }
  }
  return params;
}

std::optional<std::string_view> QueryParams::Get(std::string_view key) const noexcept {
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    if (it->first == key) return std::string_view(it->second);
  }
  return std::nullopt;
}

std::string_view QueryParams::GetOr(std::string_view key,
                                    std::string_view fallback) const noexcept {
  const auto value = Get(key);
  return value ? *value : fallback;
}

std::vector<std::string_view> QueryParams::GetAll(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [k, v] : items_) {
    if (k == key) values.emplace_back(v);
  }
  return values;
}

std::optional<int64_t> ParseDecimalId(std::string_view text) noexcept {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t id = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

int64_t ParseNonNegativeInt(std::optional<std::string_view> maybe_text, int64_t fallback,
                            int64_t max) noexcept {
  if (!maybe_text) return fallback;
  std::string_view text = *maybe_text;
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() < '0' || text.front() > '9') return fallback;
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // Out of range (ec) or trailing junk ("12abc", "1.5") both fall back.
  if (ec != std::errc() || ptr != text.data() + text.size() || value > max) return fallback;
  return value;
}

int64_t ParsePositiveInt(std::optional<std::string_view> text, int64_t fallback,
                         int64_t max) noexcept {
  const int64_t value = ParseNonNegativeInt(text, fallback, max);
  return value == 0 ? fallback : value;
}

}  // namespace actiond::api
