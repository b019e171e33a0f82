// Internal to storage/ (includes RocksDB): what a WriteBatch holds, shared by write_batch.cc,
// which records writes, and store.cc, which commits them.
#pragma once

#include <rocksdb/write_batch.h>

#include <string>
#include <string_view>

#include "engine/status.h"
#include "storage/column_families.h"
#include "storage/keys.h"
#include "storage/rocks_status.h"
#include "storage/write_batch.h"

namespace actiond::storage {

struct WriteBatch::Rep {
  const ColumnFamilies* cfs;
  rocksdb::WriteBatch batch;
  // Scratch buffers reused across calls, so recording a write allocates nothing once warm.
  std::string key;
  std::string value;
  std::string one;  // the counter operand +1
  std::string minus_one;
  Status status;

  void Record(const rocksdb::Status& s) {
    if (!s.ok() && status.ok()) status = FromRocks(s, "recording a write");
  }
  void Put(Cf cf, std::string_view k, std::string_view v) {
    Record(batch.Put((*cfs)[cf], rocksdb::Slice(k.data(), k.size()),
                     rocksdb::Slice(v.data(), v.size())));
  }
  void Delete(Cf cf, std::string_view k) {
    Record(batch.Delete((*cfs)[cf], rocksdb::Slice(k.data(), k.size())));
  }
  void Merge(Cf cf, std::string_view k, std::string_view operand) {
    Record(batch.Merge((*cfs)[cf], rocksdb::Slice(k.data(), k.size()),
                       rocksdb::Slice(operand.data(), operand.size())));
  }
  // Deletes every key that starts with `prefix`.
  void DeletePrefix(Cf cf, std::string_view prefix) {
    std::string end = keys::PrefixSuccessor(prefix);
    Record(batch.DeleteRange((*cfs)[cf], rocksdb::Slice(prefix.data(), prefix.size()),
                             rocksdb::Slice(end.data(), end.size())));
  }
};

}  // namespace actiond::storage
