#include "api/app.h"

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "api/actions_handler.h"
#include "api/auth.h"
#include "api/bootstrap.h"
#include "api/capture_handler.h"
#include "api/clock.h"
#include "api/events_api.h"
#include "api/flags_handler.h"
#include "api/log.h"
#include "api/personal_keys_api.h"
#include "api/persons_api.h"
#include "api/projects_api.h"
#include "api/query_params.h"
#include "api/users_api.h"
#include "storage/action_catalog.h"
#include "storage/action_service.h"
#include "storage/ingest_pipeline.h"
#include "storage/project_locks.h"
#include "storage/store.h"

namespace actiond::api {

void ApplyEnvironment(AppConfig& config) {
  if (const char* v = std::getenv("ACTIOND_PERSONAL_API_KEY"); v != nullptr && *v != '\0') {
    config.personal_api_key = v;
  }
  if (const char* v = std::getenv("ACTIOND_PROJECT_TOKEN"); v != nullptr && *v != '\0') {
    config.project_token = v;
  }
  if (const char* v = std::getenv("ACTIOND_ADMIN_EMAIL"); v != nullptr && *v != '\0') {
    config.admin_email = v;
  }
}

Status ParseListenAddress(const std::string& listen, std::string& host, uint16_t& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return InvalidInput("--listen must be HOST:PORT, got '" + listen + "'", "listen");
  }
  std::string h = listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  const int64_t p = ParseNonNegativeInt(std::string_view(listen).substr(colon + 1), -1, 65535);
  if (h.empty() || p < 0) {
    return InvalidInput("--listen must be HOST:PORT with a port in 0..65535, got '" + listen + "'",
                        "listen");
  }
  host = std::move(h);
  port = static_cast<uint16_t>(p);
  return Status::Ok();
}

App::App(AppConfig config) : config_(std::move(config)) {}

App::~App() = default;

Status App::OpenStore() {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) {
    return Status(StatusCode::kIoError,
                  "cannot create data dir " + config_.data_dir + ": " + ec.message());
  }
  storage::StoreOptions options;
  options.fsync = config_.fsync;
  ASSIGN_OR_RETURN(store_, storage::Store::Open(config_.data_dir, options));

  ASSIGN_OR_RETURN(const BootstrapResult boot, Bootstrap(*store_, config_, NowMs()));
  for (const std::string& warning : boot.warnings) ACTIOND_LOG(WARNING) << warning;
  // Printed once, on stdout, so that a script can capture them; they are stored only hashed.
  if (boot.new_project_token) {
    std::printf("actiond: project token of the default project (id 1): %s\n",
                boot.new_project_token->c_str());
  }
  if (boot.new_personal_api_key) {
    std::printf("actiond: personal API key (shown once, keep it): %s\n",
                boot.new_personal_api_key->c_str());
  }
  std::fflush(stdout);

  catalog_ = std::make_unique<storage::ActionCatalog>();
  locks_ = std::make_unique<storage::ProjectLocks>();
  ingest_ = std::make_unique<storage::IngestPipeline>(store_.get(), catalog_.get(), locks_.get());
  actions_ = std::make_unique<storage::ActionService>(
      store_.get(), catalog_.get(), locks_.get(), NowMs,
      [](std::string_view message) { ACTIOND_LOG(INFO) << message; });
  // Every live action must be in the catalog before the first event is matched.
  RETURN_IF_ERROR(actions_->LoadAll());
  auth_ = std::make_unique<Authenticator>(store_.get());

  services_.store = store_.get();
  services_.ingest = ingest_.get();
  services_.actions = actions_.get();
  services_.auth = auth_.get();
  return Status::Ok();
}

void App::AddRoutes() {
  router_.Add(http::verb::get, "/_health", [](const RouteRequest&, HttpResponse& res) {
    SetJson(res, http::status::ok, R"({"status":"ok"})");
  });
  RegisterCaptureRoutes(router_, services_);
  RegisterFlagsRoutes(router_);
  RegisterProjectRoutes(router_, services_);
  RegisterPersonalKeyRoutes(router_, services_);
  RegisterUserRoutes(router_, services_);
  RegisterEventRoutes(router_, services_);
  RegisterPersonRoutes(router_, services_);
  // The Actions REST API (api/actions_handler.h).
  RegisterActionRoutes(router_, services_);
}

Status App::Start() {
  ServerOptions options;
  RETURN_IF_ERROR(ParseListenAddress(config_.listen, options.host, options.port));
  options.threads = config_.threads;
  options.max_connections = config_.max_connections;
  auto ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  };
  options.header_timeout = ms(config_.header_timeout_s);
  options.body_timeout = ms(config_.body_timeout_s);
  options.idle_timeout = ms(config_.idle_timeout_s);
  RETURN_IF_ERROR(OpenStore());
  AddRoutes();
  server_ = std::make_unique<Server>(std::move(options), router_);
  RETURN_IF_ERROR(server_->Start());
  ACTIOND_LOG(INFO) << "listening on " << config_.listen << " (port " << server_->port()
                    << "), data dir " << config_.data_dir;
  return Status::Ok();
}

void App::Run() {
  if (!server_) return;  // Start() failed or was not called
  boost::asio::signal_set signals(server_->io_context(), SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    ACTIOND_LOG(INFO) << "signal " << signal << ": shutting down";
    Stop();
  });
  server_->Run();
  Shutdown();
  ACTIOND_LOG(INFO) << "stopped";
}

void App::Stop() {
  if (server_) server_->Stop();
}

void App::Shutdown() {
  if (actions_) actions_->Stop();
  if (store_) {
    if (const Status status = store_->Close(); !status.ok()) {
      ACTIOND_LOG(ERROR) << "closing the store: " << status.ToString();
    }
  }
}

}  // namespace actiond::api
