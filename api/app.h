// The application: owns the configuration, the services (service/service_stack.h, which owns
// the store) and the handlers' view of them (api/services.h), the router and the server, and
// wires them together. main.cc only parses flags into an AppConfig and calls Start() and Run().
//
// Start(): binds the listen socket first, so that a busy port fails before anything is written
// (docs/operations.md §First start); then creates --data-dir, opens the store (--fsync), makes sure
// the default project, the admin user and the start-up key exist (service/account_service.h;
// secrets made there are printed once on stdout), loads every live action into the catalog and
// resumes backfills, registers the routes (with GET /metrics, /_livez and /_readyz,
// docs/operations.md). Run(): serves until SIGINT/SIGTERM or Stop(), drains in-flight requests,
// stops backfills and closes the store.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "api/app_config.h"
#include "api/heap_trimmer.h"
#include "api/http/router.h"
#include "api/http/server.h"
#include "api/metrics.h"
#include "api/services.h"
#include "engine/status.h"

namespace actiond::service {
class ServiceStack;
}  // namespace actiond::service

namespace actiond::api {

class WebhookClient;
class ForwardClient;

// Splits "HOST:PORT" ("[::1]:8000" for IPv6). kInvalidInput when the port is missing or not a
// number in 0..65535, or the host is empty.
Status ParseListenAddress(const std::string& listen, std::string& host, uint16_t& port);

class App {
 public:
  explicit App(AppConfig config);
  ~App();

  // Opens what the app needs and starts listening; an error explains what failed.
  Status Start();
  // Serves until SIGINT/SIGTERM (or Stop()), then drains; returns when the server has stopped.
  void Run();
  // Begins the graceful shutdown; thread-safe.
  void Stop();

  const AppConfig& config() const noexcept { return config_; }
  Router& router() noexcept { return router_; }
  // The web page's address (http://HOST:PORT/ with the bound port), printed at first start.
  std::string PageUrl() const;
  // The directory the page is served from; "" when there is none (api/web_mounts.h).
  const std::string& web_dir() const noexcept { return web_dir_; }
  // Valid after Start().
  Server* server() noexcept { return server_.get(); }
  const Services& services() const noexcept { return services_; }

 private:
  // Opens the services (service/service_stack.h), bootstraps accounts and loads the actions.
  Status OpenServices();
  void AddRoutes();
  // After the server has drained: stops backfills, closes the services (logs a failure).
  void Shutdown();

  AppConfig config_;
  std::string web_dir_;
  Router router_;
  Metrics metrics_;
  // True from the end of Start() until Stop(): GET /_readyz answers 200 only then.
  std::atomic<bool> ready_{false};
  // Declared before the stack, so destroyed after it; stopped (every request answered) before
  // the stack goes (service/service_stack.h).
  std::unique_ptr<WebhookClient> webhook_client_;
  std::unique_ptr<service::ServiceStack> stack_;
  std::unique_ptr<Authenticator> auth_;
  // Cluster mode only: relays requests to the node holding a project's partition. Declared
  // after the stack, so destroyed (its thread joined) before the cluster node it asks.
  std::unique_ptr<ForwardClient> forward_client_;
  Services services_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<HeapTrimmer> heap_trimmer_;
};

}  // namespace actiond::api
