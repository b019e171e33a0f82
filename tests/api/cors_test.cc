#include "api/http/cors.h"

#include <gtest/gtest.h>

namespace actiond::api {
namespace {

TEST(CorsTest, MirrorsTheOriginWithCredentials) {
  HttpRequest req(http::verb::post, "/e/", 11);
  req.set(http::field::origin, "https://shop.example:8443");
  HttpResponse res;
  AddCorsHeaders(req, res);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "https://shop.example:8443");
  EXPECT_EQ(res[http::field::access_control_allow_credentials], "true");
  EXPECT_EQ(res[http::field::vary], "Origin");
}

TEST(CorsTest, WithoutOriginAllowsAnyOriginWithoutCredentials) {
  HttpRequest req(http::verb::post, "/batch/", 11);
  HttpResponse res;
  AddCorsHeaders(req, res);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "*");
  EXPECT_EQ(res.count(http::field::access_control_allow_credentials), 0u);
}

TEST(CorsTest, PreflightMirrorsRequestedHeaders) {
  HttpRequest req(http::verb::options, "/e/", 11);
  req.set(http::field::origin, "http://localhost:3000");
  req.set(http::field::access_control_request_method, "POST");
  req.set(http::field::access_control_request_headers, "content-type,x-custom");
  HttpResponse res;
  res.result(http::status::not_found);
  WritePreflight(req, res);
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "http://localhost:3000");
  EXPECT_EQ(res[http::field::access_control_allow_credentials], "true");
  EXPECT_EQ(res[http::field::access_control_allow_methods], "GET, POST, OPTIONS");
  EXPECT_EQ(res[http::field::access_control_allow_headers], "content-type,x-custom");
  EXPECT_TRUE(res.body().empty());
}

TEST(CorsTest, PreflightWithoutRequestedHeadersAllowsTheUsualOnes) {
  HttpRequest req(http::verb::options, "/e/", 11);
  req.set(http::field::origin, "http://localhost:3000");
  HttpResponse res;
  WritePreflight(req, res);
  EXPECT_EQ(res[http::field::access_control_allow_headers], "X-Requested-With, Content-Type");
}

}  // namespace
}  // namespace actiond::api
