// The interface between the HTTP server and the application.
#pragma once

#include <functional>

#include "api/http/http_message.h"

namespace actiond::api {

// Sends a deferred answer: callable from any thread, exactly once.
using DeferredReply = std::function<void(HttpResponse&&)>;

// How a handler answers later instead of when Handle() returns (capture requests, whose events
// are applied on the apply stage: service/apply_executor.h). Defer() may be called once, during
// Handle(); the server then ignores `res` and waits for the reply.
class ResponseChannel {
 public:
  virtual DeferredReply Defer() = 0;

 protected:
  ~ResponseChannel() = default;
};

// Turns one request into one response. The server calls Handle on the connection's I/O thread
// (CPU work such as matching runs there, docs/architecture.md §3), concurrently for different
// connections, so implementations must be thread-safe. `res` arrives as an empty 200 response; the
// handler sets status, headers and body. The server then sets the HTTP version, keep-alive,
// `Server` and Content-Length, so handlers need not.
//
// Handle is noexcept: an implementation catches everything at its edge and answers 500 in
// PostHog's error shape instead (Router does this for every route), so that no request can take
// the server down.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void Handle(const HttpRequest& req, HttpResponse& res) noexcept = 0;
  // The server's entry point: as above, and the handler may defer its answer through
  // `channel`. By default the answer is synchronous.
  virtual void Handle(const HttpRequest& req, HttpResponse& res,
                      ResponseChannel& /*channel*/) noexcept {
    Handle(req, res);
  }
};

}  // namespace actiond::api
