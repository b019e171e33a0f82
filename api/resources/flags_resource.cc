#include "api/resources/flags_resource.h"

#include "api/http/cors.h"
#include "api/http/json_writer.h"
#include "service/random.h"

namespace actiond::api {
namespace {

// What posthog-js reads from the remote config: everything optional is off.
void WriteRemoteConfig(JsonWriter& w, std::string_view token) {
  w.BeginObject();
  w.Member("token", token);
  w.Key("supportedCompression").BeginArray().String("gzip").String("gzip-js").EndArray();
  w.Key("hasFeatureFlags").Bool(false);
  w.Key("captureDeadClicks").Bool(false);
  w.Key("capturePerformance").Bool(false);
  w.Key("autocapture_opt_out").Bool(false);
  w.Key("autocaptureExceptions").Bool(false);
  w.Key("analytics").BeginObject().Member("endpoint", "/i/v0/e/").EndObject();
  w.Key("elementsChainAsString").Bool(true);
  w.Key("sessionRecording").Bool(false);
  w.Key("heatmaps").Bool(false);
  w.Key("surveys").Bool(false);
  w.Key("defaultIdentifiedOnly").Bool(true);
  w.Key("siteApps").BeginArray().EndArray();
  w.EndObject();
}

void HandleFlags(const RouteRequest& rr, HttpResponse& res) {
  if (rr.method() == http::verb::options) {
    WritePreflight(rr.http(), res);
    return;
  }
  AddCorsHeaders(rr.http(), res);
  SetJson(res, http::status::ok, FlagsResponseBody());
}

void HandleConfig(const RouteRequest& rr, HttpResponse& res) {
  AddCorsHeaders(rr.http(), res);
  std::string body;
  JsonWriter w(body);
  WriteRemoteConfig(w, rr.Param("token"));
  SetJson(res, http::status::ok, std::move(body));
}

void HandleConfigJs(const RouteRequest& rr, HttpResponse& res) {
  AddCorsHeaders(rr.http(), res);
  std::string config;
  JsonWriter w(config);
  WriteRemoteConfig(w, rr.Param("token"));
  // JSON is a JavaScript expression; the token is quoted by the writer, so the path cannot
  // inject script.
  std::string body =
      "(function() {\n  window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};\n  "
      "window._POSTHOG_REMOTE_CONFIG[";
  body += JsonQuote(rr.Param("token"));
  body += "] = {\n    config: ";
  body += config;
  body += ",\n    siteApps: []\n  }\n})();\n";
  res.result(http::status::ok);
  res.set(http::field::content_type, "application/javascript");
  res.body() = std::move(body);
}

}  // namespace

std::string FlagsResponseBody() {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("featureFlags").BeginObject().EndObject();
  w.Key("featureFlagPayloads").BeginObject().EndObject();
  w.Key("errorsWhileComputingFlags").Bool(false);
  w.Key("flags").BeginObject().EndObject();
  w.Member("requestId", service::RandomUuidV4());
  w.Key("config").BeginObject().Key("enable_collect_everything").Bool(true).EndObject();
  w.Key("supportedCompression").BeginArray().String("gzip").String("gzip-js").EndArray();
  w.Key("sessionRecording").Bool(false);
  w.Key("toolbarParams").BeginObject().EndObject();
  w.Key("isAuthenticated").Bool(false);
  w.Key("siteApps").BeginArray().EndArray();
  w.Key("capturePerformance").Bool(false);
  w.Key("autocapture_opt_out").Bool(false);
  w.Key("autocaptureExceptions").Bool(false);
  w.Key("surveys").Bool(false);
  w.Key("heatmaps").Bool(false);
  w.Key("elementsChainAsString").Bool(true);
  w.EndObject();
  return body;
}

void RegisterFlagsRoutes(Router& router) {
  for (const std::string_view path : {"/flags", "/decide"}) {
    for (const http::verb verb : {http::verb::get, http::verb::post, http::verb::options}) {
      router.Add(verb, path, HandleFlags);
    }
  }
  router.Add(http::verb::get, "/array/:token/config", HandleConfig);
  router.Add(http::verb::get, "/array/:token/config.js", HandleConfigJs);
}

}  // namespace actiond::api
