// Absolute `next` / `previous` links, built as Django REST framework builds them.
//
// The base is the request's own absolute URL, `http://` + its Host header + its raw path
// (Django's build_absolute_uri; `localhost` when a request carries no Host). Query parameters are
// then rewritten like DRF's replace_query_param / remove_query_param: parsed, changed, and
// re-encoded with keys sorted (Python's urlencode(sorted(…), doseq=True): a repeated key keeps
// its values in order; spaces become '+', everything but A-Z a-z 0-9 - . _ ~ is %XX-escaped).
//
// Thread-safety: pure functions of the request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/json_writer.h"
#include "api/http/router.h"

namespace actiond::api {

// "http://host/path" of the request, without its query.
std::string AbsoluteBaseUrl(const RouteRequest& request);

// The request's absolute URL with each `set` parameter replaced by its one value (added when
// absent) and each `remove` parameter dropped; every other parameter is kept.
std::string RewriteQuery(const RouteRequest& request,
                         const std::vector<std::pair<std::string_view, std::string>>& set,
                         const std::vector<std::string_view>& remove = {});

struct PageLinks {
  std::optional<std::string> next;
  std::optional<std::string> previous;
};

// DRF's LimitOffsetPagination links for a page at `offset` of `limit` items out of `count`:
// next when offset + limit < count; previous when offset > 0 (without `offset` when the previous
// page starts at 0).
PageLinks LimitOffsetLinks(const RouteRequest& request, int64_t limit, int64_t offset,
                           int64_t count);
// The same for a list that knows whether more items follow but not how many.
PageLinks LimitOffsetLinksWithNext(const RouteRequest& request, int64_t limit, int64_t offset,
                                   bool has_next);

// Writes `link` as a JSON string, or null when absent.
void WriteLink(JsonWriter& writer, const std::optional<std::string>& link);

// Opens a DRF LimitOffsetPagination page, `{"count": count, "next": …, "previous": …,
// "results": [`; the caller writes the items and closes it with EndArray().EndObject().
void BeginLimitOffsetPage(JsonWriter& writer, int64_t count, const PageLinks& links);

}  // namespace actiond::api
