// Internal to storage/ (includes RocksDB): what a WriteBatch holds, shared by write_batch.cc,
// which records writes, and store.cc, which commits them.
#pragma once

#include <rocksdb/write_batch.h>

#include <string>
#include <string_view>

#include "engine/status.h"
#include "storage/column_families.h"
#include "storage/counter_additions.h"
#include "storage/counter_merge_operator.h"
#include "storage/keys.h"
#include "storage/rocks_status.h"
#include "storage/write_batch.h"

namespace actiond::storage {

struct WriteBatch::Rep {
  const ColumnFamilies* cfs;
  // What RocksDB will write, minus the counter additions still being folded. Both are mutable
  // because recording the pending additions (Sealed()) completes the batch's representation
  // without changing what it writes: a const WriteBatch can be measured and committed.
  mutable rocksdb::WriteBatch batch;
  mutable CounterAdditions counters;
  // Scratch buffers reused across calls, so recording a write allocates nothing once warm.
  std::string key;
  std::string value;
  mutable std::string operand;
  mutable Status status;

  void Record(const rocksdb::Status& s) const {
    if (!s.ok() && status.ok()) status = FromRocks(s, "recording a write");
  }
  void MergeCounter(std::string_view k, int64_t sum) const {
    operand.clear();
    AppendCounterValue(&operand, sum);
    Record(batch.Merge((*cfs)[Cf::kCounters], rocksdb::Slice(k.data(), k.size()),
                       rocksdb::Slice(operand.data(), operand.size())));
  }
  void Put(Cf cf, std::string_view k, std::string_view v) {
    Record(batch.Put((*cfs)[cf], rocksdb::Slice(k.data(), k.size()),
                     rocksdb::Slice(v.data(), v.size())));
  }
  void Delete(Cf cf, std::string_view k) {
    Record(batch.Delete((*cfs)[cf], rocksdb::Slice(k.data(), k.size())));
  }
  // Records one counter's folded sum: what CounterAdditions emits.
  auto CounterMerger() const {
    return [this](std::string_view counter, int64_t sum) { MergeCounter(counter, sum); };
  }
  // Adds `delta` to a counter (Cf::kCounters), folded with the batch's other additions to it.
  void AddToCounter(std::string_view k, int64_t delta) { counters.Add(k, delta, CounterMerger()); }
  // The whole batch, pending counter additions recorded: what Store::Commit writes.
  rocksdb::WriteBatch& Sealed() const {
    counters.Drain(CounterMerger());
    return batch;
  }
  // Deletes every key that starts with `prefix`. The counters' pending additions are recorded
  // first, so that a range delete of counters removes them as it would have unfolded.
  void DeletePrefix(Cf cf, std::string_view prefix) {
    if (cf == Cf::kCounters) Sealed();
    std::string end = keys::PrefixSuccessor(prefix);
    Record(batch.DeleteRange((*cfs)[cf], rocksdb::Slice(prefix.data(), prefix.size()),
                             rocksdb::Slice(end.data(), end.size())));
  }
};

}  // namespace actiond::storage
