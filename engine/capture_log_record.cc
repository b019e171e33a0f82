#include "engine/capture_log_record.h"

#include <cstring>

#include "engine/log_record_io_internal.h"

namespace actiond::engine {
namespace {

constexpr uint8_t kCaptureKind = 1;

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
