#include "engine/action_log_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/capture_log_record.h"
#include "engine/meta_log_record.h"

namespace actiond::engine {
namespace {

ActionLogRecord Record(ActionLogOp op) {
  ActionLogRecord record;
  record.op = op;
  record.token = "phc_abc";
  record.action_id = 9'007'199'254'740'993;  // beyond a double's exact integers
  record.at_ms = -1;
  record.request_json = std::string(R"({"name":"Buy \u00e9","steps":[{"id":"7"}]})") + '\0';
  record.created_by_json = op == ActionLogOp::kCreate ? R"({"id":1})" : "null";
  return record;
}

std::vector<ActionLogRecord> EveryOp() {
  return {Record(ActionLogOp::kCreate), Record(ActionLogOp::kPatch), Record(ActionLogOp::kPut)};
}

TEST(ActionLogRecordTest, EveryOpAndFieldSurvivesTheRoundTrip) {
  for (const ActionLogRecord& record : EveryOp()) {
    std::string bytes = "left over";
    EncodeActionLogRecord(record, &bytes);
    EXPECT_TRUE(IsActionLogRecord(bytes));
    Result<ActionLogRecord> decoded = DecodeActionLogRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, record);
  }
}

TEST(ActionLogRecordTest, EveryTruncationAndTrailingByteIsRefusedAsCorruption) {
  for (const ActionLogRecord& record : EveryOp()) {
    std::string bytes;
    EncodeActionLogRecord(record, &bytes);
    for (size_t size = 0; size < bytes.size(); ++size) {
      EXPECT_EQ(DecodeActionLogRecord(bytes.substr(0, size)).status().code(),
                StatusCode::kCorruption)
          << "cut at " << size;
    }
    EXPECT_EQ(DecodeActionLogRecord(bytes + "x").status().code(), StatusCode::kCorruption);
  }
}

TEST(ActionLogRecordTest, AHugeLengthIsRefusedWithoutReadingPastTheEnd) {
  std::string bytes;
  EncodeActionLogRecord(Record(ActionLogOp::kPatch), &bytes);
  bytes[3] = '\xff';  // the token's length: far more than the record holds
  bytes[6] = '\x7f';
  EXPECT_EQ(DecodeActionLogRecord(bytes).status().code(), StatusCode::kCorruption);
}

TEST(ActionLogRecordTest, AnotherVersionKindOrOpIsRefused) {
  std::string bytes;
  EncodeActionLogRecord(Record(ActionLogOp::kPut), &bytes);
  std::string other_version = bytes;
  other_version[0] = 2;
  EXPECT_FALSE(IsActionLogRecord(other_version));
  EXPECT_EQ(DecodeActionLogRecord(other_version).status().code(), StatusCode::kCorruption);
  std::string other_op = bytes;
  other_op[2] = 4;
  EXPECT_EQ(DecodeActionLogRecord(other_op).status().code(), StatusCode::kCorruption);
}

TEST(ActionLogRecordTest, CaptureAndMetaRecordsAreNotTakenForActionRecords) {
  std::string capture;
  EncodeCaptureLogRecord("phc_abc", 1, {}, &capture);
  EXPECT_FALSE(IsActionLogRecord(capture));
  EXPECT_EQ(DecodeActionLogRecord(capture).status().code(), StatusCode::kCorruption);
  MetaLogRecord meta;
  meta.api_token = "phc_abc";
  std::string meta_bytes;
  EncodeMetaLogRecord(meta, &meta_bytes);
  EXPECT_FALSE(IsActionLogRecord(meta_bytes));
  EXPECT_EQ(DecodeActionLogRecord(meta_bytes).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace actiond::engine
