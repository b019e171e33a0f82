#include "engine/capture_log_record.h"

#include <cstring>

namespace actiond::engine {
namespace {

constexpr uint8_t kCaptureKind = 1;

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

// The fewest bytes one encoded event takes: nine empty strings, a timestamp, an unset count
// and the flag byte.
constexpr size_t kMinEventBytes = 9 * 4 + 8 + 4 + 1;

}  // namespace

void EncodeCaptureLogRecord(std::string_view token, int64_t received_ms,
                            std::span<const CapturedEvent> events, std::string* out) {
  out->clear();
  RecordWriter w(out);
  w.Byte(kCaptureLogRecordVersion);
  w.Byte(kCaptureKind);
  w.I64(received_ms);
  w.String(token);
  w.U32(static_cast<uint32_t>(events.size()));
  for (const CapturedEvent& e : events) {
    w.String(e.uuid);
    w.String(e.event);
    w.String(e.distinct_id);
    w.I64(e.timestamp_ms);
    w.String(e.properties_json);
    w.String(e.set_json);
    w.String(e.set_once_json);
    w.U32(static_cast<uint32_t>(e.unset_keys.size()));
    for (const std::string& key : e.unset_keys) w.String(key);
    w.String(e.elements_chain);
    w.Byte(e.process_person_profile ? 1 : 0);
    w.String(e.anon_distinct_id);
    w.String(e.alias);
  }
}

Status DecodeCaptureLogRecord(std::string_view record, CaptureRequest* request,
                              int64_t* received_ms) {
  RecordReader r(record);
  const uint8_t version = r.Byte();
  const uint8_t kind = r.Byte();
  if (!r.ok() || version != kCaptureLogRecordVersion || kind != kCaptureKind) {
    return Status(StatusCode::kCorruption, "not a version-1 capture log record");
  }
  *received_ms = r.I64();
  r.String(&request->token);
  const uint32_t count = r.Count(kMinEventBytes);
  request->events.resize(count);
  for (CapturedEvent& e : request->events) {
    r.String(&e.uuid);
    r.String(&e.event);
    r.String(&e.distinct_id);
    e.timestamp_ms = r.I64();
    r.String(&e.properties_json);
    r.String(&e.set_json);
    r.String(&e.set_once_json);
    e.unset_keys.resize(r.Count(4));
    for (std::string& key : e.unset_keys) r.String(&key);
    r.String(&e.elements_chain);
    e.process_person_profile = r.Byte() != 0;
    r.String(&e.anon_distinct_id);
    r.String(&e.alias);
  }
  if (!r.ok() || !r.at_end()) {
    return Status(StatusCode::kCorruption, "capture log record is truncated or has trailing bytes");
  }
  return Status();
}

}  // namespace actiond::engine
