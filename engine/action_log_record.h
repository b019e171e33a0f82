// ActionLogRecord: a change to one action as a record of the project's partition of the
// cluster's event log (docs/cluster.md §Actions). The partition's holder validates a create,
// PATCH or PUT, gives it everything a replica could otherwise choose differently — the action's
// id, its steps' ids, its creation time, its creator — and writes it here; every node that
// applies the partition applies the change at the same place among the project's events, so
// each replica reaches the same actions, and a backfill covers exactly the events before the
// record while live matching takes the events after it.
//
// The change itself is carried as the request (the fields given, storage's
// EncodeActionRequest), not as the resulting action: a PATCH applies to the action as it is at
// the record's place in the log, which the producing node cannot know when two changes race.
//
// Layout (version 1, integers little-endian, a string is u32 length + bytes):
//   u8 version=1, u8 kind=4 (1 is a capture record, 2 and 3 meta records: a record of another
//   kind is refused, not misread), u8 op (1 create, 2 patch, 3 put), string token, i64
//   action_id, i64 at_ms, string request_json, string created_by_json.
// Decoding checks every length against the bytes left: a truncated, foreign or later-version
// record is kCorruption, never a read past the end.
//
// Thread-safety: free functions; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

inline constexpr uint8_t kActionLogRecordVersion = 1;

enum class ActionLogOp : uint8_t { kCreate = 1, kPatch = 2, kPut = 3 };

struct ActionLogRecord {
  ActionLogOp op = ActionLogOp::kCreate;
  std::string token;  // the project's: the record's partition is the token's
  int64_t action_id = 0;
  int64_t at_ms = 0;            // create: the action's created_at
  std::string request_json;     // the validated request, every step with its id
  std::string created_by_json;  // create: the `created_by` object, or "null"

  bool operator==(const ActionLogRecord&) const = default;
};

// True when `record` claims to be an action record (its version and kind bytes); the event
// log holds capture and action records, and the applier reads the kind before decoding.
bool IsActionLogRecord(std::string_view record);

// Writes `record` to *out (cleared first).
void EncodeActionLogRecord(const ActionLogRecord& record, std::string* out);

// kCorruption when `bytes` is not a whole version-1 action record.
Result<ActionLogRecord> DecodeActionLogRecord(std::string_view bytes);

}  // namespace actiond::engine
