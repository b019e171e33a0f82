#include "api/app.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>

#include "tests/api/http_test_client.h"

namespace actiond::api {
namespace {

TEST(ParseListenAddressTest, SplitsHostAndPort) {
  std::string host;
  uint16_t port = 1;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:8000", host, port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8000);
  ASSERT_TRUE(ParseListenAddress("[::1]:0", host, port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(ParseListenAddress("localhost:65535", host, port).ok());
  EXPECT_EQ(host, "localhost");
  EXPECT_EQ(port, 65535);
}

TEST(ParseListenAddressTest, RejectsMissingOrBadPorts) {
  std::string host;
  uint16_t port = 0;
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", ":8000", "127.0.0.1:65536", "h:-1", "h:x"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseListenAddress(bad, host, port).code(), StatusCode::kInvalidInput);
  }
}

// ACTIOND_<FLAG> environment variables are CLI11's (api/main.cc): tests/blackbox/ops_test.py.

TEST(AppTest, HealthAnswersOkOverHttpAndStopEndsRun) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("actiond_app_test_" + std::to_string(::getpid()) + "_" +
       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  AppConfig config;
  config.listen = "127.0.0.1:0";
  config.data_dir = dir.string();
  config.threads = 1;
  App app(config);
  const Status started = app.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  auto done = std::async(std::launch::async, [&] { app.Run(); });
  {
    // A failed assertion below must still stop the server, or `done` would wait forever.
    struct StopAtExit {
      App& app;
      ~StopAtExit() { app.Stop(); }
    } stop_at_exit{app};
    testing::TestClient c(app.server()->port());
    ASSERT_TRUE(c.Send("GET /_health HTTP/1.1\r\nHost: t\r\n\r\n"));
    const auto res = c.ReadResponse();
    ASSERT_TRUE(res.has_value());
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->Header("content-type"), "application/json");
    EXPECT_EQ(res->body, R"({"status":"ok"})");
    ASSERT_TRUE(c.Send("GET /_health/ HTTP/1.1\r\nHost: t\r\n\r\n"));
    const auto slash = c.ReadResponse();
    ASSERT_TRUE(slash.has_value());
    EXPECT_EQ(slash->status, 200);
    EXPECT_EQ(slash->body, R"({"status":"ok"})");
    ASSERT_TRUE(c.Send("POST /_health HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"));
    const auto post = c.ReadResponse();
    ASSERT_TRUE(post.has_value());
    EXPECT_EQ(post->status, 405);
  }
  EXPECT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  done.wait();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace actiond::api
