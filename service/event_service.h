// EventService: the stored events of a project as the events endpoint lists them (docs/api.md
// §4): newest first, filtered, a page at a time. Ingestion writes them
// (service/ingest_pipeline.h); this only reads.
//
// How each filter is read:
//   - action: the action's match index (storage/keys.h `matches`), newest first, one event
//     lookup per match; never a scan of all events;
//   - event, distinct_id, properties (engine/property_filter_list.h, the operators of action
//     steps), person (its distinct ids, read once, so events of persons merged into it count):
//     tested on each event of the scan (the match index's when `action` is set);
//   - range and cursor bound the scan itself.
//
// Errors: the Store's (kIoError, kCorruption); kInvalidInput with attr `action_id` when the
// action does not exist in the project.
// Thread-safety: const and safe from any thread; a page reads one consistent snapshot per scan.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/property_filter_list.h"
#include "engine/status.h"
#include "service/domain_types.h"
#include "storage/function_ref.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

struct EventQuery {
  std::optional<ActionId> action;
  std::optional<std::string> event;
  std::optional<std::string> distinct_id;
  std::optional<std::string> person_uuid;
  engine::PropertyFilterList properties;
  TimeRange range;                    // event timestamps in [from_ms, to_ms)
  std::optional<EventCursor> before;  // only events strictly before this (ts, uuid)
  size_t limit = 100;                 // events per page (≥ 1)
};

// One listed event. Views live during the visitor's call only.
struct ListedEvent {
  int64_t timestamp_ms = 0;
  std::string_view uuid;
  std::string_view record_json;     // the stored record (engine/event_view.h shape)
  std::string_view elements_chain;  // its chain, or one written from `$elements`; "" for none
};

// A view of the caller's callable, as the store's visitors (storage/function_ref.h).
using ListedEventVisitor = storage::FunctionRef<void(const ListedEvent&)>;

class EventService {
 public:
  // `store` must outlive the service.
  explicit EventService(const storage::Store* store) : store_(store) {}

  // Visits the project's events in options.range in (timestamp, uuid) order (descending when
  // newest_first), at most options.limit of them, until the visitor returns false.
  Status Scan(ProjectId project, const ScanOptions& options, EventVisitor visitor) const;

  // Visits up to query.limit events that pass every filter, newest first; returns whether more
  // remain after them (continue with `before` set to the last visited event).
  Result<bool> List(ProjectId project, const EventQuery& query, ListedEventVisitor visit) const;

 private:
  const storage::Store* store_;
};

}  // namespace actiond::service
