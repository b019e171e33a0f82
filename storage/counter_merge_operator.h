// Internal to storage/ (includes RocksDB): the merge operator of the counters column family.
//
// Values and operands are int64 little-endian, exactly 8 bytes; merging adds them (wrapping on
// overflow, which 64-bit counts never reach). An operand or stored value of another size makes
// the merge fail, which RocksDB reports as Corruption on read: a counter is never misread.
// Debian's RocksDB ships no public header for its built-in uint64add operator, hence this one.
#pragma once

#include <rocksdb/merge_operator.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace actiond::storage {

void AppendCounterValue(std::string* dst, int64_t value);
// False when `bytes` is not exactly 8 bytes.
bool DecodeCounterValue(std::string_view bytes, int64_t* value) noexcept;

class CounterMergeOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* logger) const override;
  // Persisted in the OPTIONS file: never rename.
  const char* Name() const override { return "actiond.Int64AddOperator"; }
};

}  // namespace actiond::storage
