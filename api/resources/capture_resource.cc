#include "api/resources/capture_resource.h"

#include <boost/beast/core/string.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/clock.h"
#include "api/error_response.h"
#include "api/http/capture_decoder.h"
#include "api/http/cors.h"
#include "api/http/query_params.h"
#include "api/log.h"
#include "engine/capture_payload.h"
#include "service/account_service.h"
#include "service/apply_executor.h"
#include "service/cluster_node.h"
#include "service/ingest_pipeline.h"
#include "service/random.h"

namespace actiond::api {
namespace {

constexpr std::string_view kCapturePaths[] = {"/batch",   "/e",     "/i/v0/e",
                                              "/capture", "/track", "/engage"};
constexpr std::string_view kV1EventsPath = "/i/v1/analytics/events";

std::string_view BearerToken(std::string_view authorization) {
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  if (authorization.size() < 7) return {};
  if (!boost::beast::iequals(authorization.substr(0, 7), "bearer ")) return {};
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

// Parsed capture requests travel from the I/O thread to the apply stage and back here, so
// that their buffers (each event's strings, the parsed body that matching reads) keep their
// capacity from one request to the next: steady ingestion allocates nothing per event
// (docs/architecture.md §3).
class CaptureRequestPool {
 public:
  std::unique_ptr<engine::CaptureRequest> Acquire() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return std::make_unique<engine::CaptureRequest>();
    std::unique_ptr<engine::CaptureRequest> request = std::move(free_.back());
    free_.pop_back();
    return request;
  }
  void Release(std::unique_ptr<engine::CaptureRequest> request) {
    engine::ReleaseLargeBuffers(request.get());  // outside the lock: it may free memory
    std::lock_guard lock(mutex_);
    if (free_.size() < kKept) free_.push_back(std::move(request));
  }

 private:
  static constexpr size_t kKept = 64;  // about the requests in flight at once
  std::mutex mutex_;
  std::vector<std::unique_ptr<engine::CaptureRequest>> free_;
};

CaptureRequestPool& RequestPool() {
  static CaptureRequestPool pool;
  return pool;
}

// Returns a request to the pool however its handling ends.
struct PooledRequest {
  std::unique_ptr<engine::CaptureRequest> request = RequestPool().Acquire();
  PooledRequest() = default;
  PooledRequest(PooledRequest&&) = default;
  PooledRequest& operator=(PooledRequest&&) = default;
  PooledRequest(const PooledRequest&) = delete;
  PooledRequest& operator=(const PooledRequest&) = delete;
  ~PooledRequest() {
    if (request) RequestPool().Release(std::move(request));
  }
};

// The apply stage's answer to one capture request: `res` already carries its CORS headers.
void Apply(const Services& services, service::ProjectId project, const PooledRequest& pooled,
           HttpResponse& res) {
  Result<service::IngestResult> ingested = services.ingest->Ingest(project, *pooled.request);
  if (!ingested.ok()) {
    // A store that cannot write logs one line when it stops, not one per refused request.
    if (ingested.status().code() >= StatusCode::kUnavailable &&
        ingested.status().reason() != StatusReason::kStoreUnwritable) {
      ACTIOND_LOG(ERROR) << "capture: ingest into project " << project << ": "
                         << ingested.status().ToString();
    }
    WriteCaptureError(ingested.status(), res);
    return;
  }
  SetJson(res, http::status::ok, R"({"status":1})");
}

struct Endpoint {
  bool engage = false;
  bool v1 = false;  // token from `Authorization: Bearer`
};

void HandleCapture(const Services& services, Endpoint endpoint, const RouteRequest& rr,
                   HttpResponse& res) {
  const HttpRequest& req = rr.http();
  AddCorsHeaders(req, res);
  if (req.method() == http::verb::options) {
    WritePreflight(req, res);
    return;
  }
  const int64_t now_ms = NowMs();

  Result<std::string> decoded = DecodeCapturePayload(req);
  if (!decoded.ok()) {
    WriteCaptureError(decoded.status(), res);
    return;
  }

  engine::CaptureOptions options;
  options.now_ms = now_ms;
  options.engage = endpoint.engage;
  if (endpoint.v1) options.external_token = BearerToken(req[http::field::authorization]);
  if (const auto sent = rr.query_params().Get("_")) {
    const int64_t ms = ParseNonNegativeInt(sent, -1);
    if (ms >= 0) options.query_sent_at_ms = ms;
  }
  static service::SystemRandom random;  // stateless: safe to share between threads
  options.random = &random;

  // One parser per I/O thread and pooled request buffers, reused (docs/architecture.md §3).
  thread_local engine::CapturePayloadParser parser;
  PooledRequest pooled;
  engine::CaptureRequest& request = *pooled.request;
  if (const Status status = parser.Parse(*decoded, options, &request); !status.ok()) {
    WriteCaptureError(status, res);
    return;
  }

  Result<std::optional<service::Project>> project =
      services.accounts->FindProjectByToken(request.token);
  if (!project.ok()) {
    ACTIOND_LOG(ERROR) << "capture: token lookup: " << project.status().ToString();
    WriteCaptureError(project.status(), res);
    return;
  }
  if (!project->has_value()) {
    WriteCaptureError(Status(StatusCode::kUnauthenticated, ""), res);  // the table's detail
    return;
  }
  const service::ProjectId project_id = (*project)->id;
  if (services.cluster != nullptr) {
    // Cluster mode (docs/cluster.md §Capture): the log is the truth. The request is answered
    // 200 once Kafka holds its record, whichever node will apply it; 503 when it could not
    // take it, so the client retries (the events' uuids keep a retry from counting twice).
    DeferredReply reply = rr.Defer();
    services.cluster->ProduceCapture(request.token, now_ms, request.events,
                                     [reply, answer = res](const Status& delivered) mutable {
                                       if (delivered.ok()) {
                                         SetJson(answer, http::status::ok, R"({"status":1})");
                                       } else {
                                         WriteCaptureError(delivered, answer);
                                       }
                                       reply(std::move(answer));
                                     });
    return;
  }
  if (services.apply == nullptr) {  // no apply stage (tools, tests): apply on this thread
    Apply(services, project_id, pooled, res);
    return;
  }
  // The apply stage (service/apply_executor.h) stores and matches the events; this I/O thread
  // is free for other requests meanwhile, and the answer leaves when the batch has committed.
  DeferredReply reply = rr.Defer();
  // Jobs are std::functions (copyable): the request's buffers ride in a shared_ptr.
  auto held = std::make_shared<PooledRequest>(std::move(pooled));
  auto job = [&services, project_id, reply, held, answer = res]() mutable {
    Apply(services, project_id, *held, answer);
    reply(std::move(answer));
  };
  if (!services.apply->TrySubmit(project_id, std::move(job))) {
    HttpResponse busy = res;
    WriteCaptureError(Status(StatusCode::kUnavailable,
                             "The server is applying as many requests as it queues; retry later."),
                      busy);
    reply(std::move(busy));
  }
}

}  // namespace

void WriteCaptureError(const Status& status, HttpResponse& res) {
  WriteError(status, res, ErrorSurface::kCapture);
}

void RegisterCaptureRoutes(Router& router, const Services& services) {
  auto add = [&](std::string_view path, Endpoint endpoint) {
    auto handler = [&services, endpoint](const RouteRequest& rr, HttpResponse& res) {
      HandleCapture(services, endpoint, rr, res);
    };
    for (const http::verb verb : {http::verb::post, http::verb::get, http::verb::options}) {
      router.Add(verb, path, handler);
    }
  };
  for (const std::string_view path : kCapturePaths) {
    add(path, Endpoint{.engage = path == "/engage", .v1 = false});
  }
  add(kV1EventsPath, Endpoint{.engage = false, .v1 = true});
}

}  // namespace actiond::api
