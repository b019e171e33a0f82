// CaptureLogRecord: a validated capture request as one record of the cluster's event log
// (docs/cluster.md §Records). In cluster mode the node that receives a capture request decodes
// and validates it exactly as in embedded mode, then writes this record to Kafka; whichever
// node applies the project's partition reads it back into the same engine::CapturedEvent
// values the embedded pipeline ingests. So the record carries the events as already
// normalised (uuid assigned, timestamp computed, $set merged): applying it never depends on
// the applying node's clock or randomness, and every replica stores the same bytes.
//
// Layout (version 1, integers little-endian, a string is u32 length + bytes):
//   u8 version=1, u8 kind=1 (capture), i64 received_ms, string token, u32 event count, then per
//   event: uuid, event, distinct_id, i64 timestamp_ms, properties_json, set_json,
//   set_once_json, u32 unset count + that many strings, elements_chain,
//   u8 process_person_profile, anon_distinct_id, alias.
// Decoding checks every length against the bytes left: a truncated or foreign record is
// kCorruption, never a read past the end.
//
// Thread-safety: free functions; no shared state.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/capture_payload.h"
#include "engine/status.h"

namespace actiond::engine {

inline constexpr uint8_t kCaptureLogRecordVersion = 1;

// Appends the record for `events` of the project `token`, received at `received_ms`, to *out
// (cleared first).
void EncodeCaptureLogRecord(std::string_view token, int64_t received_ms,
                            std::span<const CapturedEvent> events, std::string* out);

// Reads a record back into *request (its token and events; earlier contents replaced, string
// buffers reused) and *received_ms. kCorruption when `record` is not a version-1 capture record.
Status DecodeCaptureLogRecord(std::string_view record, CaptureRequest* request,
                              int64_t* received_ms);

}  // namespace actiond::engine
