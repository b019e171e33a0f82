#include "api/http/page_links.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace actiond::api {
namespace {

HttpRequest Get(std::string target, std::string host = "example.com:8000") {
  HttpRequest req(http::verb::get, target, 11);
  if (!host.empty()) req.set(http::field::host, host);
  return req;
}

TEST(PageLinksTest, BaseUrlUsesTheHostHeaderAndRawPath) {
  const HttpRequest req = Get("/api/projects/1/persons/?limit=2");
  EXPECT_EQ(AbsoluteBaseUrl(RouteRequest(req)), "http://example.com:8000/api/projects/1/persons/");
  const HttpRequest no_host = Get("/x", "");
  EXPECT_EQ(AbsoluteBaseUrl(RouteRequest(no_host)), "http://localhost/x");
}

TEST(PageLinksTest, RewriteSortsKeysAndEncodesLikeUrlencode) {
  const HttpRequest req = Get("/p?z=1&b=a+b&a=%2F&b=c");
  EXPECT_EQ(RewriteQuery(RouteRequest(req), {{"offset", "10"}}),
            "http://example.com:8000/p?a=%2F&b=a+b&b=c&offset=10&z=1");
  EXPECT_EQ(RewriteQuery(RouteRequest(req), {{"z", "2"}}, {"b"}),
            "http://example.com:8000/p?a=%2F&z=2");
}

TEST(PageLinksTest, LimitOffsetLinksFollowDrf) {
  const HttpRequest first = Get("/p?limit=10");
  PageLinks links = LimitOffsetLinks(RouteRequest(first), 10, 0, 25);
  EXPECT_EQ(links.next, "http://example.com:8000/p?limit=10&offset=10");
  EXPECT_FALSE(links.previous.has_value());

  const HttpRequest second = Get("/p?limit=10&offset=10");
  links = LimitOffsetLinks(RouteRequest(second), 10, 10, 25);
  EXPECT_EQ(links.next, "http://example.com:8000/p?limit=10&offset=20");
  EXPECT_EQ(links.previous, "http://example.com:8000/p?limit=10");

  const HttpRequest last = Get("/p?offset=20&limit=10");
  links = LimitOffsetLinks(RouteRequest(last), 10, 20, 25);
  EXPECT_FALSE(links.next.has_value());
  EXPECT_EQ(links.previous, "http://example.com:8000/p?limit=10&offset=10");
}

TEST(PageLinksTest, HugeOffsetsAndLimitsHaveNoNextLink) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const HttpRequest req = Get("/p");
  PageLinks links = LimitOffsetLinks(RouteRequest(req), 100, kMax, 25);
  EXPECT_FALSE(links.next.has_value());
  EXPECT_EQ(links.previous,
            "http://example.com:8000/p?limit=100&offset=" + std::to_string(kMax - 100));
  links = LimitOffsetLinks(RouteRequest(req), kMax, kMax, 25);
  EXPECT_FALSE(links.next.has_value());
  EXPECT_EQ(links.previous, "http://example.com:8000/p?limit=" + std::to_string(kMax));
  links = LimitOffsetLinks(RouteRequest(req), kMax, 1, 25);
  EXPECT_FALSE(links.next.has_value());
  links = LimitOffsetLinks(RouteRequest(req), 10, 14, 25);
  EXPECT_EQ(links.next, "http://example.com:8000/p?limit=10&offset=24");
}

}  // namespace
}  // namespace actiond::api
