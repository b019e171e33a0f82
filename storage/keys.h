// The byte layout of every RocksDB key actiond writes.
//
// Keys are concatenations of fixed-width big-endian fields, so that bytewise order (RocksDB's
// default comparator) is the order of the fields:
//   - ids (project, action, person) are u64 big-endian; ids are non-negative.
//   - timestamps (ms since the epoch) and day numbers are i64 made order-preserving: the sign
//     bit is flipped, then big-endian, so negative values sort before positive ones.
//   - strings (uuids, distinct ids, tokens) are raw bytes and always the *last* field, so they
//     need no length prefix and a prefix of a key is a range of keys.
//
// Per column family:
//   events        project | ts | uuid                → event record (opaque JSON bytes)
//   event_ids     project | uuid                     → ts (8 bytes, order-preserving)
//   matches       project | action | ts | uuid       → distinct_id ("" when no person)
//   counters      project | 'A' | action             → int64 LE: all-time matches of action
//                 project | 'A' | action | day       → int64 LE: matches on that UTC day
//                 project | 'E'                      → int64 LE: events stored in project
//                 project | 'P'                      → int64 LE: persons in project
//   persons       project | 'u' | person uuid        → Person record (records.h)
//                 project | 'i' | person id          → person uuid (listing in id order)
//   distinct_ids  project | distinct_id              → person uuid
//   actions       project | action                   → action JSON (opaque)
//   projects      'p' | project id                   → Project record
//                 't' | api_token                    → project id (8 bytes)
//   api_keys      'k' | key id                       → ApiKey record
//                 'h' | sha256 hex of the key        → key id (8 bytes)
//   hooks         project | hook id                  → Hook record
//   deliveries    project | state | delivery id      → Delivery record (state: DeliveryState)
//   meta          "v"                                → schema version (decimal text)
//                 "s/" + sequence name               → last id handed out (8 bytes)
//                 "m/" + caller's key                → caller's value (opaque)
//
// Append* functions append to *dst (callers reuse one buffer per thread to avoid allocation);
// the std::string-returning forms are for cold paths and tests. Thread-safety: all pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace actiond::storage::keys {

inline constexpr int64_t kMsPerDay = 86'400'000;

// Fixed-width field codecs. Get* require src.size() >= 8 and read the first 8 bytes.
void AppendU64(std::string* dst, uint64_t value);
void AppendI64(std::string* dst, int64_t value);
uint64_t DecodeU64(std::string_view src) noexcept;
int64_t DecodeI64(std::string_view src) noexcept;

// The UTC day (days since 1970-01-01) containing `ts_ms`; floors for negative times.
int64_t DayOf(int64_t ts_ms) noexcept;

// The smallest key greater than every key that starts with `prefix`; empty when there is none
// (prefix is all 0xff), meaning "no upper bound".
std::string PrefixSuccessor(std::string_view prefix);

// Counter key tags (the byte after the project id in the counters column family).
inline constexpr char kActionCounterTag = 'A';
inline constexpr char kEventsTotalTag = 'E';
inline constexpr char kPersonsTotalTag = 'P';
// Persons column family tags.
inline constexpr char kPersonByUuidTag = 'u';
inline constexpr char kPersonByIdTag = 'i';
// Projects / api_keys column family tags.
inline constexpr char kProjectByIdTag = 'p';
inline constexpr char kProjectByTokenTag = 't';
inline constexpr char kApiKeyByIdTag = 'k';
inline constexpr char kApiKeyByHashTag = 'h';

void AppendProjectPrefix(std::string* dst, int64_t project);
void AppendEventKey(std::string* dst, int64_t project, int64_t ts_ms, std::string_view uuid);
void AppendEventIdKey(std::string* dst, int64_t project, std::string_view uuid);
void AppendMatchPrefix(std::string* dst, int64_t project, int64_t action);
void AppendMatchKey(std::string* dst, int64_t project, int64_t action, int64_t ts_ms,
                    std::string_view uuid);
// The all-time counter key; it is also the prefix of the action's per-day keys.
void AppendActionTotalKey(std::string* dst, int64_t project, int64_t action);
void AppendActionDayKey(std::string* dst, int64_t project, int64_t action, int64_t day);
void AppendEventsTotalKey(std::string* dst, int64_t project);
void AppendPersonsTotalKey(std::string* dst, int64_t project);
void AppendPersonKey(std::string* dst, int64_t project, std::string_view person_uuid);
void AppendPersonIdPrefix(std::string* dst, int64_t project);
void AppendPersonIdKey(std::string* dst, int64_t project, int64_t person_id);
void AppendDistinctIdKey(std::string* dst, int64_t project, std::string_view distinct_id);
void AppendActionKey(std::string* dst, int64_t project, int64_t action);
void AppendProjectKey(std::string* dst, int64_t project);
void AppendProjectTokenKey(std::string* dst, std::string_view api_token);
void AppendApiKeyKey(std::string* dst, int64_t key_id);
void AppendApiKeyHashKey(std::string* dst, std::string_view secure_value_hash);
void AppendHookKey(std::string* dst, int64_t project, std::string_view hook_id);
// `state` is a DeliveryState's byte (records.h); the prefix is project | state.
void AppendDeliveryPrefix(std::string* dst, int64_t project, char state);
void AppendDeliveryKey(std::string* dst, int64_t project, char state, int64_t delivery_id);
bool ParseDeliveryKey(std::string_view key, int64_t* project, char* state,
                      int64_t* delivery_id) noexcept;

// Meta keys: the schema version, sequences, and callers' keys live in separate namespaces.
inline constexpr std::string_view kSchemaVersionKey = "v";
// Deleted (never written) by the write probe that tells a resumed store can write again.
inline constexpr std::string_view kWriteProbeKey = "w";
std::string SequenceKey(std::string_view name);
// A key the store's callers chose (WriteBatch::PutMeta, Store::GetMeta), under its own prefix.
std::string CallerMetaKey(std::string_view key);
inline constexpr std::string_view kCallerMetaPrefix = "m/";

// Convenience forms (allocate).
std::string EventKey(int64_t project, int64_t ts_ms, std::string_view uuid);
std::string MatchKey(int64_t project, int64_t action, int64_t ts_ms, std::string_view uuid);
std::string ActionDayKey(int64_t project, int64_t action, int64_t day);

// Parsing. Return false when `key` does not have the expected shape. Views point into `key`.
bool ParseEventKey(std::string_view key, int64_t* project, int64_t* ts_ms,
                   std::string_view* uuid) noexcept;
bool ParseMatchKey(std::string_view key, int64_t* project, int64_t* action, int64_t* ts_ms,
                   std::string_view* uuid) noexcept;
bool ParseActionDayKey(std::string_view key, int64_t* project, int64_t* action,
                       int64_t* day) noexcept;

}  // namespace actiond::storage::keys
