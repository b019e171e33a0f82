// HttpUrl: the parts of an `http://` or `https://` URL that a webhook request needs — whether
// TLS is used, the host to resolve and verify, the port, and the request target.
//
// Accepted (docs/webhooks.md §7): scheme `http` or `https` (any case), `://`, a host (a name,
// an IPv4 address, or an IPv6 address in brackets), an optional `:port` (1..65535), then an
// optional path, query and fragment. Refused: other schemes, an empty host, user information
// (`user:pass@`: actiond never sends credentials it would have to keep in a URL), spaces or
// control characters anywhere, a bad port. The fragment is not sent.
//
// Thread-safety: pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace actiond::engine {

struct HttpUrl {
  bool https = false;
  std::string host;    // lower-cased; an IPv6 address without its brackets
  uint16_t port = 0;   // the explicit port, else 80 / 443
  std::string target;  // path and query as given, `/` when empty; never the fragment

  // `host:port` as a connection key and for the Host header (IPv6 bracketed; the port is left
  // out of the Host header when it is the scheme's default, see HostHeader).
  std::string HostHeader() const;
};

std::optional<HttpUrl> ParseHttpUrl(std::string_view url);

}  // namespace actiond::engine
