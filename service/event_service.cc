#include "service/event_service.h"

#include "storage/store.h"

namespace actiond::service {

Status EventService::Scan(ProjectId project, const ScanOptions& options,
                          EventVisitor visitor) const {
  return store_->ScanEvents(project, options, visitor);
}

}  // namespace actiond::service
