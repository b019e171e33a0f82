#include "api/app.h"

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "api/auth.h"
#include "api/clock.h"
#include "api/http/query_params.h"
#include "api/http/webhook_client.h"
#include "api/log.h"
#include "api/resources/actions_resource.h"
#include "api/resources/admin_resource.h"
#include "api/resources/capture_resource.h"
#include "api/resources/events_resource.h"
#include "api/resources/flags_resource.h"
#include "api/resources/hooks_resource.h"
#include "api/resources/personal_keys_resource.h"
#include "api/resources/persons_resource.h"
#include "api/resources/projects_resource.h"
#include "api/resources/users_resource.h"
#include "api/resources/webhook_deliveries_resource.h"
#include "api/rest_route.h"
#include "service/account_service.h"
#include "service/action_service.h"
#include "service/service_stack.h"
#include "service/webhook_service.h"

namespace actiond::api {
namespace {

Status Health(const Services&, const RouteRequest&, RouteReply& reply) {
  reply.body = R"({"status":"ok"})";
  return Status::Ok();
}

}  // namespace

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

App::~App() {
  if (webhook_client_) webhook_client_->Stop();
}

Status App::OpenServices() {
  service::ServiceStackOptions options;
  options.data_dir = config_.data_dir;
  options.fsync = config_.fsync;
  options.clock = NowMs;
  options.log = [](std::string_view message) { ACTIOND_LOG(INFO) << message; };
  WebhookClientOptions client;
  client.ca_file = config_.webhook_ca_file;
  client.timeout =
      std::chrono::milliseconds(static_cast<int64_t>(config_.webhook_timeout_s * 1000));
  ACTIOND_ASSIGN_OR_RETURN(webhook_client_, WebhookClient::Create(std::move(client)));
  options.webhook_transport = webhook_client_.get();
  options.webhooks.site_url =
      config_.site_url.empty() ? "http://" + config_.listen : config_.site_url;
  while (!options.webhooks.site_url.empty() && options.webhooks.site_url.back() == '/') {
    options.webhooks.site_url.pop_back();  // links append `/project/…`
  }
  options.webhooks.max_attempts = config_.webhook_max_attempts;
  options.webhooks.outbox_max = config_.webhook_outbox_max;
  options.webhooks.backoff_base_ms = static_cast<int64_t>(config_.webhook_backoff_s * 1000);
  options.webhooks.per_target_concurrency = config_.webhook_concurrency;
  service::ApplyExecutorOptions apply;
  apply.threads = config_.ingest_threads;
  apply.max_queued = config_.ingest_queue;
  options.apply = apply;
  options.backfill.chunk_events = config_.backfill_chunk_events;
  options.backfill.pause_between_chunks = std::chrono::milliseconds(config_.backfill_pause_ms);
  ACTIOND_ASSIGN_OR_RETURN(stack_, service::ServiceStack::Open(std::move(options)));

  service::BootstrapSettings settings;
  settings.project_token = config_.project_token;
  settings.personal_api_key = config_.personal_api_key;
  settings.admin_email = config_.admin_email;
  ACTIOND_ASSIGN_OR_RETURN(const service::BootstrapResult boot,
                           stack_->accounts().Bootstrap(settings));
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

  // Every live action must be in the catalog before the first event is matched.
  ACTIOND_RETURN_IF_ERROR(stack_->actions().LoadAll());
  // After the actions (their message rules) and before serving: resumes the outbox.
  ACTIOND_RETURN_IF_ERROR(stack_->StartWebhooks());
  auth_ = std::make_unique<Authenticator>(&stack_->accounts());

  services_.accounts = &stack_->accounts();
  services_.ingest = &stack_->ingest();
  services_.apply = stack_->apply();
  services_.actions = &stack_->actions();
  services_.events = &stack_->events();
  services_.persons = &stack_->persons();
  services_.webhooks = stack_->webhooks();
  services_.backup = &stack_->backup();
  services_.auth = auth_.get();
  return Status::Ok();
}

void App::AddRoutes() {
  router_.Add(http::verb::get, "/_health", RestRoute(services_, Health));
  RegisterCaptureRoutes(router_, services_);
  RegisterFlagsRoutes(router_);
  RegisterProjectRoutes(router_, services_);
  RegisterPersonalKeyRoutes(router_, services_);
  RegisterUserRoutes(router_, services_);
  RegisterEventRoutes(router_, services_);
  RegisterPersonRoutes(router_, services_);
  RegisterHookRoutes(router_, services_);
  RegisterAdminRoutes(router_, services_);
  RegisterWebhookDeliveryRoutes(router_, services_);
  // The Actions REST API (api/resources/actions_resource.h).
  RegisterActionRoutes(router_, services_);
}

Status App::Start() {
  ServerOptions options;
  ACTIOND_RETURN_IF_ERROR(ParseListenAddress(config_.listen, options.host, options.port));
  options.threads = config_.threads;
  options.max_connections = config_.max_connections;
  auto ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  };
  options.header_timeout = ms(config_.header_timeout_s);
  options.body_timeout = ms(config_.body_timeout_s);
  options.idle_timeout = ms(config_.idle_timeout_s);
  ACTIOND_RETURN_IF_ERROR(OpenServices());
  AddRoutes();
  server_ = std::make_unique<Server>(std::move(options), router_);
  ACTIOND_RETURN_IF_ERROR(server_->Start());
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
  if (stack_) {
    // Stops the deliver stage first (deliveries in flight stay pending in the outbox).
    if (const Status status = stack_->Close(); !status.ok()) {
      ACTIOND_LOG(ERROR) << "closing the store: " << status.ToString();
    }
  }
  if (webhook_client_) webhook_client_->Stop();
}

}  // namespace actiond::api
