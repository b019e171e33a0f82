#include "service/person_service.h"

#include "storage/store.h"

namespace actiond::service {

Result<std::optional<Person>> PersonService::Find(ProjectId project, std::string_view uuid) const {
  return store_->GetPerson(project, uuid);
}

Result<std::optional<Person>> PersonService::FindByDistinctId(ProjectId project,
                                                              std::string_view distinct_id) const {
  return store_->GetPersonByDistinctId(project, distinct_id);
}

Result<std::vector<Person>> PersonService::ListNewestFirst(ProjectId project, size_t offset,
                                                           size_t limit) const {
  return store_->ListPersons(project, offset, limit, /*newest_first=*/true);
}

Result<int64_t> PersonService::Count(ProjectId project) const {
  return store_->CountPersons(project);
}

}  // namespace actiond::service
