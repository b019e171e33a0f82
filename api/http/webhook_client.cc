#include "api/http/webhook_client.h"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <utility>

#include "engine/http_url.h"
#include "service/thread_name.h"

namespace actiond::api {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr uint64_t kMaxAnswerBodyBytes = uint64_t{1} << 20;

// One kept-alive connection to an origin, plain or TLS.
struct Connection {
  std::optional<beast::tcp_stream> tcp;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *tcp; }
};

std::string OriginKey(const engine::HttpUrl& url) {
  return std::string(url.https ? "https://" : "http://") + url.HostHeader() + ":" +
         std::to_string(url.port);
}

service::WebhookResponse NoAnswer(std::string_view what, const error_code& ec) {
  service::WebhookResponse response;
  response.error = std::string(what) + ": " + ec.message();
  return response;
}

// What one request/answer exchange on a connection gave.
struct Exchange {
  error_code ec;
  bool answer_started = false;  // a status line arrived (so the request reached the receiver)
  bool reusable = false;
  service::WebhookResponse response;
};

template <typename Stream>
net::awaitable<Exchange> WriteAndRead(Stream& stream, beast::tcp_stream& lowest,
                                      beast::flat_buffer& buffer,
                                      const http::request<http::string_body>& request,
                                      std::chrono::milliseconds timeout) {
  Exchange out;
  lowest.expires_after(timeout);
  co_await http::async_write(stream, request, net::redirect_error(net::use_awaitable, out.ec));
  if (out.ec) co_return out;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxAnswerBodyBytes);
  co_await http::async_read_header(stream, buffer, parser,
                                   net::redirect_error(net::use_awaitable, out.ec));
  if (out.ec) co_return out;
  out.answer_started = true;
  out.response.status = static_cast<int>(parser.get().result_int());
  if (auto it = parser.get().find(http::field::retry_after); it != parser.get().end()) {
    out.response.retry_after = std::string(it->value());
  }
  co_await http::async_read(stream, buffer, parser,
                            net::redirect_error(net::use_awaitable, out.ec));
  // The status counts even when the body could not be read; only the connection is lost.
  out.reusable = !out.ec && parser.get().keep_alive();
  out.ec = {};
  lowest.expires_never();
  co_return out;
}

}  // namespace

struct WebhookClient::Impl {
  explicit Impl(WebhookClientOptions o)
      : options(std::move(o)), ssl_context(ssl::context::tls_client), work(io.get_executor()) {}

  WebhookClientOptions options;
  ssl::context ssl_context;  // outlives every TLS stream (declared before io)
  net::io_context io;
  net::executor_work_guard<net::io_context::executor_type> work;
  std::thread thread;
  // Touched only on the I/O thread; destroyed before io (declared after it).
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;

  std::mutex mutex;
  bool stopped = false;                                                       // guarded
  uint64_t next_token = 0;                                                    // guarded
  std::map<uint64_t, std::function<void(service::WebhookResponse)>> pending;  // guarded

  void Complete(uint64_t token, service::WebhookResponse response) {
    std::function<void(service::WebhookResponse)> done;
    {
      std::lock_guard lock(mutex);
      auto it = pending.find(token);
      if (it == pending.end()) return;  // Stop() answered it already
      done = std::move(it->second);
      pending.erase(it);
    }
    done(std::move(response));
  }

  net::awaitable<error_code> Connect(Connection& c, const engine::HttpUrl& url) {
    error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port),
                                                     net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return ec;
    if (url.https) {
      c.tls.emplace(io, ssl_context);
      error_code not_ip;
      net::ip::make_address(url.host, not_ip);
      // SNI carries names only (RFC 6066 §3), never an address.
      if (not_ip && !SSL_set_tlsext_host_name(c.tls->native_handle(), url.host.c_str())) {
        co_return error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
      }
      c.tls->set_verify_mode(ssl::verify_peer);
      c.tls->set_verify_callback(ssl::host_name_verification(url.host));
    } else {
      c.tcp.emplace(io);
    }
    c.lowest().expires_after(options.timeout);
    co_await c.lowest().async_connect(endpoints, net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return ec;
    // Beast writes a request's header and body separately: with Nagle's algorithm the body
    // would wait for the receiver's delayed ACK of the header (40 ms on Linux) on every request.
    c.lowest().socket().set_option(tcp::no_delay(true), ec);
    if (ec) co_return ec;
    if (c.tls) {
      co_await c.tls->async_handshake(ssl::stream_base::client,
                                      net::redirect_error(net::use_awaitable, ec));
    }
    co_return ec;
  }

  net::awaitable<service::WebhookResponse> Send(const service::WebhookRequest& request) {
    std::optional<engine::HttpUrl> url = engine::ParseHttpUrl(request.url);
    if (!url) co_return service::WebhookResponse{0, "not an http(s) URL", std::nullopt};
    http::request<http::string_body> message{http::verb::post, url->target, 11};
    message.set(http::field::host, url->HostHeader());
    message.set(http::field::user_agent, options.user_agent);
    message.set(http::field::content_type, "application/json");
    message.set("Idempotency-Key", request.idempotency_key);
    message.keep_alive(true);
    message.body() = request.body;
    message.prepare_payload();

    const std::string origin = OriginKey(*url);
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<Connection> connection;
      if (auto& pool = idle[origin]; !pool.empty() && attempt == 0) {
        connection = std::move(pool.back());
        pool.pop_back();
      }
      const bool reused = connection != nullptr;
      if (!connection) {
        connection = std::make_unique<Connection>();
        if (error_code ec = co_await Connect(*connection, *url)) {
          co_return NoAnswer(url->https ? "connecting (TLS)" : "connecting", ec);
        }
      }
      // Two statements, not `cond ? co_await a : co_await b`: GCC 12 miscompiles co_await
      // inside a conditional expression.
      Exchange exchange;
      if (connection->tls) {
        exchange = co_await WriteAndRead(*connection->tls, connection->lowest(), connection->buffer,
                                         message, options.timeout);
      } else {
        exchange = co_await WriteAndRead(*connection->tcp, connection->lowest(), connection->buffer,
                                         message, options.timeout);
      }
      if (exchange.ec) {
        // A kept-alive connection the receiver closed while idle fails before any answer:
        // that request never reached it, so one more try on a new connection is safe.
        if (reused && !exchange.answer_started) continue;
        co_return NoAnswer("sending", exchange.ec);
      }
      if (exchange.reusable) idle[origin].push_back(std::move(connection));
      co_return std::move(exchange.response);
    }
  }

  net::awaitable<void> Run(uint64_t token, service::WebhookRequest request) {
    service::WebhookResponse response = co_await Send(request);
    Complete(token, std::move(response));
  }
};

Result<std::unique_ptr<WebhookClient>> WebhookClient::Create(WebhookClientOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  error_code ec;
  impl->ssl_context.set_default_verify_paths(ec);
  if (ec) return InvalidInput("cannot read the system's CA store: " + ec.message());
  if (!impl->options.ca_file.empty()) {
    impl->ssl_context.load_verify_file(impl->options.ca_file, ec);
    if (ec) {
      return InvalidInput("--webhook-ca-file " + impl->options.ca_file + ": " + ec.message(),
                          "webhook_ca_file");
    }
  }
  impl->ssl_context.set_verify_mode(ssl::verify_peer);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] {
    service::NameThisThread("webhook-http");
    raw->io.run();
  });
  return std::unique_ptr<WebhookClient>(new WebhookClient(std::move(impl)));
}

WebhookClient::WebhookClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebhookClient::~WebhookClient() { Stop(); }

void WebhookClient::Post(service::WebhookRequest request,
                         std::function<void(service::WebhookResponse)> done) {
  uint64_t token = 0;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) {
      done(service::WebhookResponse{0, "the webhook client has stopped", std::nullopt});
      return;
    }
    token = ++impl_->next_token;
    impl_->pending.emplace(token, std::move(done));
  }
  net::co_spawn(impl_->io, impl_->Run(token, std::move(request)), net::detached);
}

void WebhookClient::Stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->work.reset();
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  std::map<uint64_t, std::function<void(service::WebhookResponse)>> abandoned;
  {
    std::lock_guard lock(impl_->mutex);
    abandoned.swap(impl_->pending);
  }
  for (auto& [token, done] : abandoned) {
    done(service::WebhookResponse{0, "actiond is stopping", std::nullopt});
  }
}

}  // namespace actiond::api
