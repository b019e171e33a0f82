// The records storage keeps whole (everything that is not an opaque JSON blob), and their
// compact binary encoding.
//
// Encoding: one format byte (kRecordFormat), then the fields in declaration order: integers as
// 8 bytes little-endian, bools as one byte, strings as a varint length and the bytes, lists as
// a varint count and the items. Decode* refuse a different format byte, a truncated record or
// trailing bytes with a Corruption status, never a partial value. Each record's fields are
// listed once, in a table in records.cc that both directions walk; a member added here must be
// added there (a static_assert counts them).
//
// Thread-safety: plain values; the functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::storage {

using ProjectId = int64_t;  // non-negative
using ActionId = int64_t;   // non-negative; the same type as engine::ActionId

struct Project {
  int64_t id = 0;
  std::string name;
  std::string api_token;   // phc_…; unique; never changes once stored
  std::string created_at;  // ISO-8601, as shown by the API

  friend bool operator==(const Project&, const Project&) = default;
};

struct ApiKey {
  int64_t id = 0;
  std::string label;
  std::string secure_value_hash;      // Sha256Hex(the key's value); the value itself is not kept
  std::vector<std::string> scopes;    // "action:read", "action:write", "*", …
  std::vector<int64_t> scoped_teams;  // project ids; empty means every project
  int64_t user_id = 0;
  std::string created_at;  // ISO-8601
  std::string mask_value;  // e.g. "phx_...abcd", shown in listings

  friend bool operator==(const ApiKey&, const ApiKey&) = default;
};

struct Person {
  std::string uuid;
  int64_t id = 0;                      // from the "person" sequence; orders ListPersons
  std::string created_at;              // ISO-8601
  std::string properties_json = "{}";  // a JSON object, compact
  bool is_identified = false;
  std::vector<std::string> distinct_ids;  // mirrors the distinct_ids column family

  friend bool operator==(const Person&, const Person&) = default;
};

// An event as stored: its timestamp, uuid and the caller's record bytes.
struct StoredEvent {
  int64_t timestamp_ms = 0;
  std::string uuid;
  std::string record_json;

  friend bool operator==(const StoredEvent&, const StoredEvent&) = default;
};

// A position in a project's events, which are ordered by (timestamp_ms, uuid). Backfill saves
// the last event it processed and resumes strictly after it.
struct EventCursor {
  int64_t timestamp_ms = 0;
  std::string uuid;

  friend bool operator==(const EventCursor&, const EventCursor&) = default;
};

inline constexpr unsigned char kRecordFormat = 1;

std::string EncodeProject(const Project& project);
Result<Project> DecodeProject(std::string_view bytes);
std::string EncodeApiKey(const ApiKey& key);
Result<ApiKey> DecodeApiKey(std::string_view bytes);
std::string EncodePerson(const Person& person);
Result<Person> DecodePerson(std::string_view bytes);
// A cursor as bytes for the meta column family (order-preserving like an event key's tail).
std::string EncodeEventCursor(const EventCursor& cursor);
Result<EventCursor> DecodeEventCursor(std::string_view bytes);

}  // namespace actiond::storage
