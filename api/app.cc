#include "api/app.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "api/access_log.h"
#include "api/auth.h"
#include "api/clock.h"
#include "api/http/forward_client.h"
#include "api/http/query_params.h"
#include "api/http/webhook_client.h"
#include "api/log.h"
#include "api/resources/actions_resource.h"
#include "api/resources/admin_resource.h"
#include "api/resources/capture_resource.h"
#include "api/resources/cluster_resource.h"
#include "api/resources/events_resource.h"
#include "api/resources/flags_resource.h"
#include "api/resources/hooks_resource.h"
#include "api/resources/personal_keys_resource.h"
#include "api/resources/persons_resource.h"
#include "api/resources/projects_resource.h"
#include "api/resources/users_resource.h"
#include "api/resources/webhook_deliveries_resource.h"
#include "api/rest_route.h"
#include "api/version.h"
#include "api/web_mounts.h"
#include "engine/personal_api_key_format.h"
#include "engine/str_cat.h"
#include "service/account_service.h"
#include "service/action_service.h"
#include "service/cluster_node.h"
#include "service/service_stack.h"
#include "service/webhook_service.h"

namespace actiond::api {
namespace {

Status Health(const Services&, const RouteRequest&, RouteReply& reply) {
  reply.body = R"({"status":"ok"})";
  return Status::Ok();
}

constexpr std::string_view kInitialCredentialsFile = "initial-credentials";

// Creates (or replaces) `path` with `text`, readable and writable by the owner only: the mode
// is set when the file is created, so the secret is never readable by others, not even briefly.
Status WritePrivateFile(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status(StatusCode::kIoError,
                  engine::StrCat({"cannot write ", path, ": ", std::strerror(errno)}));
  }
  bool ok = ::fchmod(fd, 0600) == 0;  // an existing file keeps its mode through O_CREAT
  size_t written = 0;
  while (ok && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    return Status(StatusCode::kIoError,
                  engine::StrCat({"cannot write ", path, ": ", std::strerror(errno)}));
  }
  return Status::Ok();
}

// The key of --personal-api-key-file: the file's first line, without surrounding spaces.
Result<std::string> ReadKeyFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return InvalidInput(
        engine::StrCat({"cannot read --personal-api-key-file ", path, ": ", std::strerror(errno)}),
        "personal_api_key_file");
  }
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), file));
  std::fclose(file);
  text = text.substr(0, text.find_first_of("\r\n"));
  return std::string(TrimOws(text));
}

// The start-up key, from its flag, variable or file, checked before anything is opened
// (docs/operations.md §Secrets).
Status ResolvePersonalApiKey(AppConfig& config) {
  if (!config.personal_api_key_file.empty()) {
    if (!config.personal_api_key.empty()) {
      return InvalidInput(
          "give the personal API key once: --personal-api-key or --personal-api-key-file",
          "personal_api_key");
    }
    ACTIOND_ASSIGN_OR_RETURN(config.personal_api_key, ReadKeyFile(config.personal_api_key_file));
  }
  if (config.personal_api_key.empty()) return Status::Ok();
  if (Status format = engine::CheckPersonalApiKeyFormat(config.personal_api_key); !format.ok()) {
    return InvalidInput(engine::StrCat({"refusing to start: ", format.message()}),
                        "personal_api_key");
  }
  if (engine::PersonalApiKeyIsShort(config.personal_api_key)) {
    ACTIOND_LOG(WARNING) << "the personal API key has fewer than "
                         << engine::kRecommendedPersonalApiKeySecretChars
                         << " characters after phx_: use a longer one (generated keys have 43)";
  }
  return Status::Ok();
}

// Liveness: the process answers HTTP at all (docs/operations.md §Health).
void Livez(const RouteRequest&, HttpResponse& res) {
  SetJson(res, http::status::ok, R"({"status":"ok"})");
}

}  // namespace

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

std::string App::PageUrl() const {
  std::string host;
  uint16_t port = 0;
  if (!ParseListenAddress(config_.listen, host, port).ok()) return "";
  // A wildcard address is not one a browser can open; loopback reaches it on this machine.
  if (host == "0.0.0.0" || host == "::") host = host == "::" ? "::1" : "127.0.0.1";
  if (host.find(':') != std::string::npos) host = engine::StrCat({"[", host, "]"});
  const uint16_t bound = server_ ? server_->port() : port;
  return engine::StrCat({"http://", host, ":", std::to_string(bound), "/"});
}

App::~App() {
  if (webhook_client_) webhook_client_->Stop();
}

Status App::OpenServices() {
  service::ServiceStackOptions options;
  options.data_dir = config_.data_dir;
  options.fsync = config_.fsync;
  options.keep_wal = config_.keep_wal;
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
  ACTIOND_ASSIGN_OR_RETURN(options.cluster, ClusterSettingsFrom(config_));
  ACTIOND_ASSIGN_OR_RETURN(stack_, service::ServiceStack::Open(std::move(options)));
  ACTIOND_LOG(INFO) << "store opened at " << config_.data_dir;

  service::BootstrapSettings settings;
  settings.project_token = config_.project_token;
  settings.personal_api_key = config_.personal_api_key;
  settings.admin_email = config_.admin_email;
  ACTIOND_ASSIGN_OR_RETURN(const service::BootstrapResult boot,
                           stack_->accounts().Bootstrap(settings));
  for (const std::string& warning : boot.warnings) ACTIOND_LOG(WARNING) << warning;
  // Printed once, on stdout, so that a script can capture them, and written to
  // DATA_DIR/initial-credentials (mode 0600) for whoever missed stdout; the store keeps the key
  // only hashed (docs/operations.md §First start).
  std::string credentials;
  if (boot.new_project_token) {
    credentials.append(engine::StrCat(
        {"actiond: project token of the default project (id 1): ", *boot.new_project_token, "\n"}));
  }
  if (boot.new_personal_api_key) {
    credentials.append(engine::StrCat(
        {"actiond: personal API key (shown once, keep it): ", *boot.new_personal_api_key, "\n"}));
    // Next to the key, so that whoever reads it knows where to use it (docs/web.md).
    if (!web_dir_.empty()) {
      credentials.append(
          engine::StrCat({"actiond: web page: ", PageUrl(), " (sign in with that key)\n"}));
    }
  }
  if (!credentials.empty()) {
    std::fwrite(credentials.data(), 1, credentials.size(), stdout);
    std::fflush(stdout);
    const std::string path = engine::StrCat({config_.data_dir, "/", kInitialCredentialsFile});
    if (const Status written = WritePrivateFile(path, credentials); !written.ok()) {
      ACTIOND_LOG(WARNING) << written.ToString();
    } else {
      ACTIOND_LOG(INFO) << "first start: the new secrets are also in " << path << " (mode 0600)";
    }
  }

  // Every live action must be in the catalog before the first event is matched.
  ACTIOND_RETURN_IF_ERROR(stack_->actions().LoadAll());
  // After the actions (their message rules) and before serving: resumes the outbox.
  ACTIOND_RETURN_IF_ERROR(stack_->StartWebhooks());
  // Last: applying the log needs the projects and the actions in place.
  ACTIOND_RETURN_IF_ERROR(stack_->StartCluster());
  if (stack_->cluster() != nullptr) {
    ACTIOND_LOG(INFO) << "cluster mode: node " << stack_->cluster()->settings().node_id
                      << ", topic " << stack_->cluster()->settings().events_topic() << " with "
                      << stack_->cluster()->partitions() << " partitions";
  }
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
  services_.cluster = stack_->cluster();
  if (services_.cluster != nullptr) {
    forward_client_ = std::make_unique<ForwardClient>();
    services_.forward = forward_client_.get();
  }
  return Status::Ok();
}

void App::AddRoutes() {
  router_.Add(http::verb::get, "/_health", RestRoute(services_, Health));
  router_.Add(http::verb::get, "/_livez", Livez);
  // Ready: the store is open, takes writes, and requests are served; 503 while starting,
  // draining, or while the store cannot write (docs/operations.md §Disk full).
  router_.Add(http::verb::get, "/_readyz", [this](const RouteRequest&, HttpResponse& res) {
    if (!ready_.load(std::memory_order_acquire)) {
      SetJson(res, http::status::service_unavailable, R"({"status":"not ready"})");
    } else if (!stack_->store_writable()) {
      SetJson(res, http::status::service_unavailable,
              R"({"status":"not ready","reason":"the store cannot write"})");
    } else if (services_.cluster != nullptr && !services_.cluster->CaughtUp()) {
      SetJson(res, http::status::service_unavailable,
              R"({"status":"not ready","reason":"catching up with the event log"})");
    } else {
      SetJson(res, http::status::ok, R"({"status":"ready"})");
    }
  });
  // Unauthenticated, like most Prometheus targets: it holds counts, never a secret or a
  // client-chosen label (docs/operations.md §Metrics).
  router_.Add(http::verb::get, "/metrics", [this](const RouteRequest&, HttpResponse& res) {
    res.result(http::status::ok);
    res.set(http::field::content_type, Metrics::kContentType);
    res.body() = metrics_.Render();
  });
  RegisterClusterRoutes(router_, services_);
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
  ACTIOND_RETURN_IF_ERROR(ResolvePersonalApiKey(config_));
  // Before anything is bound or opened: a wrong --web-dir fails the start at once.
  ACTIOND_RETURN_IF_ERROR(MountWebFiles(config_, router_, &web_dir_));
  options.threads = config_.threads;
  options.max_connections = config_.max_connections;
  auto ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  };
  options.header_timeout = ms(config_.header_timeout_s);
  options.body_timeout = ms(config_.body_timeout_s);
  options.idle_timeout = ms(config_.idle_timeout_s);
  ACTIOND_LOG(INFO) << "actiond " << Version() << " (commit " << GitCommit() << ") starting";
  // Bound before the store is opened or created: a busy port leaves no half-made data dir.
  // Nothing is accepted before Run(), so the routes are all in place by the first request.
  server_ = std::make_unique<Server>(std::move(options), router_);
  ACTIOND_RETURN_IF_ERROR(server_->Start());
  ACTIOND_RETURN_IF_ERROR(OpenServices());
  metrics_.set_snapshot_source([stack = stack_.get()] { return stack->Snapshot(); });
  router_.set_observer([this](const RequestRecord& request) {
    metrics_.Record(request);
    LogAccess(request);
  });
  AddRoutes();
  heap_trimmer_ = std::make_unique<HeapTrimmer>(ms(config_.heap_trim_interval_s));
  ready_.store(true, std::memory_order_release);
  ACTIOND_LOG(INFO) << "listening on " << config_.listen << " (port " << server_->port()
                    << "), data dir " << config_.data_dir;
  if (!web_dir_.empty()) ACTIOND_LOG(INFO) << "web page at " << PageUrl();
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
  ready_.store(false, std::memory_order_release);
  if (server_) server_->Stop();
}

void App::Shutdown() {
  if (stack_) {
    ACTIOND_LOG(INFO) << "closing the store";
    // Stops the deliver stage first (deliveries in flight stay pending in the outbox).
    if (const Status status = stack_->Close(); !status.ok()) {
      ACTIOND_LOG(ERROR) << "closing the store: " << status.ToString();
    }
  }
  if (webhook_client_) webhook_client_->Stop();
}

}  // namespace actiond::api
