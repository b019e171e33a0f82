#include "engine/http_url.h"

#include <algorithm>
#include <charconv>

#include "engine/str_cat.h"

namespace actiond::engine {

namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

// Host names: letters, digits, `-`, `.`, `_` (as seen in internal names); IPv4 fits too.
bool IsHostChar(char c) {
  return IsAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::string HttpUrl::HostHeader() const {
  const bool v6 = host.find(':') != std::string::npos;
  const bool default_port = port == (https ? 443 : 80);
  return StrCat({v6 ? std::string_view("[") : std::string_view(), host,
                 v6 ? std::string_view("]") : std::string_view(),
                 default_port ? std::string_view() : std::string_view(":"),
                 default_port ? std::string() : std::to_string(port)});
}

std::optional<HttpUrl> ParseHttpUrl(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  }
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  HttpUrl out;
  const std::string_view scheme = url.substr(0, scheme_end);
  if (EqualsIgnoreCase(scheme, "https")) {
    out.https = true;
  } else if (!EqualsIgnoreCase(scheme, "http")) {
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host, port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), [](char c) {
          return c == ':' || c == '.' || (c >= '0' && c <= '9') ||
                 (Lower(c) >= 'a' && Lower(c) <= 'f');
        })) {
      return std::nullopt;
    }
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostChar)) return std::nullopt;
  }
  out.host.reserve(host.size());
  for (char c : host) out.host.push_back(Lower(c));

  out.port = out.https ? 443 : 80;
  if (authority.size() > 0 && authority.back() == ':' && port_text.empty()) {
    // `http://host:/` — an empty port means the default (RFC 3986 §3.2.3).
  } else if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<uint16_t>(value);
  }

  const size_t fragment = tail.find('#');
  tail = tail.substr(0, fragment);
  // The target is empty so far: a path that does not start with `/` gets one.
  if (tail.empty() || tail.front() == '?') out.target.push_back('/');
  out.target.append(tail);
  return out;
}

}  // namespace actiond::engine
