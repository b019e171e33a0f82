// ActionService::Series: an action's count per hour, day, week or month (docs/api.md §9
// "Counts over time"). Its own file: the bucketing and the two ways of counting.
#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "engine/str_cat.h"
#include "service/action_service.h"

namespace actiond::service {
namespace {

constexpr int64_t kNoBound = std::numeric_limits<int64_t>::max();

// The first or last match's timestamp; nullopt when the action has none in `range`.
Result<std::optional<int64_t>> EdgeMatch(const storage::Store& store, ProjectId project,
                                         ActionId id, const TimeRange& range, bool newest) {
  ScanOptions scan;
  scan.range = range;
  scan.newest_first = newest;
  scan.limit = 1;
  std::optional<int64_t> ts;
  ACTIOND_RETURN_IF_ERROR(
      store.ScanMatches(project, id, scan, [&](int64_t t, std::string_view, std::string_view) {
        ts = t;
        return false;
      }));
  return ts;
}

}  // namespace

Result<CountSeries> ActionService::Series(ProjectId project, ActionId id,
                                          const SeriesQuery& query) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json, store_->GetAction(project, id));
  if (!json) return NotFound("Not found.");

  const engine::TimeZone utc = engine::TimeZone::Utc();  // no table: nothing to copy
  const engine::TimeZone& zone = query.zone ? *query.zone : utc;
  const engine::Bucketing bucketing(query.interval, &zone);

  // Open ends: from the first match (nothing before it to show), to now (or the last match,
  // when a client sent timestamps in the future).
  TimeRange range = query.range;
  if (range.from_ms == std::numeric_limits<int64_t>::min()) {
    ACTIOND_ASSIGN_OR_RETURN(std::optional<int64_t> first,
                             EdgeMatch(*store_, project, id, range, /*newest=*/false));
    range.from_ms = first ? *first : query.now_ms;
  }
  if (range.to_ms == kNoBound) {
    ACTIOND_ASSIGN_OR_RETURN(std::optional<int64_t> last,
                             EdgeMatch(*store_, project, id, range, /*newest=*/true));
    range.to_ms = std::max(query.now_ms, last.value_or(query.now_ms)) + 1;
  }
  CountSeries series;
  if (range.from_ms >= range.to_ms) return series;

  const int64_t last_key = bucketing.KeyOf(range.to_ms - 1);
  for (int64_t key = bucketing.KeyOf(range.from_ms); key <= last_key;
       key = bucketing.NextKey(key)) {
    if (series.buckets.size() == kMaxSeriesBuckets) {
      return InvalidInput(
          engine::StrCat({"The range has more than ", std::to_string(kMaxSeriesBuckets), " ",
                          engine::IntervalName(query.interval),
                          " buckets: choose a longer interval or a shorter range."}),
          "interval");
    }
    series.buckets.push_back({key, 0});
  }

  const bool from_counters =
      !query.distinct_persons && zone.is_utc() && query.interval != engine::Interval::kHour;
  if (from_counters) {
    // Each bucket is whole UTC days (clipped to the range): Store::Count reads their per-day
    // counters, and the match entries only of a partly covered first or last day.
    for (SeriesBucket& bucket : series.buckets) {
      TimeRange part;
      part.from_ms = std::max(range.from_ms, bucketing.UtcDayBucketStartMs(bucket.key));
      part.to_ms =
          std::min(range.to_ms, bucketing.UtcDayBucketStartMs(bucketing.NextKey(bucket.key)));
      ACTIOND_ASSIGN_OR_RETURN(bucket.count, store_->Count(project, id, part));
      series.total += bucket.count;
    }
    return series;
  }

  // From the match index: matches come in time order, so buckets are filled in order.
  std::unordered_map<std::string, std::string> person_of;  // distinct id → person uuid ("")
  std::unordered_set<std::string> bucket_persons, all_persons;
  size_t at = 0;
  Status error;
  ScanOptions scan;
  scan.range = range;
  ACTIOND_RETURN_IF_ERROR(store_->ScanMatches(
      project, id, scan, [&](int64_t ts, std::string_view, std::string_view distinct_id) {
        const int64_t key = bucketing.KeyOf(ts);
        while (at + 1 < series.buckets.size() && series.buckets[at + 1].key <= key) {
          ++at;
          bucket_persons.clear();
        }
        if (!query.distinct_persons) {
          ++series.buckets[at].count;
          ++series.total;
          return true;
        }
        if (distinct_id.empty()) return true;  // no person (docs/api.md §9 "People")
        auto [it, fresh] = person_of.try_emplace(std::string(distinct_id));
        if (fresh) {
          auto uuid = store_->GetPersonUuid(project, distinct_id);
          if (!uuid.ok()) {
            error = uuid.status();
            return false;
          }
          it->second = uuid->value_or("");
        }
        if (it->second.empty()) return true;
        if (bucket_persons.insert(it->second).second) ++series.buckets[at].count;
        if (all_persons.insert(it->second).second) ++series.total;
        return true;
      }));
  ACTIOND_RETURN_IF_ERROR(error);
  return series;
}

}  // namespace actiond::service
