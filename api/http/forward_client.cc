#include "api/http/forward_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>
#include <thread>
#include <utility>

#include "api/error_response.h"
#include "engine/http_url.h"
#include "engine/status.h"
#include "service/thread_name.h"

namespace actiond::api {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kMaxAnswerBytes = size_t{256} * 1024 * 1024;  // a large CSV export

HttpResponse Unavailable(std::string_view why) {
  HttpResponse res;
  res.version(11);
  WriteError(Status(StatusCode::kUnavailable, why), res);
  return res;
}

// The request as the other node should see it: hop-by-hop fields dropped, Host its own.
HttpRequest Outgoing(const HttpRequest& in, const engine::HttpUrl& url, std::string_view via) {
  HttpRequest out{in.method(), in.target(), 11};
  for (const auto& field : in) {
    switch (field.name()) {
      case http::field::host:
      case http::field::connection:
      case http::field::keep_alive:
      case http::field::transfer_encoding:
      case http::field::content_length:
      case http::field::upgrade:
      case http::field::te:
        break;
      default:
        out.insert(field.name_string(), field.value());
    }
  }
  out.set(http::field::host, url.HostHeader());
  out.set(kForwardedHeader, via);
  out.body() = in.body();
  out.prepare_payload();
  out.keep_alive(false);
  return out;
}

// One forwarded request: connect, send, read the answer; any failure answers 503.
net::awaitable<void> Send(std::chrono::milliseconds timeout, engine::HttpUrl url,
                          HttpRequest request, std::function<void(HttpResponse)> done) {
  error_code ec;
  auto token = net::redirect_error(net::use_awaitable, ec);
  beast::tcp_stream stream(co_await net::this_coro::executor);
  stream.expires_after(timeout);
  tcp::resolver resolver(co_await net::this_coro::executor);
  auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port), token);
  if (!ec) co_await stream.async_connect(endpoints, token);
  if (!ec) co_await http::async_write(stream, request, token);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxAnswerBytes);
  if (!ec) co_await http::async_read(stream, buffer, parser, token);
  if (ec) {
    done(Unavailable("The node that holds this project's partition did not answer (" +
                     ec.message() + "); retry later."));
    co_return;
  }
  HttpResponse answer = parser.release();
  answer.keep_alive(true);  // the client's connection to this node stays as it was
  answer.erase(http::field::connection);
  answer.prepare_payload();
  done(std::move(answer));
}

}  // namespace

struct ForwardClient::Impl {
  explicit Impl(std::chrono::milliseconds t) : timeout(t) {}
  std::chrono::milliseconds timeout;
  net::io_context io{1};
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(io);
  std::thread thread;
};

ForwardClient::ForwardClient(std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(timeout)) {
  impl_->thread = std::thread([impl = impl_.get()] {
    service::NameThisThread("forward-http");
    impl->io.run();
  });
}

ForwardClient::~ForwardClient() { Stop(); }

void ForwardClient::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

void ForwardClient::Forward(std::string_view base_url, const HttpRequest& request,
                            std::string_view via_node, std::function<void(HttpResponse)> done) {
  const std::optional<engine::HttpUrl> url = engine::ParseHttpUrl(base_url);
  if (!url || url->https) {
    done(
        Unavailable("The node that holds this project's partition advertises an address "
                    "this node cannot reach; retry later."));
    return;
  }
  net::co_spawn(impl_->io,
                Send(impl_->timeout, *url, Outgoing(request, *url, via_node), std::move(done)),
                net::detached);
}

}  // namespace actiond::api
