// WebhookTransport: how the deliver stage (service/webhook_dispatcher.h) sends one HTTP request.
// The service floor has no sockets: api/http/webhook_client.h implements this over
// Boost.Beast (HTTP and HTTPS with certificate checks, keep-alive per target), and service
// tests give a fake.
//
// Thread-safety: Post may be called from any thread; `done` runs on the transport's own thread,
// exactly once per Post, also when the transport is stopping (with status 0 and an error).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace actiond::service {

struct WebhookRequest {
  std::string url;              // absolute http(s) URL, validated when it was configured
  std::string body;             // JSON
  std::string idempotency_key;  // sent as the Idempotency-Key header
};

struct WebhookResponse {
  int status = 0;                          // HTTP status; 0 when no answer came
  std::string error;                       // why there was no answer (status 0), else ""
  std::optional<std::string> retry_after;  // the Retry-After header, when present
};

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual void Post(WebhookRequest request, std::function<void(WebhookResponse)> done) = 0;
};

}  // namespace actiond::service
