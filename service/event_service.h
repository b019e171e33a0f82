// EventService: the stored events of a project as the events endpoint reads them (newest
// first, a time range, a limit). Ingestion writes them (service/ingest_pipeline.h); this only
// reads.
//
// Errors: the Store's (kIoError, kCorruption).
// Thread-safety: const and safe from any thread; a scan reads one consistent snapshot. The
// visitor's string_views live only during its call (storage/store.h).
#pragma once

#include "engine/status.h"
#include "service/domain_types.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

class EventService {
 public:
  // `store` must outlive the service.
  explicit EventService(const storage::Store* store) : store_(store) {}

  // Visits the project's events in options.range in (timestamp, uuid) order (descending when
  // newest_first), at most options.limit of them, until the visitor returns false.
  Status Scan(ProjectId project, const ScanOptions& options, EventVisitor visitor) const;

 private:
  const storage::Store* store_;
};

}  // namespace actiond::service
