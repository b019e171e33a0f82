// An action's count, as `GET …/actions/:id/count/` answers it and as each entry of the batch
// `GET …/actions/counts/?ids=` does (docs/api.md §9 "Count"): the query's parameters checked
// once, then the members written for one action.
//
// Thread-safety: plain functions; `services` as for any endpoint.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "api/http/json_writer.h"
#include "api/http/query_params.h"
#include "api/services.h"
#include "engine/status.h"
#include "engine/time_buckets.h"
#include "service/action_service.h"

namespace actiond::api {

// The parameters of a count request, checked.
struct CountQuery {
  std::shared_ptr<const engine::TimeZone> zone;
  std::optional<engine::Interval> interval;  // absent: one total, no series
  bool distinct_persons = false;
  service::TimeRange range;
  int64_t now_ms = 0;
};

// Checks `query`: a 400 naming the parameter for an unknown one (other than `extra_param`, the
// batch's `ids`), a bad interval, distinct, time zone or date.
[[nodiscard]] Result<CountQuery> ParseCountQuery(const QueryParams& query, int64_t now_ms,
                                                 std::string_view extra_param = {});

// Writes `"count"[, "interval", "timezone"], "is_calculating"[, "progress"][, "series"]` into
// the object `w` has open. kNotFound when the action does not exist; nothing is written then.
[[nodiscard]] Status WriteCountMembers(const Services& services, service::ProjectId project,
                                       service::ActionId id, const CountQuery& query,
                                       JsonWriter& w);

}  // namespace actiond::api
