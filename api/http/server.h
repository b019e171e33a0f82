// The HTTP/1.1 server: a listener and one session per connection, after Beast's
// advanced_server / http_server_async examples.
//
// - One io_context run by `threads` threads; each connection's handlers run on its own strand,
//   so a session is never touched by two threads at once. RequestHandler::Handle runs there.
// - Keep-alive. Timeouts on every read and write: the request header must arrive within
//   header_timeout (counted from the first byte of the request, or from accept for the first
//   request of a connection), the body within body_timeout after the header, the next request
//   on a kept-alive connection must start within idle_timeout; a timed-out connection is closed.
// - Limits: header_limit bytes of request line + headers (more → 431 and close); the body limit
//   is chosen per request once the header is read (`body_limit(path)`, by default 20 MiB for
//   /batch and 2 MiB elsewhere); a Content-Length over it is refused with 413 before any body
//   byte is read, a chunked body that grows past it likewise. A malformed request → 400 and
//   close. `Expect: 100-continue` is answered before the body is read.
// - HEAD: whatever the handler answers is sent without its body, with the Content-Length of the
//   body it would have had (a handler answers HEAD as it answers GET).
// - At most max_connections connections are served; one more is accepted, answered 503 with
//   `Retry-After: 1` and closed.
// - Stop() drains: it stops accepting, closes idle connections, lets requests in flight finish
//   (their responses say `Connection: close`), and when none is left — or drain_timeout has
//   passed — stops the io_context, so Run() returns.
//
// Thread-safety: Start() and Run() are called once, from one thread; Stop() may be called from
// any thread (or a signal handler posted on io_context()), any number of times. The handler must
// outlive the Server.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http/request_handler.h"
#include "engine/status.h"

namespace actiond::api {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an address or a resolvable name
  uint16_t port = 8000;            // 0: any free port (see Server::port())
  int threads = 0;                 // I/O threads; 0: one per hardware core
  size_t max_connections = 10'000;
  uint32_t header_limit = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};
  // The body limit of a request, from its path (no query). Empty: BodyLimitForPath.
  std::function<uint64_t(std::string_view path)> body_limit;
};

class Server {
 public:
  Server(ServerOptions options, RequestHandler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Resolves, binds and listens. kIoError when the address cannot be used (in use, unknown).
  Status Start();
  // The bound port, once Start() succeeded (the real one when options.port was 0).
  uint16_t port() const noexcept;
  // Serves until Stop() has drained; runs the io_context on `threads` threads, this one included.
  void Run();
  // Begins the graceful drain (asynchronous: Run() returns when it is done). Idempotent.
  void Stop();

  // Connections being served now (not counting ones refused with 503).
  size_t active_connections() const noexcept;
  // The io_context the server runs on, for signal sets and timers of the application.
  boost::asio::io_context& io_context() noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actiond::api
