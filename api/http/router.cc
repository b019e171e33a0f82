#include "api/http/router.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <string>

#include "api/error_response.h"
#include "api/log.h"

namespace actiond::api {
namespace {

// Drops one trailing '/' so that `/a/b/` and `/a/b` route alike; "/" stays "/".
std::string_view StripTrailingSlash(std::string_view path) noexcept {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

// The segments of a normalised path: "/a/b" → {"a", "b"}; "/" → {}.
void SplitSegments(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return;
  while (true) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

RouteRequest::RouteRequest(const HttpRequest& request, ResponseChannel* channel)
    : request_(request), channel_(channel) {
  const TargetParts parts = SplitTarget(request.target());
  path_ = parts.path;
  query_ = parts.query;
}

std::string_view RouteRequest::Param(std::string_view name) const noexcept {
  for (size_t i = 0; i < param_count_; ++i) {
    if (params_[i].name == name) return params_[i].value;
  }
  return {};
}

const QueryParams& RouteRequest::query_params() const {
  if (!query_params_) query_params_ = QueryParams::Parse(query_);
  return *query_params_;
}

void Router::Add(http::verb method, std::string_view pattern, RouteHandler handler, bool in_allow) {
  const std::string normalized(StripTrailingSlash(pattern));
  auto it = std::find_if(routes_.begin(), routes_.end(),
                         [&](const Route& r) { return r.pattern == normalized; });
  if (it == routes_.end()) {
    Route route;
    route.pattern = normalized;
    std::vector<std::string_view> parts;
    SplitSegments(normalized, parts);
    size_t params = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string_view part = parts[i];
      SegmentKind kind = SegmentKind::kLiteral;
      if (!part.empty() && part.front() == ':') kind = SegmentKind::kParam;
      if (!part.empty() && part.front() == '*') kind = SegmentKind::kRest;
      if (kind == SegmentKind::kRest && i + 1 != parts.size()) {
        ACTIOND_LOG(ERROR) << "route " << normalized << ": '*' only ends a pattern; ignored";
        return;
      }
      params += kind == SegmentKind::kLiteral ? 0 : 1;
      route.segments.push_back(
          {std::string(kind == SegmentKind::kLiteral ? part : part.substr(1)), kind});
    }
    if (params > RouteRequest::kMaxParams) {
      ACTIOND_LOG(ERROR) << "route " << normalized << " has too many parameters; ignored";
      return;
    }
    routes_.push_back(std::move(route));
    // Literal before parameter before prefix at the first differing position; stable for
    // equal keys.
    std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
      const size_t n = std::min(a.segments.size(), b.segments.size());
      for (size_t i = 0; i < n; ++i) {
        if (a.segments[i].kind != b.segments[i].kind)
          return a.segments[i].kind < b.segments[i].kind;
      }
      return false;
    });
    it = std::find_if(routes_.begin(), routes_.end(),
                      [&](const Route& r) { return r.pattern == normalized; });
  }
  Route& route = *it;
  for (MethodHandler& mh : route.handlers) {
    if (mh.method == method) {
      mh.handler = std::move(handler);
      return;
    }
  }
  route.handlers.push_back({method, std::move(handler)});
  if (!in_allow) return;
  if (!route.allow.empty()) route.allow.append(", ");
  route.allow.append(http::to_string(method));
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& segments,
                   RouteRequest& rr) noexcept {
  const bool prefix = !route.segments.empty() && route.segments.back().kind == SegmentKind::kRest;
  if (prefix ? segments.size() + 1 < route.segments.size()
             : route.segments.size() != segments.size()) {
    return false;
  }
  rr.param_count_ = 0;
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const Segment& seg = route.segments[i];
    if (seg.kind == SegmentKind::kRest) {
      // The rest of the path, separators included: segments are views into one path.
      std::string_view rest;
      if (i < segments.size()) {
        const char* begin = segments[i].data();
        rest = std::string_view(
            begin, static_cast<size_t>(segments.back().data() + segments.back().size() - begin));
      }
      rr.params_[rr.param_count_++] = {seg.text, rest};
    } else if (seg.kind == SegmentKind::kParam) {
      if (segments[i].empty()) return false;
      rr.params_[rr.param_count_++] = {seg.text, segments[i]};
    } else if (seg.text != segments[i]) {
      return false;
    }
  }
  return true;
}

void Router::Dispatch(const HttpRequest& req, HttpResponse& res, ResponseChannel& channel,
                      const std::string** route_out, std::string_view* project_id) {
  RouteRequest rr(req, &channel);
  // Routing allocates one small vector per request; not per event, so not worth a pool.
  std::vector<std::string_view> segments;
  SplitSegments(StripTrailingSlash(rr.path()), segments);
  for (const Route& route : routes_) {
    if (!Match(route, segments, rr)) continue;
    *route_out = &route.pattern;
    *project_id = rr.Param("project_id");
    for (const MethodHandler& mh : route.handlers) {
      if (mh.method == req.method()) {
        mh.handler(rr, res);
        // A prefix route with nothing at the path (a static mount at `/` without that file) is
        // reported as unmatched, as the path was before the mount (docs/operations.md §9).
        if (!route.segments.empty() && route.segments.back().kind == SegmentKind::kRest &&
            res.result() == http::status::not_found) {
          *route_out = nullptr;
        }
        return;
      }
    }
    WriteMethodNotAllowed(req.method_string(), route.allow, res);
    return;
  }
  WriteError(NotFound("Not found."), res);
}

namespace {

// Router::Handle's synchronous form: a deferred answer is handed over through a promise.
class WaitingChannel final : public ResponseChannel {
 public:
  DeferredReply Defer() override {
    deferred_ = true;
    return [promise = promise_](HttpResponse&& res) { promise->set_value(std::move(res)); };
  }
  bool deferred() const noexcept { return deferred_; }
  HttpResponse Wait() { return promise_->get_future().get(); }

 private:
  bool deferred_ = false;
  std::shared_ptr<std::promise<HttpResponse>> promise_ =
      std::make_shared<std::promise<HttpResponse>>();
};

// Reports a request to the router's observer when its answer is ready: at once for a
// synchronous answer, or when a deferred one is sent (the DeferredReply is wrapped).
class ObservingChannel final : public ResponseChannel {
 public:
  ObservingChannel(ResponseChannel& inner, const RequestObserver& observer, std::string_view method)
      : inner_(inner), observer_(observer), method_(method) {}

  DeferredReply Defer() override {
    deferred_ = true;
    DeferredReply reply = inner_.Defer();
    // The request may be gone when the reply is sent: copy what the report needs.
    return [reply = std::move(reply), observer = &observer_, method = std::string(method_),
            route = std::string(route_name()), project = std::string(project_id),
            start = start_](HttpResponse&& res) mutable {
      Report(*observer, method, route, project, res, start);
      reply(std::move(res));
    };
  }

  // Set by Dispatch when a route matches, before its handler runs (and so before Defer()).
  const std::string* route = nullptr;
  std::string_view project_id;

  bool deferred() const noexcept { return deferred_; }
  void ReportNow(const HttpResponse& res) const {
    Report(observer_, method_, route_name(), project_id, res, start_);
  }

  static void Report(const RequestObserver& observer, std::string_view method,
                     std::string_view route, std::string_view project_id, const HttpResponse& res,
                     std::chrono::steady_clock::time_point start) {
    if (!observer) return;
    try {
      RequestRecord record;
      record.method = method;
      record.route = route;
      record.status = res.result_int();
      record.body_bytes = res.body().size();
      record.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      record.project_id = project_id;
      observer(record);
    } catch (...) {
      // Metrics and the access log never fail a request.
    }
  }

 private:
  ResponseChannel& inner_;
  const RequestObserver& observer_;
  std::string_view route_name() const noexcept {
    return route != nullptr ? std::string_view(*route) : kUnmatchedRoute;
  }

  std::string_view method_;  // a view into the request, which outlives the synchronous report
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool deferred_ = false;
};

}  // namespace

void Router::Handle(const HttpRequest& req, HttpResponse& res) noexcept {
  WaitingChannel channel;
  Handle(req, res, channel);
  if (!channel.deferred()) return;
  try {
    res = channel.Wait();
  } catch (...) {
    res.result(http::status::internal_server_error);
  }
}

void Router::Handle(const HttpRequest& req, HttpResponse& res, ResponseChannel& channel) noexcept {
  // Constructed outside the try: it only stores views and reads the clock.
  ObservingChannel observing(channel, observer_, req.method_string());
  try {
    Dispatch(req, res, observing, &observing.route, &observing.project_id);
    if (!observing.deferred()) observing.ReportNow(res);
    return;
  } catch (const std::exception& e) {
    ACTIOND_LOG(ERROR) << req.method_string() << " " << req.target()
                       << ": handler threw: " << e.what();
  } catch (...) {
    ACTIOND_LOG(ERROR) << req.method_string() << " " << req.target()
                       << ": handler threw a non-standard exception";
  }
  try {
    res = HttpResponse();
    WriteError(Internal("handler threw"), res);
  } catch (...) {
    // Out of memory while building the error: leave the bare 500 to the server.
    res.result(http::status::internal_server_error);
  }
  if (!observing.deferred()) observing.ReportNow(res);
}

}  // namespace actiond::api
