#include "storage/counter_merge_operator.h"

namespace actiond::storage {

void AppendCounterValue(std::string* dst, int64_t value) {
  auto v = static_cast<uint64_t>(value);
  char buf[8];
  for (char& c : buf) {
    c = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  dst->append(buf, 8);
}

bool DecodeCounterValue(std::string_view bytes, int64_t* value) noexcept {
  if (bytes.size() != 8) return false;
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  *value = static_cast<int64_t>(v);
  return true;
}

bool CounterMergeOperator::Merge(const rocksdb::Slice& /*key*/,
                                 const rocksdb::Slice* existing_value, const rocksdb::Slice& value,
                                 std::string* new_value, rocksdb::Logger* /*logger*/) const {
  int64_t base = 0;
  if (existing_value != nullptr &&
      !DecodeCounterValue(std::string_view(existing_value->data(), existing_value->size()),
                          &base)) {
    return false;
  }
  int64_t delta = 0;
  if (!DecodeCounterValue(std::string_view(value.data(), value.size()), &delta)) return false;
  // Unsigned addition: wrapping is defined, signed overflow would not be.
  int64_t sum = static_cast<int64_t>(static_cast<uint64_t>(base) + static_cast<uint64_t>(delta));
  new_value->clear();
  AppendCounterValue(new_value, sum);
  return true;
}

}  // namespace actiond::storage
