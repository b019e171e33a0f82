// The application: owns the configuration, the store and the services the handlers use
// (api/services.h), the router and the server, and wires them together. main.cc only parses
// flags into an AppConfig and calls Start() and Run().
//
// Start(): creates --data-dir, opens the store (--fsync), makes sure the default project, the
// admin user and the start-up key exist (api/bootstrap.h; secrets made there are printed once on
// stdout), loads every live action into the catalog and resumes backfills, registers the routes
// and starts listening. Run(): serves until SIGINT/SIGTERM or Stop(), drains in-flight
// requests, stops backfills and closes the store.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/router.h"
#include "api/server.h"
#include "api/services.h"
#include "engine/status.h"

namespace actiond::storage {
class ActionCatalog;
class ProjectLocks;
}  // namespace actiond::storage

namespace actiond::api {

struct AppConfig {
  std::string listen = "127.0.0.1:8000";  // HOST:PORT ([v6-address]:PORT for IPv6)
  std::string data_dir = "./data";
  bool fsync = false;  // fsync the WAL on every commit
  int threads = 0;     // 0: one per core
  size_t max_connections = 10'000;
  // Seconds a client has for a request's header (from accept, or from its first byte on a
  // kept-alive connection), for its body once the header is in, and between requests on a
  // kept-alive connection; past them the connection is closed (api/server.h).
  double header_timeout_s = 10;
  double body_timeout_s = 30;
  double idle_timeout_s = 60;
  std::string personal_api_key;                 // ACTIOND_PERSONAL_API_KEY
  std::string project_token;                    // ACTIOND_PROJECT_TOKEN
  std::string admin_email = "admin@localhost";  // ACTIOND_ADMIN_EMAIL
};

// Fills the fields an environment variable sets (ACTIOND_PERSONAL_API_KEY,
// ACTIOND_PROJECT_TOKEN, ACTIOND_ADMIN_EMAIL) from the process environment. Call it before
// parsing flags, so that flags override the environment.
void ApplyEnvironment(AppConfig& config);

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
  // Valid after Start().
  Server* server() noexcept { return server_.get(); }
  const Services& services() const noexcept { return services_; }

 private:
  Status OpenStore();
  void AddRoutes();
  // After the server has drained: stops backfills, closes the store (logs a failure).
  void Shutdown();

  AppConfig config_;
  Router router_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::ActionCatalog> catalog_;
  std::unique_ptr<storage::ProjectLocks> locks_;
  std::unique_ptr<storage::IngestPipeline> ingest_;
  std::unique_ptr<storage::ActionService> actions_;
  std::unique_ptr<Authenticator> auth_;
  Services services_;
  std::unique_ptr<Server> server_;
};

}  // namespace actiond::api
