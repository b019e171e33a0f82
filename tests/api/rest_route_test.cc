#include "api/rest_route.h"

#include <gtest/gtest.h>

#include <string>

namespace actiond::api {
namespace {

HttpResponse Call(RouteHandler handler) {
  const HttpRequest req(http::verb::get, "/x", 11);
  HttpResponse res;
  res.result(http::status::ok);
  handler(RouteRequest(req), res);
  return res;
}

const Services kNoServices;

TEST(RestRouteTest, SuccessIsJsonWithTheRoutesStatus) {
  const HttpResponse res = Call(RestRoute(
      kNoServices,
      [](const Services&, const RouteRequest&, RouteReply& reply) {
        reply.body = R"({"id":1})";
        return Status::Ok();
      },
      http::status::created));
  EXPECT_EQ(res.result(), http::status::created);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body(), R"({"id":1})");
}

TEST(RestRouteTest, AnotherContentTypeIsSentAsItIs) {
  const HttpResponse res =
      Call(RestRoute(kNoServices, [](const Services&, const RouteRequest&, RouteReply& reply) {
        reply.body = "a,b\r\n";
        reply.content_type = kCsvContentType;
        return Status::Ok();
      }));
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "text/csv; charset=utf-8");
  EXPECT_EQ(res.body(), "a,b\r\n");
}

TEST(RestRouteTest, NoContentSendsNoBody) {
  const HttpResponse res = Call(RestRoute(
      kNoServices,
      [](const Services&, const RouteRequest&, RouteReply& reply) {
        reply.body = "ignored";
        return Status::Ok();
      },
      http::status::no_content));
  EXPECT_EQ(res.result(), http::status::no_content);
  EXPECT_TRUE(res.body().empty());
}

TEST(RestRouteTest, AnErrorIsAnsweredThroughTheTableWithTheReplysHeaderFields) {
  const HttpResponse res =
      Call(RestRoute(kNoServices, [](const Services&, const RouteRequest&, RouteReply& reply) {
        reply.headers.emplace_back(http::field::allow, "GET");
        return Status(StatusCode::kNotSupported, "Not here.");
      }));
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "GET");
  EXPECT_EQ(res.body(), R"({"type":"invalid_request","code":"method_not_allowed",)"
                        R"("detail":"Not here.","attr":null})");
}

}  // namespace
}  // namespace actiond::api
