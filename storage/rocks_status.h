// Internal to storage/ (includes RocksDB): RocksDB statuses as actiond Statuses.
#pragma once

#include <rocksdb/status.h>

#include <string_view>

#include "engine/status.h"

namespace actiond::storage {

// Corruption → kCorruption, NotFound → kNotFound, anything else → kIoError; the message names
// `what` (the operation) and carries RocksDB's text.
Status FromRocks(const rocksdb::Status& status, std::string_view what);

}  // namespace actiond::storage
