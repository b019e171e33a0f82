#include "engine/http_url.h"

#include <gtest/gtest.h>

namespace actiond::engine {
namespace {

TEST(HttpUrlTest, SplitsSchemeHostPortAndTarget) {
  auto url = ParseHttpUrl("https://Hooks.Slack.com/services/T0/B1/x?y=1#frag");
  ASSERT_TRUE(url);
  EXPECT_TRUE(url->https);
  EXPECT_EQ(url->host, "hooks.slack.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/services/T0/B1/x?y=1");
  EXPECT_EQ(url->HostHeader(), "hooks.slack.com");
}

TEST(HttpUrlTest, ExplicitPortsAndEmptyPaths) {
  auto url = ParseHttpUrl("HTTP://127.0.0.1:8080");
  ASSERT_TRUE(url);
  EXPECT_FALSE(url->https);
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(url->HostHeader(), "127.0.0.1:8080");
  auto query_only = ParseHttpUrl("http://h?x=1");
  ASSERT_TRUE(query_only);
  EXPECT_EQ(query_only->target, "/?x=1");
  auto empty_port = ParseHttpUrl("http://h:/p");
  ASSERT_TRUE(empty_port);
  EXPECT_EQ(empty_port->port, 80);
}

TEST(HttpUrlTest, Ipv6HostsKeepTheirBracketsOnlyInTheHostHeader) {
  auto url = ParseHttpUrl("http://[::1]:9000/hook");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->HostHeader(), "[::1]:9000");
}

TEST(HttpUrlTest, RefusesWhatIsNotAnHttpUrlWithAHost) {
  for (const char* bad :
       {"", "NOT_A_URL", "ftp://h/x", "http://", "http:///path", "http:/h/x", "https://user:pw@h/x",
        "http://h x/", "http://h/a b", "http://h:0/", "http://h:65536/", "http://h:12ab/",
        "http://[::1/x", "http://[zz]/", "javascript:alert(1)", "http://h/\n"}) {
    EXPECT_FALSE(ParseHttpUrl(bad)) << bad;
  }
}

}  // namespace
}  // namespace actiond::engine
