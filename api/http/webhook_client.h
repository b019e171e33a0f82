// WebhookClient: the deliver stage's HTTP(S) client (service/webhook_transport.h), over
// Boost.Beast on one I/O thread of its own, so that no request ever runs on a thread that serves
// the API or applies events.
//
// Each request is one `POST` of the delivery's JSON body to exactly the URL the user configured
// (redirects are not followed), with `Content-Type: application/json`, `User-Agent`, and
// `Idempotency-Key`. HTTPS verifies the server's certificate chain against the system's CA
// store (OpenSSL's default paths) plus `ca_file` when given (--webhook-ca-file: private CAs,
// tests), and its name against the URL's host (RFC 2818 rules: DNS names and IP addresses), and
// sends the host as SNI. Connections are kept alive and reused per origin (scheme, host,
// port); a request that fails on a reused connection before any answer arrived (the receiver
// closed it while idle) is sent once more on a new one. Every request has `timeout` for
// connecting, the TLS handshake, writing and reading the answer; an answer body is read (to
// keep the connection usable) up to 1 MiB and ignored.
//
// Thread-safety: Post and Stop may be called from any thread. Each Post's `done` runs exactly
// once: on the client's thread with the outcome, or from Stop() with status 0 when the client
// stops first.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/status.h"
#include "service/webhook_transport.h"

namespace actiond::api {

struct WebhookClientOptions {
  std::string ca_file;  // PEM bundle trusted in addition to the system's CAs; "" for none
  std::chrono::milliseconds timeout{30'000};
  std::string user_agent = "actiond-webhooks";
};

class WebhookClient final : public service::WebhookTransport {
 public:
  // Errors: kInvalidInput when ca_file cannot be read as PEM certificates.
  static Result<std::unique_ptr<WebhookClient>> Create(WebhookClientOptions options);
  ~WebhookClient() override;  // Stop()
  WebhookClient(const WebhookClient&) = delete;
  WebhookClient& operator=(const WebhookClient&) = delete;

  void Post(service::WebhookRequest request,
            std::function<void(service::WebhookResponse)> done) override;

  // Abandons requests in flight (answering each with status 0) and joins the thread.
  // Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit WebhookClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace actiond::api
