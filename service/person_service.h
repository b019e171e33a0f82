// PersonService: a project's persons as the persons endpoints read them. Ingestion creates,
// updates and merges them (service/person_resolver.h); this only reads.
//
// Errors: the Store's (kIoError, kCorruption); absence is nullopt, never an error.
// Thread-safety: const and safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "service/domain_types.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

class PersonService {
 public:
  // `store` must outlive the service.
  explicit PersonService(const storage::Store* store) : store_(store) {}

  Result<std::optional<Person>> Find(ProjectId project, std::string_view uuid) const;
  // The person `distinct_id` belongs to now (after merges).
  Result<std::optional<Person>> FindByDistinctId(ProjectId project,
                                                 std::string_view distinct_id) const;
  // Persons newest first (by id), skipping `offset`. O(offset + limit).
  Result<std::vector<Person>> ListNewestFirst(ProjectId project, size_t offset, size_t limit) const;
  // The number of persons: O(1).
  Result<int64_t> Count(ProjectId project) const;

 private:
  const storage::Store* store_;
};

}  // namespace actiond::service
