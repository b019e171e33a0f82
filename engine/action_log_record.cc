#include "engine/action_log_record.h"

#include "engine/log_record_io_internal.h"

namespace actiond::engine {
namespace {

constexpr uint8_t kActionKind = 4;

bool KnownOp(uint8_t op) {
  return op == static_cast<uint8_t>(ActionLogOp::kCreate) ||
         op == static_cast<uint8_t>(ActionLogOp::kPatch) ||
         op == static_cast<uint8_t>(ActionLogOp::kPut);
}

}  // namespace

bool IsActionLogRecord(std::string_view record) {
  return record.size() >= 2 && static_cast<uint8_t>(record[0]) == kActionLogRecordVersion &&
         static_cast<uint8_t>(record[1]) == kActionKind;
}

void EncodeActionLogRecord(const ActionLogRecord& record, std::string* out) {
  out->clear();
  RecordWriter w(out);
  w.Byte(kActionLogRecordVersion);
  w.Byte(kActionKind);
  w.Byte(static_cast<uint8_t>(record.op));
  w.String(record.token);
  w.I64(record.action_id);
  w.I64(record.at_ms);
  w.String(record.request_json);
  w.String(record.created_by_json);
}

Result<ActionLogRecord> DecodeActionLogRecord(std::string_view bytes) {
  RecordReader r(bytes);
  const uint8_t version = r.Byte();
  const uint8_t kind = r.Byte();
  const uint8_t op = r.Byte();
  ActionLogRecord record;
  record.op = static_cast<ActionLogOp>(op);
  r.String(&record.token);
  record.action_id = r.I64();
  record.at_ms = r.I64();
  r.String(&record.request_json);
  r.String(&record.created_by_json);
  if (!r.ok() || !r.at_end() || version != kActionLogRecordVersion || kind != kActionKind ||
      !KnownOp(op)) {
    return Status(StatusCode::kCorruption, "not a version-1 action log record");
  }
  return record;
}

}  // namespace actiond::engine
