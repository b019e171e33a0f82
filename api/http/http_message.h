// The HTTP message types the server hands to handlers, and small views over them.
//
// Beast is built with BOOST_BEAST_USE_STD_STRING_VIEW (api/CMakeLists.txt), so header values and
// targets are std::string_view. Views returned here point into the request and live as long as
// the request object.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace actiond::api {

namespace http = boost::beast::http;

using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// A request target split at the first '?': `path` never contains the query, `query` is the text
// after '?' (empty when there is none). Neither is percent-decoded.
struct TargetParts {
  std::string_view path;
  std::string_view query;
};

inline TargetParts SplitTarget(std::string_view target) noexcept {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

// The path of a request target with the query and fragment stripped.
inline std::string_view TargetPath(std::string_view target) noexcept {
  const size_t end = target.find_first_of("?#");
  return end == std::string_view::npos ? target : target.substr(0, end);
}

// `text` without surrounding HTTP optional whitespace (RFC 9110 OWS: spaces and tabs).
inline std::string_view TrimOws(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Sets status, `Content-Type: application/json` and the body; other header fields are kept
// (CORS headers a handler added earlier survive). Content-Length is set by the server.
inline void SetJson(HttpResponse& res, http::status status, std::string body) {
  res.result(status);
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
}

}  // namespace actiond::api
