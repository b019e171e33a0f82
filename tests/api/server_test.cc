#include "api/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "tests/api/http_test_client.h"

namespace actiond::api {
namespace {

using namespace std::chrono_literals;
using testing::RawResponse;
using testing::TestClient;

class TestHandler : public RequestHandler {
 public:
  using Fn = std::function<void(const HttpRequest&, HttpResponse&)>;
  explicit TestHandler(Fn fn = nullptr) : fn_(std::move(fn)) {}

  void Handle(const HttpRequest& req, HttpResponse& res) noexcept override {
    calls.fetch_add(1);
    if (fn_) {
      fn_(req, res);
    } else {
      res.set(http::field::content_type, "text/plain");
      res.body() = "echo " + std::string(req.target()) + " " + req.body();
    }
  }

  std::atomic<int> calls{0};

 private:
  Fn fn_;
};

ServerOptions TestOptions() {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  o.header_timeout = 300ms;
  o.body_timeout = 1000ms;
  o.idle_timeout = 500ms;
  o.write_timeout = 2000ms;
  o.drain_timeout = 3000ms;
  // Above Beast's default parser limit (1 MiB) for /big, to show that ours is the one applied.
  o.body_limit = [](std::string_view path) -> uint64_t {
    return path == "/big" ? uint64_t{3} << 20 : 1000;
  };
  return o;
}

// A Server started on a free loopback port and run on its own thread; stopped (bounded) at the
// end of the test.
class RunningServer {
 public:
  RunningServer(ServerOptions options, RequestHandler& handler) : server_(options, handler) {
    const Status status = server_.Start();
    EXPECT_TRUE(status.ok()) << status.ToString();
    done_ = std::async(std::launch::async, [this] { server_.Run(); });
  }
  ~RunningServer() {
    server_.Stop();
    EXPECT_EQ(done_.wait_for(10s), std::future_status::ready) << "Run() did not return";
  }

  Server& server() { return server_; }
  uint16_t port() const { return server_.port(); }
  // True when Run() returns within `within`.
  bool WaitStopped(std::chrono::milliseconds within) {
    return done_.wait_for(within) == std::future_status::ready;
  }

 private:
  Server server_;
  std::future<void> done_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra_headers) +
         "\r\n";
}

std::string Post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

// Polls `condition` until it holds or `within` passes.
bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds within = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

TEST(ServerTest, BindsAFreePortAndServesARequest) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  ASSERT_NE(rs.port(), 0);
  TestClient c(rs.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(Post("/x?q=1", "hello")));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "echo /x?q=1 hello");
  EXPECT_EQ(res->Header("content-length"), "17");
  EXPECT_EQ(res->Header("server"), "actiond");
}

TEST(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(Get("/one")));
  const auto first = c.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->body, "echo /one ");
  EXPECT_NE(first->Header("connection"), "close");
  ASSERT_TRUE(c.Send(Get("/two")));
  const auto second = c.ReadResponse();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, "echo /two ");
  EXPECT_EQ(handler.calls.load(), 2);
  EXPECT_EQ(rs.server().active_connections(), 1u);
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(Get("/a") + Post("/b", "xy") + Get("/c")));
  for (const char* expected : {"echo /a ", "echo /b xy", "echo /c "}) {
    const auto res = c.ReadResponse();
    ASSERT_TRUE(res.has_value());
    EXPECT_EQ(res->body, expected);
  }
}

TEST(ServerTest, ConnectionCloseIsHonoured) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(Get("/x", "Connection: close\r\n")));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->Header("connection"), "close");
  EXPECT_TRUE(c.WaitForClose(2s));
}

TEST(ServerTest, ContentLengthOverTheLimitIsRefusedWith413BeforeTheBody) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  // Only the header: the answer must come without the client sending a single body byte.
  ASSERT_TRUE(c.Send("POST /e/ HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n"));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(res->Header("connection"), "close");
  EXPECT_NE(res->body.find(R"("code":"payload_too_large")"), std::string::npos) << res->body;
  EXPECT_EQ(handler.calls.load(), 0);
  EXPECT_TRUE(c.WaitForClose(3s));
}

TEST(ServerTest, BodyLimitIsChosenPerPath) {
  TestHandler handler([](const HttpRequest& req, HttpResponse& res) {
    res.body() = std::to_string(req.body().size());
  });
  RunningServer rs(TestOptions(), handler);
  // Built before connecting: the header timeout of a new connection runs from accept.
  const std::string big = Post("/big", std::string(size_t{2} << 20, 'x'));
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(big)) << c.last_errno();
  auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "2097152");
  ASSERT_TRUE(c.Send(Post("/small", std::string(1000, 'x'))));  // exactly at the limit
  res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "1000");
}

TEST(ServerTest, ContentLengthOverTheLimitOfALargePathIs413) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 3145729\r\n\r\n"));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 413);
}

TEST(ServerTest, ChunkedBodyGrowingPastTheLimitIs413) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  const std::string chunk(800, 'x');
  ASSERT_TRUE(
      c.Send("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "320\r\n" +
             chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(handler.calls.load(), 0);
}

TEST(ServerTest, ExpectContinueIsAnsweredBeforeTheBodyIsSent) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(
      c.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
             "Expect: 100-continue\r\n\r\n"));
  const auto interim = c.ReadResponse();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.Send("body"));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "echo /e body");
}

TEST(ServerTest, ExpectContinueWithTooLargeBodyGets413Instead) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(
      c.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n"
             "Expect: 100-continue\r\n\r\n"));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 413);  // instead of 100 Continue: the body is never asked for
  EXPECT_EQ(handler.calls.load(), 0);
}

TEST(ServerTest, ConnectionsPastTheCapGet503WithRetryAfter) {
  TestHandler handler;
  ServerOptions options = TestOptions();
  options.max_connections = 2;
  options.idle_timeout = 5000ms;  // the two served connections stay open throughout
  RunningServer rs(options, handler);
  TestClient a(rs.port());
  TestClient b(rs.port());
  for (TestClient* c : {&a, &b}) {
    ASSERT_TRUE(c->Send(Get("/x")));
    const auto res = c->ReadResponse();
    ASSERT_TRUE(res.has_value());
    EXPECT_EQ(res->status, 200);
  }
  EXPECT_EQ(rs.server().active_connections(), 2u);

  TestClient over(rs.port());
  ASSERT_TRUE(over.connected());
  over.Send(Get("/x"));
  const auto refused = over.ReadResponse();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->Header("retry-after"), "1");
  EXPECT_EQ(refused->Header("connection"), "close");
  EXPECT_NE(refused->body.find(R"("type":"server_error")"), std::string::npos) << refused->body;
  EXPECT_TRUE(over.WaitForClose(4s));
  EXPECT_EQ(handler.calls.load(), 2);

  // A slot frees when a served connection ends.
  a.Send(Get("/x", "Connection: close\r\n"));
  ASSERT_TRUE(a.ReadResponse().has_value());
  ASSERT_TRUE(Eventually([&] { return rs.server().active_connections() == 1; }));
  TestClient again(rs.port());
  ASSERT_TRUE(again.Send(Get("/y")));
  const auto res = again.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
}

TEST(ServerTest, ClientThatSendsNothingIsClosedByTheHeaderTimeout) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_EQ(handler.calls.load(), 0);
}

TEST(ServerTest, HeaderTrickledTooSlowlyIsClosedByTheHeaderTimeout) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n"));
  std::this_thread::sleep_for(150ms);
  c.Send("Host: t\r\n");  // more bytes do not extend the deadline
  EXPECT_TRUE(c.WaitForClose(3s));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
}

TEST(ServerTest, BodyThatNeverArrivesIsClosedByTheBodyTimeout) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  EXPECT_TRUE(c.WaitForClose(4s));
  EXPECT_EQ(handler.calls.load(), 0);
}

TEST(ServerTest, IdleKeepAliveConnectionIsClosedByTheIdleTimeout) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(Get("/x")));
  ASSERT_TRUE(c.ReadResponse().has_value());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 400ms);
}

TEST(ServerTest, OversizedHeaderIs431) {
  TestHandler handler;
  ServerOptions options = TestOptions();
  options.header_limit = 1024;
  RunningServer rs(options, handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(Get("/x", "X-Big: " + std::string(2000, 'a') + "\r\n")));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 431);
  EXPECT_NE(res->body.find(R"("code":"request_header_fields_too_large")"), std::string::npos);
  EXPECT_EQ(handler.calls.load(), 0);
}

TEST(ServerTest, MalformedRequestIs400InPostHogShape) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send("NOT AN HTTP REQUEST\r\n\r\n"));
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find(R"("code":"parse_error")"), std::string::npos) << res->body;
  EXPECT_TRUE(c.WaitForClose(3s));
}

TEST(ServerTest, StopDrainsARequestInFlight) {
  std::atomic<bool> entered{false};
  TestHandler handler([&](const HttpRequest&, HttpResponse& res) {
    entered = true;
    std::this_thread::sleep_for(400ms);  // still working when Stop() is called
    res.body() = "finished";
  });
  RunningServer rs(TestOptions(), handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(Get("/slow")));
  ASSERT_TRUE(Eventually([&] { return entered.load(); }));
  rs.server().Stop();
  EXPECT_FALSE(rs.WaitStopped(100ms)) << "Run() returned before the request finished";
  const auto res = c.ReadResponse();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "finished");
  EXPECT_EQ(res->Header("connection"), "close");
  EXPECT_TRUE(rs.WaitStopped(2s));
}

TEST(ServerTest, StopClosesIdleConnectionsAtOnce) {
  TestHandler handler;
  ServerOptions options = TestOptions();
  options.idle_timeout = 10000ms;  // so that only the drain can close it in time
  RunningServer rs(options, handler);
  TestClient c(rs.port());
  ASSERT_TRUE(c.Send(Get("/x")));
  ASSERT_TRUE(c.ReadResponse().has_value());
  const auto start = std::chrono::steady_clock::now();
  rs.server().Stop();
  EXPECT_TRUE(c.WaitForClose(2s));
  EXPECT_TRUE(rs.WaitStopped(2s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(ServerTest, StopIsBoundedByTheDrainTimeout) {
  TestHandler handler;
  ServerOptions options = TestOptions();
  options.body_timeout = 10000ms;
  options.drain_timeout = 300ms;
  RunningServer rs(options, handler);
  TestClient c(rs.port());
  // A request stuck in its body: in flight, so the drain waits for it, but not forever.
  ASSERT_TRUE(c.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  ASSERT_TRUE(Eventually([&] { return rs.server().active_connections() == 1; }));
  std::this_thread::sleep_for(50ms);  // let the server read the header
  const auto start = std::chrono::steady_clock::now();
  rs.server().Stop();
  EXPECT_TRUE(rs.WaitStopped(3s));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(ServerTest, StopWithoutConnectionsReturnsRunPromptly) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  rs.server().Stop();
  rs.server().Stop();  // idempotent
  EXPECT_TRUE(rs.WaitStopped(2s));
}

TEST(ServerTest, StartFailsWhenThePortIsTaken) {
  TestHandler handler;
  RunningServer rs(TestOptions(), handler);
  ServerOptions options = TestOptions();
  options.port = rs.port();
  Server second(options, handler);
  const Status status = second.Start();
  EXPECT_EQ(status.code(), StatusCode::kIoError) << status.ToString();
}

}  // namespace
}  // namespace actiond::api

namespace actiond::api {
namespace {

// A handler that defers `/slow` to a thread of its own, which answers only when the test says;
// every other path is answered at once.
class DeferringHandler : public RequestHandler {
 public:
  void Handle(const HttpRequest& req, HttpResponse& res) noexcept override {
    res.body() = "sync " + std::string(req.target());
  }
  void Handle(const HttpRequest& req, HttpResponse& res,
              ResponseChannel& channel) noexcept override {
    if (req.target() != "/slow") return Handle(req, res);
    DeferredReply reply = channel.Defer();
    HttpResponse later = res;
    waiter_ = std::thread([this, reply, later]() mutable {
      release_.wait();
      later.body() = "deferred";
      reply(std::move(later));
    });
  }
  void Release() { release_promise_.set_value(); }
  ~DeferringHandler() override {
    if (waiter_.joinable()) waiter_.join();
  }

 private:
  std::promise<void> release_promise_;
  std::shared_future<void> release_ = release_promise_.get_future().share();
  std::thread waiter_;
};

TEST(ServerTest, ADeferredAnswerLeavesTheIoThreadFreeForOtherRequests) {
  DeferringHandler handler;
  ServerOptions options = TestOptions();
  options.threads = 1;  // one I/O thread: it must not be the one waiting
  RunningServer rs(options, handler);
  TestClient slow(rs.port());
  ASSERT_TRUE(slow.Send(Get("/slow")));
  std::this_thread::sleep_for(50ms);
  TestClient other(rs.port());
  ASSERT_TRUE(other.Send(Get("/read")));
  const auto read = other.ReadResponse();
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->body, "sync /read");
  handler.Release();
  const auto answer = slow.ReadResponse();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "deferred");
  EXPECT_NE(answer->Header("connection"), "close");
  ASSERT_TRUE(slow.Send(Get("/after")));  // the connection goes on after a deferred answer
  const auto after = slow.ReadResponse();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->body, "sync /after");
}

}  // namespace
}  // namespace actiond::api
