#include "api/web_mounts.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "api/http/static_files.h"
#include "api/log.h"
#include "engine/str_cat.h"

#ifndef ACTIOND_SOURCE_WEB_DIR
#define ACTIOND_SOURCE_WEB_DIR ""
#endif

namespace actiond::api {
namespace {

bool HasIndex(const std::string& dir) {
  struct stat st {};
  return !dir.empty() && ::stat((dir + "/index.html").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The directory of the running executable; "" when /proc is not there.
std::string ExecutableDir() {
  std::array<char, 4096> buffer{};
  const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return "";
  std::string path(buffer.data(), static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace

std::string ResolveWebDir(const AppConfig& config) {
  if (!config.web_dir.empty()) return config.web_dir;
  const std::string exe_dir = ExecutableDir();
  if (!exe_dir.empty() && HasIndex(exe_dir + "/../share/actiond/web")) {
    return exe_dir + "/../share/actiond/web";
  }
  if (HasIndex(ACTIOND_SOURCE_WEB_DIR)) return ACTIOND_SOURCE_WEB_DIR;
  return "";
}

Status MountWebFiles(const AppConfig& config, Router& router, std::string* web_dir) {
  web_dir->clear();
  const std::string dir = ResolveWebDir(config);
  if (dir.empty()) {
    ACTIOND_LOG(WARNING) << "no web page found (give --web-dir): `/` is not served";
  } else {
    StaticFilesOptions options;
    options.root = dir;
    options.headers = {
        {"Content-Security-Policy", std::string(kWebContentSecurityPolicy)},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
    };
    Result<std::shared_ptr<const StaticFiles>> files = StaticFiles::Open(std::move(options));
    if (!files.ok()) {
      return Status(StatusCode::kNotFound,
                    engine::StrCat({"--web-dir: ", files.status().message()}), "web_dir");
    }
    *web_dir = (*files)->root();
    MountStaticFiles(router, "/", std::move(*files));
    ACTIOND_LOG(INFO) << "serving the web page from " << *web_dir;
  }
  if (!config.posthog_js_dir.empty()) {
    StaticFilesOptions options;
    options.root = config.posthog_js_dir;
    // PostHog's snippet loads array.js with crossOrigin="anonymous" from any site: a CORS
    // request, which the browser refuses without this header. The files are public.
    options.headers = {{"Access-Control-Allow-Origin", "*"}};
    Result<std::shared_ptr<const StaticFiles>> files = StaticFiles::Open(std::move(options));
    if (!files.ok()) {
      return Status(StatusCode::kNotFound,
                    engine::StrCat({"--posthog-js-dir: ", files.status().message()}),
                    "posthog_js_dir");
    }
    ACTIOND_LOG(INFO) << "serving posthog-js at /static/ from " << (*files)->root();
    MountStaticFiles(router, "/static", std::move(*files));
  }
  return Status::Ok();
}

}  // namespace actiond::api
