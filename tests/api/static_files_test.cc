#include "api/http/static_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "api/http/gunzip.h"

namespace actiond::api {
namespace {

// A temporary tree: root/{index.html, app.js, big.js, logo.png, sub/index.html, .hidden,
// out -> ../secret.txt} and secret.txt beside root.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/static_files_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ + "/root";
    ASSERT_EQ(::mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((root_ + "/sub").c_str(), 0755), 0);
    Write(root_ + "/index.html", "<!doctype html><title>home</title>");
    Write(root_ + "/app.js", "export const x = 1;\n");
    Write(root_ + "/big.js", std::string(4000, 'a'));
    Write(root_ + "/logo.png", std::string(4000, 'p'));
    Write(root_ + "/sub/index.html", "sub page");
    Write(root_ + "/.hidden", "hidden");
    Write(base_ + "/secret.txt", "secret");
    ASSERT_EQ(::symlink("../secret.txt", (root_ + "/out").c_str()), 0);
    StaticFilesOptions options;
    options.root = root_;
    options.headers = {{"Content-Security-Policy", "default-src 'self'"}};
    auto files = StaticFiles::Open(options);
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    MountStaticFiles(router_, "/", *files);
  }
  void TearDown() override {
    const std::string command = "rm -rf '" + base_ + "'";
    ASSERT_EQ(std::system(command.c_str()), 0);
  }
  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  HttpResponse Get(const std::string& target, http::verb method = http::verb::get,
                   const std::string& accept_encoding = "", const std::string& if_none_match = "") {
    HttpRequest req(method, target, 11);
    if (!accept_encoding.empty()) req.set(http::field::accept_encoding, accept_encoding);
    if (!if_none_match.empty()) req.set(http::field::if_none_match, if_none_match);
    HttpResponse res;
    router_.Handle(req, res);
    return res;
  }

  std::string base_;
  std::string root_;
  Router router_;
};

TEST_F(StaticFilesTest, RootServesIndexWithItsHeaders) {
  const HttpResponse res = Get("/");
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res.body(), "<!doctype html><title>home</title>");
  EXPECT_EQ(res[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(res["Content-Security-Policy"], "default-src 'self'");
  EXPECT_EQ(res[http::field::cache_control], "no-cache");
  EXPECT_FALSE(res[http::field::etag].empty());
}

TEST_F(StaticFilesTest, ContentTypeByExtensionAndDirectoriesServeTheirIndex) {
  EXPECT_EQ(Get("/app.js")[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/logo.png")[http::field::content_type], "image/png");
  EXPECT_EQ(Get("/sub/").body(), "sub page");
  EXPECT_EQ(Get("/sub").body(), "sub page");
  EXPECT_EQ(ContentTypeFor("x.unknown"), "application/octet-stream");
}

TEST_F(StaticFilesTest, VersionedUrlIsCachedForAYear) {
  EXPECT_EQ(Get("/app.js?v=3")[http::field::cache_control], "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, IfNoneMatchAnswers304) {
  const HttpResponse first = Get("/app.js");
  const std::string etag(first[http::field::etag]);
  const HttpResponse again = Get("/app.js", http::verb::get, "", etag);
  EXPECT_EQ(again.result(), http::status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(again[http::field::etag], etag);
  EXPECT_EQ(Get("/app.js", http::verb::get, "", "W/" + etag).result(), http::status::not_modified);
  EXPECT_EQ(Get("/app.js", http::verb::get, "", "\"other\"").result(), http::status::ok);
}

TEST_F(StaticFilesTest, GzipWhenAcceptedForTextOnly) {
  const HttpResponse gz = Get("/big.js", http::verb::get, "br, gzip;q=0.8");
  EXPECT_EQ(gz[http::field::content_encoding], "gzip");
  EXPECT_EQ(gz[http::field::vary], "Accept-Encoding");
  EXPECT_LT(gz.body().size(), 200u);
  auto plain = Gunzip(gz.body(), 1 << 20);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, std::string(4000, 'a'));
  const HttpResponse identity = Get("/big.js");
  EXPECT_TRUE(identity[http::field::content_encoding].empty());
  EXPECT_EQ(identity.body().size(), 4000u);
  EXPECT_NE(identity[http::field::etag], gz[http::field::etag]);
  EXPECT_TRUE(Get("/big.js", http::verb::get, "gzip;q=0")[http::field::content_encoding].empty());
  EXPECT_TRUE(Get("/logo.png", http::verb::get, "gzip")[http::field::content_encoding].empty());
  // Small files are not worth it.
  EXPECT_TRUE(Get("/app.js", http::verb::get, "gzip")[http::field::content_encoding].empty());
}

TEST_F(StaticFilesTest, TraversalAndHiddenFilesAre404) {
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt",
                             "/out", "/.hidden", "//etc/passwd", "/%2Fetc%2Fpasswd",
                             "/app.js%00.png", "/sub%5c..%5c..%5csecret.txt", "/missing.js"}) {
    const HttpResponse res = Get(target);
    EXPECT_EQ(res.result(), http::status::not_found) << target;
    EXPECT_NE(res.body().find("\"code\":\"not_found\""), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, OtherMethodsAre405OnFilesAnd404Elsewhere) {
  const HttpResponse post = Get("/app.js", http::verb::post);
  EXPECT_EQ(post.result(), http::status::method_not_allowed);
  EXPECT_EQ(post[http::field::allow], "GET, HEAD");
  EXPECT_NE(post.body().find("method_not_allowed"), std::string::npos);
  EXPECT_EQ(Get("/nothing/here", http::verb::post).result(), http::status::not_found);
}

TEST_F(StaticFilesTest, HeadAnswersLikeGet) {
  const HttpResponse head = Get("/app.js", http::verb::head);
  EXPECT_EQ(head.result(), http::status::ok);
  EXPECT_EQ(head[http::field::content_type], "text/javascript; charset=utf-8");
}

TEST(StaticFilesOpenTest, MissingRootIsNotFound) {
  StaticFilesOptions options;
  options.root = "/nonexistent/dir";
  EXPECT_EQ(StaticFiles::Open(options).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace actiond::api
