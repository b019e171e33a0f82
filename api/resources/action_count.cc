#include "api/resources/action_count.h"

#include <algorithm>
#include <array>

#include "api/resources/action_json.h"
#include "api/resources/date_range.h"
#include "engine/str_cat.h"
#include "service/time_zones.h"

namespace actiond::api {

Result<CountQuery> ParseCountQuery(const QueryParams& query, int64_t now_ms,
                                   std::string_view extra_param) {
  static constexpr std::array<std::string_view, 6> kKnown = {
      "date_from", "date_to", "interval", "timezone", "distinct", "personal_api_key"};
  for (const auto& [key, unused] : query.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end() &&
        (extra_param.empty() || key != extra_param)) {
      return InvalidInput(engine::StrCat({"Unknown parameter '", key,
                                          "'. Known: ", extra_param.empty() ? "" : extra_param,
                                          extra_param.empty() ? "" : ", ",
                                          "date_from, date_to, interval, timezone, distinct."}),
                          key);
    }
  }
  CountQuery out;
  out.now_ms = now_ms;
  ACTIOND_ASSIGN_OR_RETURN(out.zone, service::FindTimeZone(query.GetOr("timezone", "UTC")));
  if (const std::optional<std::string_view> text = query.Get("interval")) {
    out.interval = engine::ParseInterval(*text);
    if (!out.interval) {
      return InvalidChoice(engine::StrCat({"\"", *text,
                                           "\" is not a valid choice: use hour, day, "
                                           "week or month."}),
                           "interval");
    }
  }
  const std::optional<std::string_view> distinct = query.Get("distinct");
  if (distinct && *distinct != "persons") {
    return InvalidChoice(
        engine::StrCat({"\"", *distinct, "\" is not a valid choice: use persons."}), "distinct");
  }
  if (distinct && !out.interval) {
    return InvalidInput("distinct=persons counts per bucket: give an interval too.", "distinct");
  }
  out.distinct_persons = distinct.has_value();
  ACTIOND_ASSIGN_OR_RETURN(out.range, ParseDateRange(query.Get("date_from"), query.Get("date_to"),
                                                     now_ms, out.zone.get()));
  return out;
}

Status WriteCountMembers(const Services& services, service::ProjectId project, service::ActionId id,
                         const CountQuery& query, JsonWriter& w) {
  // Progress first: a backfill that finishes between the two reads is then reported as still
  // calculating with a count that is already final, never the other way round.
  ACTIOND_ASSIGN_OR_RETURN(const std::optional<service::BackfillProgress> progress,
                           services.actions->Progress(project, id));
  // Everything is read before anything is written, so a missing action leaves `w` untouched.
  service::CountSeries series;
  int64_t count = 0;
  if (query.interval) {
    service::SeriesQuery series_query;
    series_query.range = query.range;
    series_query.interval = *query.interval;
    series_query.zone = query.zone.get();
    series_query.distinct_persons = query.distinct_persons;
    series_query.now_ms = query.now_ms;
    ACTIOND_ASSIGN_OR_RETURN(series, services.actions->Series(project, id, series_query));
    count = series.total;
  } else {
    ACTIOND_ASSIGN_OR_RETURN(count, services.actions->Count(project, id, query.range));
  }
  w.MemberInt("count", count);
  if (query.interval) {
    w.Member("interval", engine::IntervalName(*query.interval));
    w.Member("timezone", query.zone->name());
  }
  w.Key("is_calculating").Bool(progress.has_value());
  if (progress) {
    w.Key("progress");
    WriteProgress(*progress, w);
  }
  if (query.interval) {
    const engine::Bucketing bucketing(*query.interval, query.zone.get());
    w.Key("series").BeginArray();
    for (const service::SeriesBucket& bucket : series.buckets) {
      w.BeginObject().Member("date", bucketing.Label(bucket.key)).MemberInt("count", bucket.count);
      w.EndObject();
    }
    w.EndArray();
  }
  return Status::Ok();
}

}  // namespace actiond::api
