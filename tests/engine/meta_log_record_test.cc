#include "engine/meta_log_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/capture_log_record.h"

namespace actiond::engine {
namespace {

MetaLogRecord Create() {
  MetaLogRecord record;
  record.kind = MetaLogKind::kProjectCreate;
  record.api_token = "phc_abc";
  record.name = std::string("Shop \xc3\xa9 with\0nul", 16);
  return record;
}

MetaLogRecord Update(std::optional<std::string> name, std::optional<std::string> webhook) {
  MetaLogRecord record;
  record.kind = MetaLogKind::kProjectUpdate;
  record.api_token = "phc_abc";
  record.name = std::move(name);
  record.slack_incoming_webhook = std::move(webhook);
  return record;
}

MetaLogRecord Key(MetaLogKind kind, std::string payload) {
  MetaLogRecord record;
  record.kind = kind;
  record.payload = std::move(payload);
  return record;
}

std::vector<MetaLogRecord> EveryShape() {
  return {Create(),
          Update("Renamed", std::nullopt),
          Update(std::nullopt, "https://hooks.example/x"),
          Update("Both", ""),
          Update(std::nullopt, std::nullopt),
          Key(MetaLogKind::kPersonalKeyCreate, std::string("\x02key\0bytes", 11)),
          Key(MetaLogKind::kPersonalKeyRevoke, "9f86d081884c7d65")};
}

TEST(MetaLogRecordTest, EveryKindAndFieldSurvivesTheRoundTrip) {
  for (const MetaLogRecord& record : EveryShape()) {
    std::string bytes = "left over";
    EncodeMetaLogRecord(record, &bytes);
    Result<MetaLogRecord> decoded = DecodeMetaLogRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, record);
  }
}

TEST(MetaLogRecordTest, AnUpdateTellsAnAbsentFieldFromAnEmptyOne) {
  // "" clears the webhook; an absent one leaves it as it is.
  std::string bytes;
  EncodeMetaLogRecord(Update(std::nullopt, ""), &bytes);
  Result<MetaLogRecord> decoded = DecodeMetaLogRecord(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->name.has_value());
  ASSERT_TRUE(decoded->slack_incoming_webhook.has_value());
  EXPECT_EQ(*decoded->slack_incoming_webhook, "");
}

TEST(MetaLogRecordTest, EveryTruncationAndTrailingByteIsRefusedAsCorruption) {
  for (const MetaLogRecord& record : EveryShape()) {
    std::string bytes;
    EncodeMetaLogRecord(record, &bytes);
    for (size_t size = 0; size < bytes.size(); ++size) {
      EXPECT_EQ(DecodeMetaLogRecord(bytes.substr(0, size)).status().code(), StatusCode::kCorruption)
          << "cut at " << size;
    }
    EXPECT_EQ(DecodeMetaLogRecord(bytes + "x").status().code(), StatusCode::kCorruption);
  }
}

TEST(MetaLogRecordTest, AHugeLengthIsRefusedWithoutReadingPastTheEnd) {
  std::string bytes;
  EncodeMetaLogRecord(Create(), &bytes);
  bytes[2] = '\xff';  // the token's length: far more than the record holds
  bytes[5] = '\x7f';
  EXPECT_EQ(DecodeMetaLogRecord(bytes).status().code(), StatusCode::kCorruption);
}

TEST(MetaLogRecordTest, AnotherVersionKindOrUnknownFieldIsRefused) {
  std::string bytes;
  EncodeMetaLogRecord(Update("n", std::nullopt), &bytes);
  std::string other_version = bytes;
  other_version[0] = 2;
  EXPECT_EQ(DecodeMetaLogRecord(other_version).status().code(), StatusCode::kCorruption);
  std::string other_kind = bytes;
  other_kind[1] = 9;
  EXPECT_EQ(DecodeMetaLogRecord(other_kind).status().code(), StatusCode::kCorruption);
  std::string unknown_field = bytes;
  unknown_field[2 + 4 + 7] |= 4;  // after version, kind and "phc_abc": the fields byte
  EXPECT_EQ(DecodeMetaLogRecord(unknown_field).status().code(), StatusCode::kCorruption);
}

TEST(MetaLogRecordTest, ACaptureRecordIsNotReadAsAMetaRecord) {
  std::string capture;
  EncodeCaptureLogRecord("phc_abc", 1, {}, &capture);
  EXPECT_EQ(DecodeMetaLogRecord(capture).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace actiond::engine
