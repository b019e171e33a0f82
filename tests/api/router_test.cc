#include "api/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace actiond::api {
namespace {

HttpRequest Request(http::verb method, std::string target) {
  HttpRequest req(method, target, 11);
  return req;
}

HttpResponse Route(Router& router, http::verb method, std::string target) {
  const HttpRequest req = Request(method, std::move(target));
  HttpResponse res;
  res.result(http::status::ok);
  router.Handle(req, res);
  return res;
}

// Answers with the handler's name and the params it was given, to see which route ran.
RouteHandler Echo(std::string name) {
  return [name](const RouteRequest& rr, HttpResponse& res) {
    res.body() = name + " project=" + std::string(rr.Param("project_id")) +
                 " id=" + std::string(rr.Param("id"));
  };
}

TEST(RouterTest, BindsPathParameters) {
  Router router;
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id/count", Echo("count"));
  EXPECT_EQ(Route(router, http::verb::get, "/api/projects/7/actions/42/count").body(),
            "count project=7 id=42");
}

TEST(RouterTest, TrailingSlashIsOptionalEitherWay) {
  Router router;
  router.Add(http::verb::get, "/api/projects/:project_id/actions/", Echo("list"));
  router.Add(http::verb::get, "/_health", Echo("health"));
  EXPECT_EQ(Route(router, http::verb::get, "/api/projects/1/actions").body(), "list project=1 id=");
  EXPECT_EQ(Route(router, http::verb::get, "/api/projects/1/actions/").body(),
            "list project=1 id=");
  EXPECT_EQ(Route(router, http::verb::get, "/_health/").body(), "health project= id=");
  EXPECT_EQ(Route(router, http::verb::get, "/_health").body(), "health project= id=");
}

TEST(RouterTest, QueryStringIsSplitOffAndParsed) {
  Router router;
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id/count",
             [](const RouteRequest& rr, HttpResponse& res) {
               res.body() = std::string(rr.Param("id")) + "|" + std::string(rr.query()) + "|" +
                            std::string(rr.query_params().GetOr("date_from", "-"));
             });
  EXPECT_EQ(
      Route(router, http::verb::get, "/api/projects/1/actions/5/count/?date_from=-7d&x=1").body(),
      "5|date_from=-7d&x=1|-7d");
}

TEST(RouterTest, UnknownPathIs404NotFound) {
  Router router;
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id", Echo("get"));
  for (const char* target : {"/nope", "/api/projects/1/actions/2/extra", "/api/projects/1", "/",
                             "/api/projects//actions/2"}) {
    SCOPED_TRACE(target);
    const HttpResponse res = Route(router, http::verb::get, target);
    EXPECT_EQ(res.result(), http::status::not_found);
    EXPECT_EQ(res.body(),
              R"({"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null})");
  }
}

TEST(RouterTest, KnownPathWithWrongMethodIs405WithAllow) {
  Router router;
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id", Echo("get"));
  router.Add(http::verb::patch, "/api/projects/:project_id/actions/:id/", Echo("patch"));
  router.Add(http::verb::put, "/api/projects/:project_id/actions/:id", Echo("put"));
  const HttpResponse res = Route(router, http::verb::delete_, "/api/projects/1/actions/2/");
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "GET, PATCH, PUT");
  EXPECT_EQ(res.body(), R"({"type":"invalid_request","code":"method_not_allowed",)"
                        R"("detail":"Method \"DELETE\" not allowed.","attr":null})");
}

TEST(RouterTest, LiteralSegmentBeatsParameterWhateverTheOrder) {
  Router router;
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id", Echo("retrieve"));
  router.Add(http::verb::get, "/api/projects/:project_id/actions/people", Echo("people"));
  EXPECT_EQ(Route(router, http::verb::get, "/api/projects/1/actions/people").body(),
            "people project=1 id=");
  EXPECT_EQ(Route(router, http::verb::get, "/api/projects/1/actions/9").body(),
            "retrieve project=1 id=9");
}

TEST(RouterTest, PathPicksThePatternBeforeTheMethod) {
  // As in Django: `/actions/people` is the people route, so POST there is 405 even though
  // POST /actions/:id would match the bare path.
  Router router;
  router.Add(http::verb::post, "/api/projects/:project_id/actions/:id", Echo("post-id"));
  router.Add(http::verb::get, "/api/projects/:project_id/actions/people", Echo("people"));
  const HttpResponse res = Route(router, http::verb::post, "/api/projects/1/actions/people");
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "GET");
}

TEST(RouterTest, SameMethodAndPatternReplacesTheHandler) {
  Router router;
  router.Add(http::verb::get, "/x", Echo("first"));
  router.Add(http::verb::get, "/x/", Echo("second"));
  EXPECT_EQ(Route(router, http::verb::get, "/x").body(), "second project= id=");
}

TEST(RouterTest, RootRoute) {
  Router router;
  router.Add(http::verb::get, "/", Echo("root"));
  EXPECT_EQ(Route(router, http::verb::get, "/").body(), "root project= id=");
  EXPECT_EQ(Route(router, http::verb::get, "/?a=1").body(), "root project= id=");
  EXPECT_EQ(Route(router, http::verb::get, "/a").result(), http::status::not_found);
}

TEST(RouterTest, ThrowingHandlerBecomes500InPostHogShape) {
  Router router;
  router.Add(http::verb::get, "/boom", [](const RouteRequest&, HttpResponse& res) {
    res.set(http::field::location, "/half-done");
    throw std::runtime_error("secret internals");
  });
  const HttpResponse res = Route(router, http::verb::get, "/boom");
  EXPECT_EQ(res.result(), http::status::internal_server_error);
  EXPECT_EQ(res.body(), R"({"type":"server_error","code":"error",)"
                        R"("detail":"A server error occurred.","attr":null})");
  EXPECT_EQ(res.count(http::field::location), 0u);  // nothing of the half-built response
}

TEST(RouterTest, RequestGivesMethodBodyAndHeaders) {
  Router router;
  router.Add(http::verb::post, "/e", [](const RouteRequest& rr, HttpResponse& res) {
    res.body() = std::string(http::to_string(rr.method())) + " " + rr.body() + " " +
                 std::string(rr.header(http::field::content_type)) + " " + std::string(rr.path());
  });
  HttpRequest req(http::verb::post, "/e/?ver=1", 11);
  req.set(http::field::content_type, "text/plain");
  req.body() = "payload";
  HttpResponse res;
  router.Handle(req, res);
  EXPECT_EQ(res.body(), "POST payload text/plain /e/");
}

}  // namespace
}  // namespace actiond::api

namespace actiond::api {
namespace {

TEST(RouterDeferTest, TheSynchronousHandleWaitsForADeferredAnswer) {
  Router router;
  std::thread worker;
  router.Add(http::verb::post, "/batch", [&](const RouteRequest& rr, HttpResponse& res) {
    DeferredReply reply = rr.Defer();
    HttpResponse later = res;
    res.body() = "ignored: the answer was deferred";
    worker = std::thread([reply, later]() mutable {
      later.body() = "applied";
      reply(std::move(later));
    });
  });
  const HttpResponse res = Route(router, http::verb::post, "/batch");
  worker.join();
  EXPECT_EQ(res.body(), "applied");
}

TEST(RouterTest, PrefixRouteBindsTheRestOfThePath) {
  Router router;
  router.Add(http::verb::get, "/static/*path", [](const RouteRequest& rr, HttpResponse& res) {
    res.body() = "[" + std::string(rr.Param("path")) + "]";
  });
  EXPECT_EQ(Route(router, http::verb::get, "/static/lib/a.js?v=1").body(), "[lib/a.js]");
  EXPECT_EQ(Route(router, http::verb::get, "/static/array.js").body(), "[array.js]");
  EXPECT_EQ(Route(router, http::verb::get, "/static/").body(), "[]");
  EXPECT_EQ(Route(router, http::verb::get, "/static").body(), "[]");
  EXPECT_EQ(Route(router, http::verb::get, "/other").result(), http::status::not_found);
}

TEST(RouterTest, PrefixRouteLosesToLiteralsAndParameters) {
  Router router;
  router.Add(http::verb::get, "/*path", Echo("files"));
  router.Add(http::verb::get, "/api/projects/:project_id/actions/:id", Echo("action"));
  router.Add(http::verb::get, "/_health", Echo("health"));
  router.Add(http::verb::get, "/static/*path", Echo("static"));
  EXPECT_EQ(Route(router, http::verb::get, "/api/projects/1/actions/2").body(),
            "action project=1 id=2");
  EXPECT_EQ(Route(router, http::verb::get, "/_health").body(), "health project= id=");
  EXPECT_EQ(Route(router, http::verb::get, "/static/x.js").body(), "static project= id=");
  EXPECT_EQ(Route(router, http::verb::get, "/").body(), "files project= id=");
  EXPECT_EQ(Route(router, http::verb::get, "/api/projects/1/nope/2/3").body(),
            "files project= id=");
}

TEST(RouterTest, PrefixRoute404IsReportedAsUnmatched) {
  Router router;
  std::vector<std::string> routes;
  router.set_observer([&](const RequestRecord& r) { routes.emplace_back(r.route); });
  router.Add(http::verb::get, "/*path", [](const RouteRequest& rr, HttpResponse& res) {
    if (rr.Param("path") != "index.html") res.result(http::status::not_found);
  });
  Route(router, http::verb::get, "/index.html");
  Route(router, http::verb::get, "/junk");
  EXPECT_EQ(routes, (std::vector<std::string>{"/*path", "unmatched"}));
}

}  // namespace
}  // namespace actiond::api
