// Internal to storage/ (includes RocksDB): the column families of an actiond store and the
// handles a WriteBatch needs. Key layouts per family are in keys.h.
#pragma once

#include <rocksdb/db.h>

#include <array>
#include <cstddef>
#include <string_view>

namespace actiond::storage {

enum class Cf : unsigned char {
  kEvents,
  kEventIds,
  kPersons,
  kDistinctIds,
  kActions,
  kMatches,
  kCounters,
  kMeta,
  kProjects,
  kApiKeys,
  kHooks,
  kDeliveries,
};
inline constexpr size_t kCfCount = 12;

// Names as stored in the database; index = static_cast<size_t>(Cf). Never rename one.
inline constexpr std::array<std::string_view, kCfCount> kCfNames = {
    "events",   "event_ids", "persons",  "distinct_ids", "actions", "matches",
    "counters", "meta",      "projects", "api_keys",     "hooks",   "deliveries"};

// Handles owned by the Store; valid until it closes.
struct ColumnFamilies {
  std::array<rocksdb::ColumnFamilyHandle*, kCfCount> handles{};

  rocksdb::ColumnFamilyHandle* operator[](Cf cf) const { return handles[static_cast<size_t>(cf)]; }
};

}  // namespace actiond::storage
