// ActionRecord: an action as actiond stores it — PostHog's Action object, field for field
// (docs/api.md §9.1) — and its JSON encoding, which is also exactly what the Actions API returns
// for it.
//
// Stored JSON (member order fixed): {"id","name","description","tags","post_to_slack",
// "slack_message_format","steps":[{"id","event","tag_name","text","text_matching","href",
// "href_matching","selector","url","url_matching","name","properties"}],"created_at",
// "created_by","deleted","is_calculating","last_calculated_at","team_id","is_action"}.
// A step field that is absent is written as null, except url_matching, written as PostHog's
// default "contains".
//
// Thread-safety: plain values; the functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/action_definition.h"
#include "engine/status.h"
#include "storage/records.h"

namespace actiond::storage {

// The user shown as `created_by` (its shape: docs/api.md §9.1).
struct ActionCreator {
  int64_t id = 0;
  std::string uuid;
  std::string distinct_id;
  std::string first_name;
  std::string email;
  bool is_email_verified = false;
};

struct ActionRecord {
  ActionId id = 0;
  ProjectId team_id = 0;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  bool post_to_slack = false;
  std::string slack_message_format;
  std::vector<engine::ActionStep> steps;  // every step has an id
  std::string created_at;                 // ISO-8601
  std::string created_by_json = "null";   // a JSON object in ActionCreator's shape, or null
  bool deleted = false;
  bool is_calculating = false;
  std::optional<std::string> last_calculated_at;  // ISO-8601; null until a backfill finishes
};

// The JSON object of an ActionCreator.
std::string EncodeActionCreator(const ActionCreator& creator);

// The record as the API's Action object (compact JSON).
std::string EncodeActionRecord(const ActionRecord& record);

// A request as JSON that engine::ParseActionRequest reads back to an equal request: only the
// fields present are written, steps as EncodeActionRecord writes them. The cluster's log carries
// action changes in this form (docs/cluster.md §Actions).
std::string EncodeActionRequest(const engine::ActionRequest& request);

// Reads a record written by EncodeActionRecord. `id` and `team_id` come from the store's key.
// Errors: kCorruption when `json` is not such a record.
Result<ActionRecord> DecodeActionRecord(ProjectId team_id, ActionId id, std::string_view json);

// Whether two step lists match the same events: equal field by field, step ids ignored.
bool SameStepConditions(const std::vector<engine::ActionStep>& a,
                        const std::vector<engine::ActionStep>& b);

}  // namespace actiond::storage
