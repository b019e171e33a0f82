#include "api/http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/error_response.h"
#include "api/http/body_limits.h"
#include "api/log.h"
#include "service/thread_name.h"

namespace actiond::api {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

class Session;

// After an error answer the client may still be sending (a body we refused); closing with
// unread data would make the kernel send RST, which can destroy our answer before the client
// reads it. So read and discard for a little while first.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr size_t kLingerMaxBytes = size_t{1} << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kServerName = "actiond";
// Beast reads as much as the buffer has room for, so a large body gets a large buffer (64 KiB
// reads instead of 4 KiB ones); an idle connection gives it back.
constexpr size_t kBodyReadBuffer = size_t{64} << 10;
constexpr size_t kIdleBufferMax = size_t{16} << 10;

bool IsHttpParseError(const error_code& ec) {
  return ec.category() == beast::http::make_error_code(beast::http::error::bad_target).category();
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions opts, RequestHandler& h)
      : options(std::move(opts)),
        handler(h),
        threads(options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
        ioc(std::in_place, threads),
        accept_strand(std::in_place, net::make_strand(*ioc)) {
    if (!options.body_limit)
      options.body_limit = [](std::string_view p) { return BodyLimitForPath(p); };
    acceptor.emplace(*accept_strand);
    accept_retry.emplace(*accept_strand);
    drain_timer.emplace(*accept_strand);
  }

  void DoAccept();
  void OnAccept(const error_code& ec, tcp::socket socket);
  void BeginDrain();
  void FinishDrain();
  void Register(const std::shared_ptr<Session>& session);
  void OnSessionEnd(Session* session, bool counted);

  ServerOptions options;
  RequestHandler& handler;
  const int threads;
  // Destroyed explicitly in ~Server, after the strand, acceptor and timers that use it (their
  // destructors reach into its services) and before the members that dying sessions still
  // touch (the registry, the counters).
  std::optional<net::io_context> ioc;
  std::optional<net::strand<net::io_context::executor_type>> accept_strand;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> accept_retry;
  std::optional<net::steady_timer> drain_timer;
  uint16_t port = 0;

  std::atomic<size_t> active{0};
  std::atomic<bool> draining{false};
  std::atomic<bool> finished{false};
  std::atomic<bool> destroying{false};

  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by sessions_mu
};

namespace {

class Session final : public std::enable_shared_from_this<Session>, public ResponseChannel {
 public:
  Session(tcp::socket&& socket, Server::Impl& server, bool counted)
      : stream_(std::move(socket)), server_(server), counted_(counted) {}

  ~Session() { server_.OnSessionEnd(this, counted_); }

  // Serves requests until the connection ends.
  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::NextRequest, shared_from_this()));
  }

  // Refuses the connection: 503 with Retry-After, then close.
  void StartRefusal() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->SendErrorAndClose(
          Status(StatusCode::kUnavailable, "Too many connections; retry later."));
    });
  }

  // Runs on the strand when the server drains: a connection waiting for its next request is
  // closed now; one in the middle of a request finishes it (the response closes it).
  void Drain() {
    if (idle_) stream_.cancel();
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  void NextRequest() {
    parser_.emplace();
    parser_->header_limit(server_.options.header_limit);
    // Beast checks Content-Length against the body limit while parsing the header, and the
    // parser's default (1 MiB) is not ours: lift it until OnHeader sets the limit of the path.
    // (Not boost::none: Beast 1.74 compares `len > optional` and an empty optional is below
    // every length, so "no limit" refuses every body.)
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    if (buffer_.size() > 0) {  // a pipelined request is already here
      header_deadline_.reset();
      ReadHeader();
      return;
    }
    if (server_.draining.load()) {
      Close();
      return;
    }
    if (buffer_.capacity() > kIdleBufferMax) buffer_.shrink_to_fit();
    // Wait for the first byte in an idle state that Drain() may cancel. On a kept-alive
    // connection that wait is the idle timeout and the header timeout starts with the first
    // byte; a new connection has header_timeout from accept for the whole header (slowloris).
    if (first_request_) {
      header_deadline_ = std::chrono::steady_clock::now() + server_.options.header_timeout;
      stream_.expires_at(*header_deadline_);
    } else {
      header_deadline_.reset();
      stream_.expires_after(server_.options.idle_timeout);
    }
    first_request_ = false;
    idle_ = true;
    stream_.async_read_some(buffer_.prepare(4096),
                            beast::bind_front_handler(&Session::OnIdleRead, shared_from_this()));
  }

  void OnIdleRead(error_code ec, size_t bytes) {
    idle_ = false;
    if (ec) return Close();  // the client left, the timeout fired, or the server drains
    buffer_.commit(bytes);
    ReadHeader();
  }

  void ReadHeader() {
    if (header_deadline_) {
      stream_.expires_at(*header_deadline_);
    } else {
      stream_.expires_after(server_.options.header_timeout);
    }
    beast::http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(error_code ec, size_t) {
    if (ec == beast::http::error::header_limit) {
      return SendErrorAndClose(beast::http::status::request_header_fields_too_large,
                               "request_header_fields_too_large",
                               "Request header fields too large.");
    }
    if (ec == beast::http::error::body_limit) {  // not expected with no limit; still a 413
      return SendErrorAndClose(Status(StatusCode::kTooLarge, "Request body too large."));
    }
    if (ec == beast::http::error::end_of_stream || ec == beast::http::error::partial_message) {
      return Close();
    }
    if (IsHttpParseError(ec)) {
      return SendErrorAndClose(
          Status(StatusCode::kParseError, "Malformed HTTP request: " + ec.message()));
    }
    if (ec) return Close();  // timeout, reset, drain

    const HttpRequest& req = parser_->get();
    const uint64_t limit = server_.options.body_limit(TargetPath(req.target()));
    const auto length = parser_->content_length();
    if (length && *length > limit) {
      return SendErrorAndClose(
          Status(StatusCode::kTooLarge, "Request body of " + std::to_string(*length) +
                                            " bytes exceeds the limit of " + std::to_string(limit) +
                                            " bytes for this path."));
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) return HandleRequest();
    if (!length || *length > kIdleBufferMax) buffer_.reserve(kBodyReadBuffer);
    if (beast::iequals(req[beast::http::field::expect], "100-continue")) {
      stream_.expires_after(server_.options.write_timeout);
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](error_code write_ec, size_t) {
                         if (write_ec) return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(server_.options.body_timeout);
    beast::http::async_read(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(error_code ec, size_t) {
    if (ec == beast::http::error::body_limit) {
      return SendErrorAndClose(
          Status(StatusCode::kTooLarge, "Request body exceeds the limit for this path."));
    }
    if (ec == beast::http::error::end_of_stream || ec == beast::http::error::partial_message) {
      return Close();
    }
    if (IsHttpParseError(ec)) {
      return SendErrorAndClose(
          Status(StatusCode::kParseError, "Malformed HTTP request: " + ec.message()));
    }
    if (ec) return Close();
    HandleRequest();
  }

  // ResponseChannel: the handler answers later (on another thread); the session waits, with
  // no read pending and no timer running, and sends the answer on its strand.
  DeferredReply Defer() override {
    deferred_ = true;
    stream_.expires_never();
    return [self = shared_from_this(), version = request_version_,
            keep_alive = request_keep_alive_](HttpResponse&& res) {
      net::post(self->stream_.get_executor(),
                [self, version, keep_alive, res = std::move(res)]() mutable {
                  self->res_ = std::move(res);
                  self->res_.version(version);
                  const bool keep = keep_alive && !self->server_.draining.load();
                  self->res_.keep_alive(keep);
                  self->Send(!keep, /*linger=*/false);
                });
    };
  }

  void HandleRequest() {
    bool keep_alive = false;
    deferred_ = false;
    try {
      HttpRequest req = parser_->release();
      res_ = HttpResponse();
      res_.version(req.version());
      res_.result(beast::http::status::ok);
      request_version_ = req.version();
      request_keep_alive_ = req.keep_alive();
      request_head_ = req.method() == beast::http::verb::head;
      server_.handler.Handle(req, res_, *this);
      if (deferred_) return;  // the reply sends the answer
      keep_alive = req.keep_alive() && !server_.draining.load();
    } catch (const std::exception& e) {
      // Handle() is noexcept; this catches our own plumbing (an allocation failure).
      ACTIOND_LOG(ERROR) << "request failed outside the handler: " << e.what();
      res_ = HttpResponse();
      WriteError(Internal("request failed"), res_);
    }
    res_.keep_alive(keep_alive);
    Send(!keep_alive, /*linger=*/false);
  }

  void SendErrorAndClose(const Status& status) {
    request_head_ = false;
    res_ = HttpResponse();
    WriteError(status, res_);
    res_.keep_alive(false);
    Send(/*close=*/true, /*linger=*/true);
  }

  void SendErrorAndClose(beast::http::status http_status, std::string_view code,
                         std::string_view detail) {
    request_head_ = false;
    res_ = HttpResponse();
    WriteCustomError(http_status, "invalid_request", code, detail, res_);
    res_.keep_alive(false);
    Send(/*close=*/true, /*linger=*/true);
  }

  void Send(bool close, bool linger) {
    res_.set(beast::http::field::server, kServerName);
    res_.prepare_payload();
    // HEAD: the GET answer's header, Content-Length included, without its body (RFC 9110 §9.3.2).
    if (request_head_) res_.body().clear();
    stream_.expires_after(server_.options.write_timeout);
    beast::http::async_write(stream_, res_,
                             [self = shared_from_this(), close, linger](error_code ec, size_t) {
                               if (ec) return self->Close();
                               if (!close) return self->NextRequest();
                               if (linger) return self->Linger();
                               error_code ignored;
                               self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                               self->Close();
                             });
  }

  void Linger() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    ReadAndDiscard();
  }

  void ReadAndDiscard() {
    stream_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this()](error_code ec, size_t bytes) {
                              self->discarded_ += bytes;
                              if (ec || self->discarded_ > kLingerMaxBytes) return self->Close();
                              self->ReadAndDiscard();
                            });
  }

  void Close() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Server::Impl& server_;
  const bool counted_;  // counts against max_connections (a refused connection does not)
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  HttpResponse res_;
  bool first_request_ = true;
  bool idle_ = false;      // waiting for the first byte of a request
  bool deferred_ = false;  // the current request's answer comes through Defer()'s reply
  unsigned request_version_ = 11;
  bool request_keep_alive_ = false;
  bool request_head_ = false;  // the answer is sent without its body
  std::optional<std::chrono::steady_clock::time_point> header_deadline_;
  size_t discarded_ = 0;
  std::array<char, 8192> discard_;
};

}  // namespace

void Server::Impl::DoAccept() {
  acceptor->async_accept(net::make_strand(*ioc), beast::bind_front_handler(&Impl::OnAccept, this));
}

void Server::Impl::OnAccept(const error_code& ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
  if (ec) {
    // Typically EMFILE: retry shortly rather than spin on a failing accept.
    ACTIOND_LOG(WARNING) << "accept failed: " << ec.message();
    accept_retry->expires_after(std::chrono::milliseconds(100));
    accept_retry->async_wait([this](const error_code& wait_ec) {
      if (!wait_ec && acceptor->is_open()) DoAccept();
    });
    return;
  }
  if (draining.load()) {
    error_code ignored;
    socket.close(ignored);
    return;
  }
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // small responses on kept-alive connections
  if (active.load() >= options.max_connections) {
    std::make_shared<Session>(std::move(socket), *this, /*counted=*/false)->StartRefusal();
  } else {
    active.fetch_add(1);
    auto session = std::make_shared<Session>(std::move(socket), *this, /*counted=*/true);
    Register(session);
    session->Start();
  }
  DoAccept();
}

void Server::Impl::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(sessions_mu);
  sessions.emplace(session.get(), session);
}

void Server::Impl::OnSessionEnd(Session* session, bool counted) {
  if (!counted) return;
  {
    std::lock_guard<std::mutex> lock(sessions_mu);
    sessions.erase(session);
  }
  if (active.fetch_sub(1) == 1 && draining.load() && !destroying.load()) FinishDrain();
}

void Server::Impl::BeginDrain() {
  ACTIOND_LOG(INFO) << "draining: " << active.load() << " connection(s) open";
  net::post(*accept_strand, [this] {
    error_code ignored;
    acceptor->close(ignored);
    accept_retry->cancel();
    drain_timer->expires_after(options.drain_timeout);
    drain_timer->async_wait([this](const error_code& ec) {
      if (ec) return;
      ACTIOND_LOG(WARNING) << "drain timeout: closing " << active.load()
                           << " connection(s) still open";
      FinishDrain();
    });
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mu);
    for (auto& [ptr, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    net::post(s->executor(), [s] { s->Drain(); });
  }
  if (active.load() == 0) FinishDrain();
}

void Server::Impl::FinishDrain() {
  if (finished.exchange(true)) return;
  ioc->stop();
}

Server::Server(ServerOptions options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() {
  impl_->destroying.store(true);
  impl_->acceptor.reset();
  impl_->accept_retry.reset();
  impl_->drain_timer.reset();
  impl_->accept_strand.reset();
  // Destroys the handlers still queued, and with them the last sessions.
  impl_->ioc.reset();
}

Status Server::Start() {
  const ServerOptions& o = impl_->options;
  const std::string where = o.host + ":" + std::to_string(o.port);
  error_code ec;
  tcp::resolver resolver(*impl_->ioc);
  const auto results =
      resolver.resolve(o.host, std::to_string(o.port), tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Status(StatusCode::kIoError, "cannot resolve " + where + ": " + ec.message());
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  tcp::acceptor& acceptor = *impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return Status(StatusCode::kIoError, "cannot open a socket for " + where + ": " + ec.message());
  }
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return Status(StatusCode::kIoError, "cannot set SO_REUSEADDR: " + ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) {
    return Status(StatusCode::kIoError, "cannot listen on " + where + ": " + ec.message());
  }
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return Status(StatusCode::kIoError, "cannot listen on " + where + ": " + ec.message());
  }
  impl_->port = acceptor.local_endpoint(ec).port();
  net::post(*impl_->accept_strand, [impl = impl_.get()] { impl->DoAccept(); });
  return Status::Ok();
}

uint16_t Server::port() const noexcept { return impl_->port; }

void Server::Run() {
  auto run = [this] {
    // A handler that throws would unwind out of run(); log it and keep serving.
    while (true) {
      try {
        impl_->ioc->run();
        return;
      } catch (const std::exception& e) {
        ACTIOND_LOG(ERROR) << "unhandled exception on an I/O thread: " << e.what();
      }
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(impl_->threads - 1));
  // The calling thread is one of the I/O threads; it keeps the process's name (which tools such
  // as pgrep look for), the others are named for their role (service/thread_name.h).
  for (int i = 1; i < impl_->threads; ++i) {
    workers.emplace_back([&run] {
      service::NameThisThread("io");
      run();
    });
  }
  run();
  for (auto& t : workers) t.join();
}

void Server::Stop() {
  if (impl_->draining.exchange(true)) return;
  impl_->BeginDrain();
}

size_t Server::active_connections() const noexcept { return impl_->active.load(); }

boost::asio::io_context& Server::io_context() noexcept { return *impl_->ioc; }

}  // namespace actiond::api
