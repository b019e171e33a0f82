#include "engine/meta_log_record.h"

#include "engine/log_record_io_internal.h"

namespace actiond::engine {
namespace {

constexpr uint8_t kNameField = 1;
constexpr uint8_t kWebhookField = 2;

Status NotAMetaRecord() {
  return Status(StatusCode::kCorruption, "not a whole version-1 meta log record");
}

}  // namespace

void EncodeMetaLogRecord(const MetaLogRecord& record, std::string* out) {
  out->clear();
  RecordWriter w(out);
  w.Byte(kMetaLogRecordVersion);
  w.Byte(static_cast<uint8_t>(record.kind));
  w.String(record.api_token);
  if (record.kind == MetaLogKind::kPersonalKeyCreate ||
      record.kind == MetaLogKind::kPersonalKeyRevoke) {
    w.String(record.payload);
    return;
  }
  if (record.kind == MetaLogKind::kProjectCreate) {
    w.String(record.name.value_or(""));
    return;
  }
  w.Byte((record.name ? kNameField : 0) | (record.slack_incoming_webhook ? kWebhookField : 0));
  if (record.name) w.String(*record.name);
  if (record.slack_incoming_webhook) w.String(*record.slack_incoming_webhook);
}

Result<MetaLogRecord> DecodeMetaLogRecord(std::string_view bytes) {
  RecordReader r(bytes);
  const uint8_t version = r.Byte();
  const uint8_t kind = r.Byte();
  if (!r.ok() || version != kMetaLogRecordVersion) return NotAMetaRecord();
  MetaLogRecord record;
  r.String(&record.api_token);
  if (kind == static_cast<uint8_t>(MetaLogKind::kProjectCreate)) {
    record.kind = MetaLogKind::kProjectCreate;
    r.String(&record.name.emplace());
  } else if (kind == static_cast<uint8_t>(MetaLogKind::kProjectUpdate)) {
    record.kind = MetaLogKind::kProjectUpdate;
    const uint8_t fields = r.Byte();
    // A field this version does not know would be dropped silently: refuse the record instead.
    if ((fields & ~(kNameField | kWebhookField)) != 0) return NotAMetaRecord();
    if ((fields & kNameField) != 0) r.String(&record.name.emplace());
    if ((fields & kWebhookField) != 0) r.String(&record.slack_incoming_webhook.emplace());
  } else if (kind == static_cast<uint8_t>(MetaLogKind::kPersonalKeyCreate) ||
             kind == static_cast<uint8_t>(MetaLogKind::kPersonalKeyRevoke)) {
    record.kind = static_cast<MetaLogKind>(kind);
    r.String(&record.payload);
  } else {
    return NotAMetaRecord();
  }
  if (!r.ok() || !r.at_end()) return NotAMetaRecord();
  return record;
}

}  // namespace actiond::engine
