// MetaLogRecord: a change to the cluster's accounts as one record of the `<prefix>meta` topic
// (docs/cluster.md §Projects). Every node applies the whole meta topic in log order, so a
// project created or changed through any node exists, with the same id and token, on all.
//
// Kinds:
//   project_create {api_token, name}: create the project with exactly this token, unless a
//     project already has it (a redelivered record changes nothing);
//   project_update {api_token, optional name, optional slack_incoming_webhook}: change the
//     fields given of the project with this token ("" clears the webhook);
//   personal_key_create {payload: the key as storage encodes it, its id left to each node}: add
//     the key unless a key with its value's hash exists;
//   personal_key_revoke {payload: the SHA-256 hex of the key's value}: delete that key.
// The token names the project rather than its id: the token is chosen by the node that
// produces the record, before any node has given the project an id.
//
// Layout (version 1, integers little-endian, a string is u32 length + bytes):
//   u8 version=1, u8 kind (2 project_create, 3 project_update, 5 personal_key_create,
//   6 personal_key_revoke; kind 1 is a capture record and 4 an action record, both of the
//   events topic, so a record written to the wrong topic is refused, not misread), string
//   api_token ("" for the key kinds), then
//   project_create: string name;
//   project_update: u8 fields (bit 0: name, bit 1: slack_incoming_webhook), then the strings
//   of the fields present, in that order;
//   personal_key_create, personal_key_revoke: string payload.
// Decoding checks every length against the bytes left: a truncated, foreign or later-version
// record is kCorruption, never a read past the end.
//
// Thread-safety: free functions; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

inline constexpr uint8_t kMetaLogRecordVersion = 1;

enum class MetaLogKind : uint8_t {
  kProjectCreate = 2,
  kProjectUpdate = 3,
  kPersonalKeyCreate = 5,
  kPersonalKeyRevoke = 6,
};

struct MetaLogRecord {
  MetaLogKind kind = MetaLogKind::kProjectCreate;
  std::string api_token;
  // project_create: the name (an absent one is encoded as ""); project_update: set when the
  // name changes.
  std::optional<std::string> name;
  // project_update only: set when the webhook URL changes; "" clears it.
  std::optional<std::string> slack_incoming_webhook;
  // The personal key kinds' (above).
  std::string payload;

  bool operator==(const MetaLogRecord&) const = default;
};

// Writes `record` to *out (cleared first).
void EncodeMetaLogRecord(const MetaLogRecord& record, std::string* out);

// kCorruption when `bytes` is not a whole version-1 meta record.
Result<MetaLogRecord> DecodeMetaLogRecord(std::string_view bytes);

}  // namespace actiond::engine
