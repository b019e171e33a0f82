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
  // Where chat messages of `post_to_slack` actions go (docs/webhooks.md); "" when unset.
  std::string slack_incoming_webhook;

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
  // ISO-8601 of a recent use (written at most once a minute per key); empty: never used.
  std::string last_used_at;

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

// A REST-hook subscription (PostHog's Zapier hooks, docs/webhooks.md §4).
struct Hook {
  std::string id;  // a random token; unique in its project
  int64_t project = 0;
  std::string event;        // what it subscribed to: `action_performed`
  std::string target;       // the URL the payload is POSTed to
  int64_t resource_id = 0;  // the action it fires for; kEveryAction for every action
  int64_t user_id = 0;      // who subscribed
  std::string created_at;   // ISO-8601

  static constexpr int64_t kEveryAction = -1;
  friend bool operator==(const Hook&, const Hook&) = default;
};

// Where a webhook delivery stands; part of its key, so that each state is a range of keys.
enum class DeliveryState : char {
  kPending = 'p',  // to be sent (now or after a backoff)
  kFailed = 'f',   // dead letter: a final answer, or out of attempts; waits for a retry
};

// One request the deliver stage owes a webhook receiver: written in the WriteBatch of the match
// that caused it, deleted after a 2xx (docs/webhooks.md §6). Self-contained: the body is
// rendered when the match commits, so a later change to the action or the project does not
// alter what is owed.
struct Delivery {
  int64_t id = 0;  // from the "delivery" sequence; the order of commit within a project
  int64_t action_id = 0;
  std::string hook_id;  // "" for the chat message of a post_to_slack action
  std::string event_uuid;
  std::string target;           // the URL
  std::string body;             // the JSON request body
  int64_t created_ms = 0;       // when the match committed
  int64_t attempts = 0;         // requests sent so far
  int64_t next_attempt_ms = 0;  // not before this time
  int64_t last_status = 0;      // HTTP status of the last answer; 0 when none came
  std::string last_error;       // why the last attempt failed; "" when none did

  friend bool operator==(const Delivery&, const Delivery&) = default;
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
// Projects gained slack_incoming_webhook in format 2; DecodeProject still reads format 1 (an
// older store) as a project without one, so the schema version did not change.
inline constexpr unsigned char kProjectRecordFormat = 2;
// API keys gained last_used_at in format 2; DecodeApiKey reads format 1 as a key never used.
inline constexpr unsigned char kApiKeyRecordFormat = 2;

std::string EncodeProject(const Project& project);
Result<Project> DecodeProject(std::string_view bytes);
std::string EncodeApiKey(const ApiKey& key);
Result<ApiKey> DecodeApiKey(std::string_view bytes);
std::string EncodePerson(const Person& person);
Result<Person> DecodePerson(std::string_view bytes);
std::string EncodeHook(const Hook& hook);
Result<Hook> DecodeHook(std::string_view bytes);
std::string EncodeDelivery(const Delivery& delivery);
Result<Delivery> DecodeDelivery(std::string_view bytes);
// A cursor as bytes for the meta column family (order-preserving like an event key's tail).
std::string EncodeEventCursor(const EventCursor& cursor);
Result<EventCursor> DecodeEventCursor(std::string_view bytes);

}  // namespace actiond::storage
