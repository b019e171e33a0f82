// BatchTarget: the one thing a WriteBatch needs from the store that will commit it — the column
// families to record its writes into. Store implements it; write_batch.h depends on this small
// interface instead of on store.h (and store.h needs no friend to hand the families over).
//
// Thread-safety: column_families() is const and safe from any thread; the families live as
// long as the store.
#pragma once

namespace actiond::storage {

struct ColumnFamilies;  // storage-internal (column_families.h, RocksDB handles)

class BatchTarget {
 public:
  virtual const ColumnFamilies& column_families() const = 0;

 protected:
  ~BatchTarget() = default;  // not owned through this interface
};

}  // namespace actiond::storage
