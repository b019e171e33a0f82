#include "api/http/static_files.h"

#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "api/error_response.h"
#include "api/http/gzip.h"
#include "api/http/query_params.h"
#include "api/log.h"
#include "engine/str_cat.h"

namespace actiond::api {
namespace {

constexpr std::string_view kAllow = "GET, HEAD";
constexpr size_t kMaxFileBytes = size_t{32} << 20;
// Below this, gzip's header and trailer eat most of what it saves.
constexpr size_t kGzipMinBytes = 512;
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

struct ContentType {
  std::string_view extension;
  std::string_view type;
  bool compressible;
};

constexpr std::array<ContentType, 15> kContentTypes = {{
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".mjs", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json", true},
    {".map", "application/json", true},
    {".svg", "image/svg+xml", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".md", "text/markdown; charset=utf-8", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".gif", "image/gif", false},
    {".ico", "image/x-icon", false},
    {".woff2", "font/woff2", false},
    {".webp", "image/webp", false},
}};

const ContentType* FindContentType(std::string_view path) noexcept {
  for (const ContentType& entry : kContentTypes) {
    if (path.ends_with(entry.extension)) return &entry;
  }
  return nullptr;
}

// The decoded path below the mount, or nullopt when it must be refused (see the header).
std::optional<std::string> SafeRelativePath(std::string_view raw) {
  const std::string decoded = UrlDecode(raw, /*plus_is_space=*/false);
  if (decoded.empty()) return decoded;
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) {
    return std::nullopt;
  }
  std::string_view rest = decoded;
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    // Empty: `//` or a leading '/' (absolute). A leading '.': `.`, `..` and hidden files.
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return decoded;
}

// `path` with symlinks resolved; nullopt when it does not exist.
std::optional<std::string> RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                       &std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

bool Inside(std::string_view path, std::string_view root) noexcept {
  return path.size() > root.size() && path.starts_with(root) &&
         (root.ends_with('/') || path[root.size()] == '/');
}

// True when an If-None-Match value names `etag` (or is `*`); weak and strong tags compare alike
// (RFC 9110 §13.1.2 uses the weak comparison).
bool NoneMatchHits(std::string_view if_none_match, std::string_view etag) noexcept {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = TrimOws(if_none_match.substr(0, comma));
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

Result<std::string> ReadFile(const std::string& path, size_t size) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return NotFound("Not found.");
  std::string data(size, '\0');
  data.resize(std::fread(data.data(), 1, size, file));
  std::fclose(file);
  return data;
}

std::string_view TypeOrOctetStream(const ContentType* type) noexcept {
  return type != nullptr ? type->type : "application/octet-stream";
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) noexcept {
  return TypeOrOctetStream(FindContentType(path));
}

Result<std::shared_ptr<const StaticFiles>> StaticFiles::Open(StaticFilesOptions options) {
  std::optional<std::string> root = RealPath(options.root);
  struct stat st {};
  if (!root || ::stat(root->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return NotFound(engine::StrCat({options.root, " is not a directory"}));
  }
  auto files = std::shared_ptr<StaticFiles>(new StaticFiles());
  files->options_ = std::move(options);
  files->root_ = std::move(*root);
  return std::shared_ptr<const StaticFiles>(std::move(files));
}

void StaticFiles::Serve(const RouteRequest& rr, std::string_view relative,
                        HttpResponse& res) const {
  const std::optional<std::string> safe = SafeRelativePath(relative);
  if (!safe) return WriteError(NotFound("Not found."), res);
  std::optional<std::string> path =
      RealPath(safe->empty() ? root_ : engine::StrCat({root_, "/", *safe}));
  struct stat st {};
  if (path && ::stat(path->c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    path = RealPath(engine::StrCat({*path, "/index.html"}));
  }
  // Symlinks are followed, then the file must still be inside the root.
  if (!path || !Inside(*path, root_) || ::stat(path->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return WriteError(NotFound("Not found."), res);
  }
  if (rr.method() != http::verb::get && rr.method() != http::verb::head) {
    return WriteMethodNotAllowed(rr.http().method_string(), kAllow, res);
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size > kMaxFileBytes) {
    return WriteError(Status(StatusCode::kInternal, "file too large to serve"), res);
  }

  const ContentType* type = FindContentType(*path);
  const bool gzip = type != nullptr && type->compressible && size >= kGzipMinBytes &&
                    AcceptsGzip(rr.header(http::field::accept_encoding));
  const std::string etag =
      engine::StrCat({"\"", std::to_string(size), "-", std::to_string(st.st_mtim.tv_sec), ".",
                      std::to_string(st.st_mtim.tv_nsec), gzip ? "-gz\"" : "\""});
  for (const auto& [name, value] : options_.headers) res.set(name, value);
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::etag, etag);
  res.set(http::field::cache_control,
          rr.query_params().Get("v").has_value() ? kImmutable : "no-cache");
  if (type != nullptr && type->compressible) res.set(http::field::vary, "Accept-Encoding");
  if (NoneMatchHits(rr.header(http::field::if_none_match), etag)) {
    res.result(http::status::not_modified);
    return;
  }
  Result<std::string> data = ReadFile(*path, size);
  if (!data.ok()) return WriteError(data.status(), res);
  if (gzip) {
    Result<std::string> compressed = GzipCompress(*data);
    if (!compressed.ok()) return WriteError(compressed.status(), res);
    data = std::move(compressed);
    res.set(http::field::content_encoding, "gzip");
  }
  res.result(http::status::ok);
  res.set(http::field::content_type, TypeOrOctetStream(type));
  res.body() = std::move(*data);
}

void MountStaticFiles(Router& router, std::string_view prefix,
                      std::shared_ptr<const StaticFiles> files) {
  std::string pattern(prefix);
  if (!pattern.ends_with('/')) pattern.push_back('/');
  pattern.append("*path");
  RouteHandler serve = [files = std::move(files)](const RouteRequest& rr, HttpResponse& res) {
    files->Serve(rr, rr.Param("path"), res);
  };
  router.Add(http::verb::get, pattern, serve);
  router.Add(http::verb::head, pattern, serve);
  // Other methods reach Serve too, which answers 404 or 405 (see the header); left out of the
  // route's Allow header, which stays "GET, HEAD".
  for (const http::verb method : {http::verb::post, http::verb::put, http::verb::patch,
                                  http::verb::delete_, http::verb::options}) {
    router.Add(method, pattern, serve, /*in_allow=*/false);
  }
}

}  // namespace actiond::api
