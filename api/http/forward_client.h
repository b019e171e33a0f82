// ForwardClient: sends a request on to the node that holds its project's partition, and hands
// back that node's answer (docs/cluster.md §Routing). One hop only: the forwarded request carries
// `X-Actiond-Forwarded: <this node>`, and a node never forwards a request that carries it.
//
// Plain HTTP to the other node's --advertise URL, one connection per request, on the client's
// own thread: a forwarded request costs a loopback or LAN round trip, and only requests for
// projects held elsewhere pay it. A node that does not answer within the timeout becomes a 503
// with Retry-After in PostHog's error shape, as does a refused connection.
//
// Thread-safety: Forward may be called from any thread; `done` runs on the client's thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http/http_message.h"

namespace actiond::api {

inline constexpr std::string_view kForwardedHeader = "X-Actiond-Forwarded";

class ForwardClient {
 public:
  explicit ForwardClient(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~ForwardClient();  // Stop()
  ForwardClient(const ForwardClient&) = delete;
  ForwardClient& operator=(const ForwardClient&) = delete;

  // Sends `request` (method, target, headers but the hop-by-hop ones, body) to `base_url`
  // (http://host:port), marked as forwarded by `via_node`; `done` gets the answer as the other
  // node gave it, or a 503.
  void Forward(std::string_view base_url, const HttpRequest& request, std::string_view via_node,
               std::function<void(HttpResponse)> done);

  // Abandons requests in flight (their clients' connections close with the server, which stops
  // first) and joins the thread; idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace actiond::api
