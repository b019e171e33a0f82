// Internal to storage/ (includes RocksDB): the file system a Store writes through
// (StoreOptions::file_system). Tests wrap RocksDB's default one to fail writes on demand.
#pragma once

#include <rocksdb/file_system.h>

#include <memory>

namespace actiond::storage {

struct StoreFileSystem {
  std::shared_ptr<rocksdb::FileSystem> file_system;
};

}  // namespace actiond::storage
