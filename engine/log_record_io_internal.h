// Engine-internal: the byte-level writer and reader the cluster's log records share
// (engine/capture_log_record.h, engine/meta_log_record.h): integers little-endian, a string is a
// u32 length and its bytes. The reader checks every length against the bytes left, so a
// truncated or foreign record fails instead of reading past its end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace actiond::engine {

class RecordWriter {
 public:
  explicit RecordWriter(std::string* out) : out_(out) {}
  void Byte(uint8_t value) { out_->push_back(static_cast<char>(value)); }
  void U32(uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) Byte(static_cast<uint8_t>(value >> shift));
  }
  void I64(int64_t value) {
    const auto bits = static_cast<uint64_t>(value);
    for (int shift = 0; shift < 64; shift += 8) Byte(static_cast<uint8_t>(bits >> shift));
  }
  void String(std::string_view value) {
    U32(static_cast<uint32_t>(value.size()));
    out_->append(value);
  }

 private:
  std::string* out_;
};

// Reads fields in order; after the first short read every later one fails too, so the caller
// checks ok() once at the end.
class RecordReader {
 public:
  explicit RecordReader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const noexcept { return ok_; }
  bool at_end() const noexcept { return rest_.empty(); }

  uint8_t Byte() {
    if (!Need(1)) return 0;
    const auto value = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return value;
  }
  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= uint32_t{static_cast<uint8_t>(rest_[i])} << (8 * i);
    rest_.remove_prefix(4);
    return value;
  }
  int64_t I64() {
    if (!Need(8)) return 0;
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= uint64_t{static_cast<uint8_t>(rest_[i])} << (8 * i);
    rest_.remove_prefix(8);
    return static_cast<int64_t>(value);
  }
  void String(std::string* out) {
    const uint32_t size = U32();
    if (!Need(size)) return;
    out->assign(rest_.data(), size);
    rest_.remove_prefix(size);
  }
  // A count of items each at least `min_item_bytes` long: one larger than the bytes left could
  // hold is refused before anything is sized by it.
  uint32_t Count(size_t min_item_bytes) {
    const uint32_t count = U32();
    if (ok_ && count > rest_.size() / min_item_bytes) ok_ = false;
    return ok_ ? count : 0;
  }

 private:
  bool Need(size_t size) {
    if (ok_ && rest_.size() < size) ok_ = false;
    return ok_;
  }

  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace actiond::engine
