#include "service/event_service.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "engine/elements_chain_writer.h"
#include "engine/event_reader.h"
#include "engine/event_view_fields.h"
#include "engine/str_cat.h"
#include "storage/store.h"

namespace actiond::service {

Status EventService::Scan(ProjectId project, const ScanOptions& options,
                          EventVisitor visitor) const {
  return store_->ScanEvents(project, options, visitor);
}

Result<bool> EventService::List(ProjectId project, const EventQuery& query,
                                ListedEventVisitor visit) const {
  ScanOptions scan;
  scan.newest_first = true;
  scan.range = query.range;
  if (query.before) {
    // The cursor's millisecond is visited too; its events at or above the uuid are skipped.
    scan.range.to_ms = std::min(scan.range.to_ms, query.before->timestamp_ms + 1);
  }
  if (scan.range.from_ms >= scan.range.to_ms) return false;

  // A person's events are those of its distinct ids, whoever they belonged to when ingested.
  std::optional<std::unordered_set<std::string>> person_distinct_ids;
  if (query.person_uuid) {
    person_distinct_ids.emplace();
    ACTIOND_ASSIGN_OR_RETURN(std::optional<Person> person,
                             store_->GetPerson(project, *query.person_uuid));
    if (!person) return false;
    person_distinct_ids->insert(person->distinct_ids.begin(), person->distinct_ids.end());
  }

  thread_local engine::EventReader reader;
  size_t written = 0;
  bool more = false;
  Status error;
  // Returns whether to go on.
  auto consider = [&](int64_t ts, std::string_view uuid, std::string_view record) {
    if (query.before && ts == query.before->timestamp_ms && uuid >= query.before->uuid) {
      return true;
    }
    auto view = reader.Read(record);
    if (!view.ok()) return true;  // an unreadable record is listed by nothing (as in matching)
    const engine::EventView& event = **view;
    if (query.event && engine::EventName(event) != *query.event) return true;
    if (query.distinct_id && engine::EventDistinctId(event) != *query.distinct_id) return true;
    if (person_distinct_ids &&
        !person_distinct_ids->contains(std::string(engine::EventDistinctId(event)))) {
      return true;
    }
    if (!query.properties.Matches(event)) return true;
    if (written == query.limit) {
      more = true;
      return false;
    }
    const std::string chain = engine::ElementsChainOf(event);
    visit(ListedEvent{ts, uuid, record, chain});
    ++written;
    return true;
  };

  if (!query.action) {
    ACTIOND_RETURN_IF_ERROR(store_->ScanEvents(project, scan, consider));
    return more;
  }
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> action,
                           store_->GetAction(project, *query.action));
  if (!action) {
    return InvalidInput(engine::StrCat({"Action ", std::to_string(*query.action),
                                        " does not exist in this project."}),
                        "action_id");
  }
  ACTIOND_RETURN_IF_ERROR(store_->ScanMatches(
      project, *query.action, scan, [&](int64_t ts, std::string_view uuid, std::string_view) {
        auto stored = store_->GetEvent(project, uuid);
        if (!stored.ok()) {
          error = stored.status();
          return false;
        }
        if (!stored->has_value()) return true;  // (a match always has its event)
        return consider(ts, uuid, (*stored)->record_json);
      }));
  ACTIOND_RETURN_IF_ERROR(error);
  return more;
}

}  // namespace actiond::service
