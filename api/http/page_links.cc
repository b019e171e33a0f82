#include "api/http/page_links.h"

#include <algorithm>

#include "api/http/query_params.h"

namespace actiond::api {
namespace {

// Python's quote_plus(safe=''): what urlencode writes.
void AppendQuotePlus(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out.push_back(c);
    } else if (u == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
}

}  // namespace

std::string AbsoluteBaseUrl(const RouteRequest& request) {
  std::string_view host = request.header(http::field::host);
  if (host.empty()) host = "localhost";
  std::string url = "http://";
  url.append(host);
  url.append(request.path());
  return url;
}

std::string RewriteQuery(const RouteRequest& request,
                         const std::vector<std::pair<std::string_view, std::string>>& set,
                         const std::vector<std::string_view>& remove) {
  // (key, values) in first-seen order, then sorted by key: parse_qs keeps a key's values in order.
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  auto slot = [&](std::string_view key) -> std::vector<std::string>& {
    for (auto& [k, values] : params) {
      if (k == key) return values;
    }
    params.emplace_back(std::string(key), std::vector<std::string>{});
    return params.back().second;
  };
  for (const auto& [key, value] : request.query_params().items()) slot(key).push_back(value);
  for (const auto& [key, value] : set) slot(key) = {value};
  std::erase_if(params, [&](const auto& p) {
    return std::find(remove.begin(), remove.end(), p.first) != remove.end();
  });
  std::stable_sort(params.begin(), params.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string url = AbsoluteBaseUrl(request);
  bool first = true;
  for (const auto& [key, values] : params) {
    for (const std::string& value : values) {
      url.push_back(first ? '?' : '&');
      first = false;
      AppendQuotePlus(key, url);
      url.push_back('=');
      AppendQuotePlus(value, url);
    }
  }
  return url;
}

PageLinks LimitOffsetLinks(const RouteRequest& request, int64_t limit, int64_t offset,
                           int64_t count) {
  // offset + limit < count, without the sum: both may be near INT64_MAX (any non-negative
  // integer is a valid offset, and some lists take any limit), and a sum that wrapped made a
  // `next` link with a negative offset.
  return LimitOffsetLinksWithNext(request, limit, offset, offset < count && limit < count - offset);
}

PageLinks LimitOffsetLinksWithNext(const RouteRequest& request, int64_t limit, int64_t offset,
                                   bool has_next) {
  PageLinks links;
  if (has_next) {
    links.next = RewriteQuery(
        request, {{"limit", std::to_string(limit)}, {"offset", std::to_string(offset + limit)}});
  }
  if (offset > 0) {
    if (offset - limit <= 0) {
      links.previous = RewriteQuery(request, {{"limit", std::to_string(limit)}}, {"offset"});
    } else {
      links.previous = RewriteQuery(
          request, {{"limit", std::to_string(limit)}, {"offset", std::to_string(offset - limit)}});
    }
  }
  return links;
}

void WriteLink(JsonWriter& writer, const std::optional<std::string>& link) {
  if (link) {
    writer.String(*link);
  } else {
    writer.Null();
  }
}

void BeginLimitOffsetPage(JsonWriter& writer, int64_t count, const PageLinks& links) {
  writer.BeginObject().MemberInt("count", count).Key("next");
  WriteLink(writer, links.next);
  writer.Key("previous");
  WriteLink(writer, links.previous);
  writer.Key("results").BeginArray();
}

}  // namespace actiond::api
