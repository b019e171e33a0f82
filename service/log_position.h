// LogPosition: where a change sits in the cluster's log (docs/cluster.md §Exactly once). Every
// write a log record causes — a capture's events, an action change, or nothing at all when the
// record is refused — commits the record's partition's next offset in the same WriteBatch, so a
// record redelivered after a crash or a rebalance is applied once.
//
// Thread-safety: a plain value; the key it views must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/write_batch.h"

namespace actiond::service {

struct LogPosition {
  std::string_view meta_key;  // the meta key the partition's next offset is kept under
  int64_t next_offset = 0;    // the offset to resume from once this record is applied
  // False for a record whose webhooks an earlier holder of the partition has already delivered
  // (docs/cluster.md §Webhooks): it is applied — events, persons, matches — but sends nothing.
  bool deliver_webhooks = true;

  // Puts the partition's next offset into `batch`, the one that commits the record's writes.
  void WriteTo(storage::WriteBatch& batch) const {
    batch.PutMeta(meta_key, std::to_string(next_offset));
  }
};

}  // namespace actiond::service
