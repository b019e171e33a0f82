// Routes requests by method and path pattern to handler callables registered at start-up.
//
// Patterns are '/'-separated segments; a segment `:name` is a parameter that matches one
// non-empty path segment (`/api/projects/:project_id/actions/:id/count`). A last segment `*name`
// is a prefix route: it matches the rest of the path, zero or more segments, and binds them with
// their '/' separators (`/static/*path` gives `path` = "lib/a.js" for `/static/lib/a.js` and ""
// for `/static`); static files are mounted this way (api/http/static_files.h). Every route answers
// with and without a trailing slash. The query string is split off before matching. When
// several patterns match a path, the one with a literal segment where the other has a parameter
// wins (at the first position where they differ), and a parameter beats a prefix segment, so
// `/actions/people` beats `/actions/:id` and `/api/...` beats `/*path` whatever the registration
// order. As in Django, the path picks the pattern first and the method
// second: a path that matches no pattern answers 404 `not_found`; a matched pattern without a
// handler for the method answers 405 `method_not_allowed` with an `Allow` header.
//
// Path parameters are raw (not percent-decoded) views into the request target.
//
// Observer: when set, every answered request is reported once (api/http/request_record.h) with
// its route pattern, status, body size and duration — when its answer is ready, deferred or
// not — for metrics and the access log. A prefix route's 404 is reported as unmatched
// (kUnmatchedRoute), so that junk paths under a mount at `/` are counted as unknown paths.
//
// Thread-safety: register every route with Add() (and set the observer) before the server
// starts; Handle() is then
// safe to call concurrently. A route handler that throws is answered with 500 (server_error);
// the exception is logged.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/http_message.h"
#include "api/http/query_params.h"
#include "api/http/request_handler.h"
#include "api/http/request_record.h"

namespace actiond::api {

// What a route handler sees of a matched request. Views point into the request and live as
// long as it does; a RouteRequest must not outlive the Handle() call that made it.
class RouteRequest {
 public:
  static constexpr size_t kMaxParams = 8;

  explicit RouteRequest(const HttpRequest& request, ResponseChannel* channel = nullptr);

  const HttpRequest& http() const noexcept { return request_; }
  http::verb method() const noexcept { return request_.method(); }
  std::string_view path() const noexcept { return path_; }    // without the query
  std::string_view query() const noexcept { return query_; }  // raw text after '?'
  const std::string& body() const noexcept { return request_.body(); }
  // A request header's value; empty when absent.
  std::string_view header(http::field field) const { return request_[field]; }

  // The value of path parameter `name`; empty when the pattern has no such parameter.
  std::string_view Param(std::string_view name) const noexcept;
  // The decoded query string, parsed on first use.
  const QueryParams& query_params() const;
  // Answers later: the handler's `res` is then ignored and the reply sends the answer (see
  // ResponseChannel). Requires a channel (Router::Handle always gives one).
  DeferredReply Defer() const { return channel_->Defer(); }

 private:
  friend class Router;
  struct BoundParam {
    std::string_view name;
    std::string_view value;
  };

  const HttpRequest& request_;
  ResponseChannel* channel_;
  std::string_view path_;
  std::string_view query_;
  std::array<BoundParam, kMaxParams> params_{};
  size_t param_count_ = 0;
  mutable std::optional<QueryParams> query_params_;
};

using RouteHandler = std::function<void(const RouteRequest&, HttpResponse&)>;

class Router final : public RequestHandler {
 public:
  // Registers `handler` for `method` on `pattern` (a leading '/' is required; a trailing '/' is
  // ignored). Registering the same method and pattern twice replaces the handler. At most
  // RouteRequest::kMaxParams parameters per pattern. `in_allow` false: the handler exists only
  // to refuse the method in a route's own words (a 405 of its own, as hard DELETE of an action),
  // so the method is left out of the route's `Allow` header.
  void Add(http::verb method, std::string_view pattern, RouteHandler handler, bool in_allow = true);

  // Reports each answered request; set before the server starts.
  void set_observer(RequestObserver observer) { observer_ = std::move(observer); }

  // Synchronous: a deferred answer is waited for (tests and tools).
  void Handle(const HttpRequest& req, HttpResponse& res) noexcept override;
  void Handle(const HttpRequest& req, HttpResponse& res,
              ResponseChannel& channel) noexcept override;

 private:
  // Ordered from most to least specific: routes sort by the kind at their first difference.
  enum class SegmentKind { kLiteral, kParam, kRest };
  struct Segment {
    std::string text;  // literal text, or the parameter name without ':' or '*'
    SegmentKind kind;
  };
  struct MethodHandler {
    http::verb method;
    RouteHandler handler;
  };
  struct Route {
    std::string pattern;  // normalised, for de-duplication and the log
    std::vector<Segment> segments;
    std::vector<MethodHandler> handlers;
    std::string allow;  // "GET, POST": the Allow header of a 405
  };

  // Answers the request; sets `*route` to the matched pattern (null: none matched) and
  // `*project_id` to its :project_id parameter.
  void Dispatch(const HttpRequest& req, HttpResponse& res, ResponseChannel& channel,
                const std::string** route, std::string_view* project_id);
  // Binds `route`'s parameters into `rr` when `segments` match it.
  static bool Match(const Route& route, const std::vector<std::string_view>& segments,
                    RouteRequest& rr) noexcept;

  std::vector<Route> routes_;  // most specific first
  RequestObserver observer_;
};

}  // namespace actiond::api
