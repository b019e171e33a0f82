// Serves the files of one directory under a URL prefix: the web page (--web-dir, mounted at `/`)
// and posthog-js's `dist` (--posthog-js-dir, at `/static/`), docs/web.md and
// docs/operations.md §Configuration.
//
// What a request gets:
// - GET and HEAD only. Another method is 405 (`Allow: GET, HEAD`) when the file exists and 404
//   when it does not, so a mount at `/` does not turn a mistyped API path into a 405.
// - The path below the prefix is percent-decoded and refused (404, PostHog's error shape) when
//   any segment is empty (`//`, an absolute path), `.`, `..` or hidden (`.git`), or contains a
//   NUL or a backslash; the resolved file must lie inside the directory after symlinks are
//   followed, so a symlink leading outside is refused too. A directory serves its index.html.
// - Content-Type from the extension (application/octet-stream when unknown),
//   `X-Content-Type-Options: nosniff`, an `ETag` (size and modification time) and
//   `If-None-Match` answered 304; `Cache-Control: public, max-age=31536000, immutable` when the
//   URL carries a version (`?v=…`, the referrer's promise to change it with the content), else
//   `no-cache` (always revalidated, which the ETag makes cheap). Text types (html, js, css, json,
//   svg, map, txt) larger than 512 bytes are gzipped when `Accept-Encoding` allows, with
//   `Vary: Accept-Encoding`; the gzipped answer has its own ETag.
// - The mount's extra header fields (the page's Content-Security-Policy) on every file answer.
//
// Files are read per request (no cache): edits to the directory show at once, and the page's
// few small files cost little to read. Files over 32 MiB are refused (500): the body is held in
// memory.
//
// Thread-safety: immutable after Open; Serve is safe to call concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/router.h"
#include "engine/status.h"

namespace actiond::api {

struct StaticFilesOptions {
  std::string root;  // the directory served
  // Added to every answer that serves a file (or a 304 for one).
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
};

class StaticFiles {
 public:
  // kNotFound when `options.root` is not a directory.
  [[nodiscard]] static Result<std::shared_ptr<const StaticFiles>> Open(StaticFilesOptions options);

  // Answers `rr` (GET or HEAD) with the file at `relative`, the raw (percent-encoded) path below
  // the mount's prefix, without a leading '/'.
  void Serve(const RouteRequest& rr, std::string_view relative, HttpResponse& res) const;

  // The directory, with symlinks resolved.
  const std::string& root() const noexcept { return root_; }

 private:
  StaticFilesOptions options_;
  std::string root_;
};

// Registers `prefix` ("/" or "/static") on `router` as a prefix route serving `files`.
void MountStaticFiles(Router& router, std::string_view prefix,
                      std::shared_ptr<const StaticFiles> files);

// The Content-Type served for `path`'s extension.
std::string_view ContentTypeFor(std::string_view path) noexcept;

}  // namespace actiond::api
