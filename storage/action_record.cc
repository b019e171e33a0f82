#include "storage/action_record.h"

#include <array>

#include "engine/json_fields.h"
#include "engine/json_text.h"

namespace actiond::storage {

namespace {

void AppendKey(std::string_view key, std::string* out) {
  if (out->back() != '{') out->push_back(',');
  engine::AppendDrfJsonString(key, out);
  out->push_back(':');
}

void AppendString(std::string_view key, std::string_view value, std::string* out) {
  AppendKey(key, out);
  engine::AppendDrfJsonString(value, out);
}

void AppendOptional(std::string_view key, const std::optional<std::string>& value,
                    std::string* out) {
  AppendKey(key, out);
  if (value) {
    engine::AppendDrfJsonString(*value, out);
  } else {
    out->append("null");
  }
}

void AppendBool(std::string_view key, bool value, std::string* out) {
  AppendKey(key, out);
  out->append(value ? "true" : "false");
}

void AppendInt(std::string_view key, int64_t value, std::string* out) {
  AppendKey(key, out);
  out->append(std::to_string(value));
}

void AppendStep(const engine::ActionStep& step, std::string* out) {
  out->push_back('{');
  AppendOptional("id", step.id, out);
  AppendOptional("event", step.event, out);
  AppendOptional("tag_name", step.tag_name, out);
  AppendOptional("text", step.text, out);
  AppendOptional("text_matching", step.text_matching, out);
  AppendOptional("href", step.href, out);
  AppendOptional("href_matching", step.href_matching, out);
  AppendOptional("selector", step.selector, out);
  AppendOptional("url", step.url, out);
  AppendString("url_matching", step.url_matching.value_or("contains"), out);
  AppendOptional("name", step.name, out);
  AppendKey("properties", out);
  out->append(step.properties_json.empty() ? "[]" : step.properties_json);
  out->push_back('}');
}

// `"key":[…]`, each item written by append_item(item, out).
template <typename Item, typename AppendItem>
void AppendArray(std::string_view key, const std::vector<Item>& items, AppendItem append_item,
                 std::string* out) {
  AppendKey(key, out);
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    append_item(items[i], out);
  }
  out->push_back(']');
}

void AppendTags(const std::vector<std::string>& tags, std::string* out) {
  AppendArray(
      "tags", tags,
      [](std::string_view tag, std::string* o) { engine::AppendDrfJsonString(tag, o); }, out);
}

void AppendSteps(const std::vector<engine::ActionStep>& steps, std::string* out) {
  AppendArray("steps", steps, AppendStep, out);
}

// A step field's condition as the matcher reads it: null and "" are both "absent".
std::string_view Condition(const std::optional<std::string>& value, std::string_view absent = {}) {
  return value && !value->empty() ? std::string_view(*value) : absent;
}

Status Corrupt(ActionId id, std::string_view why) {
  return Status(StatusCode::kCorruption,
                "stored action " + std::to_string(id) + " is unreadable: " + std::string(why));
}

}  // namespace

std::string EncodeActionCreator(const ActionCreator& creator) {
  std::string out = "{";
  AppendInt("id", creator.id, &out);
  AppendString("uuid", creator.uuid, &out);
  AppendString("distinct_id", creator.distinct_id, &out);
  AppendString("first_name", creator.first_name, &out);
  AppendString("email", creator.email, &out);
  AppendBool("is_email_verified", creator.is_email_verified, &out);
  out.push_back('}');
  return out;
}

std::string EncodeActionRecord(const ActionRecord& record) {
  std::string out = "{";
  AppendInt("id", record.id, &out);
  AppendString("name", record.name, &out);
  AppendString("description", record.description, &out);
  AppendTags(record.tags, &out);
  AppendBool("post_to_slack", record.post_to_slack, &out);
  AppendString("slack_message_format", record.slack_message_format, &out);
  AppendSteps(record.steps, &out);
  AppendString("created_at", record.created_at, &out);
  AppendKey("created_by", &out);
  out.append(record.created_by_json.empty() ? "null" : record.created_by_json);
  AppendBool("deleted", record.deleted, &out);
  AppendBool("is_calculating", record.is_calculating, &out);
  AppendOptional("last_calculated_at", record.last_calculated_at, &out);
  AppendInt("team_id", record.team_id, &out);
  AppendBool("is_action", true, &out);
  out.push_back('}');
  return out;
}

std::string EncodeActionRequest(const engine::ActionRequest& request) {
  std::string out = "{";
  if (request.name) AppendString("name", *request.name, &out);
  if (request.description) AppendString("description", *request.description, &out);
  if (request.tags) AppendTags(*request.tags, &out);
  if (request.post_to_slack) AppendBool("post_to_slack", *request.post_to_slack, &out);
  if (request.slack_message_format) {
    AppendString("slack_message_format", *request.slack_message_format, &out);
  }
  if (request.steps) AppendSteps(*request.steps, &out);
  if (request.deleted) AppendBool("deleted", *request.deleted, &out);
  if (request.last_calculated_at) {
    AppendString("last_calculated_at", *request.last_calculated_at, &out);
  }
  out.push_back('}');
  return out;
}

Result<ActionRecord> DecodeActionRecord(ProjectId team_id, ActionId id, std::string_view json) {
  auto request = engine::ParseActionRequest(json);
  if (!request.ok()) return Corrupt(id, request.status().message());
  static constexpr std::array<std::string_view, 3> kKeys = {"created_at", "created_by",
                                                            "is_calculating"};
  std::vector<engine::JsonMember> members;
  if (Status s = engine::ReadTopLevelMembers(json, kKeys, &members); !s.ok()) {
    return Corrupt(id, s.message());
  }
  if (!request->name || members[0].kind != engine::JsonMember::Kind::kString) {
    return Corrupt(id, "name or created_at missing");
  }
  ActionRecord record;
  record.id = id;
  record.team_id = team_id;
  record.name = std::move(*request->name);
  record.description = request->description.value_or("");
  record.tags = request->tags.value_or(std::vector<std::string>{});
  record.post_to_slack = request->post_to_slack.value_or(false);
  record.slack_message_format = request->slack_message_format.value_or("");
  record.steps = request->steps.value_or(std::vector<engine::ActionStep>{});
  record.created_at = std::move(members[0].text);
  record.created_by_json =
      members[1].kind == engine::JsonMember::Kind::kObject ? std::move(members[1].text) : "null";
  record.deleted = request->deleted.value_or(false);
  record.is_calculating = members[2].text == "true";
  record.last_calculated_at = std::move(request->last_calculated_at);
  return record;
}

bool SameStepConditions(const std::vector<engine::ActionStep>& a,
                        const std::vector<engine::ActionStep>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const engine::ActionStep& x = a[i];
    const engine::ActionStep& y = b[i];
    if (Condition(x.event) != Condition(y.event) || Condition(x.url) != Condition(y.url) ||
        Condition(x.url_matching, "contains") != Condition(y.url_matching, "contains") ||
        Condition(x.tag_name) != Condition(y.tag_name) || Condition(x.text) != Condition(y.text) ||
        Condition(x.text_matching, "exact") != Condition(y.text_matching, "exact") ||
        Condition(x.href) != Condition(y.href) ||
        Condition(x.href_matching, "exact") != Condition(y.href_matching, "exact") ||
        Condition(x.selector) != Condition(y.selector) || x.properties_json != y.properties_json) {
      return false;
    }
  }
  return true;
}

}  // namespace actiond::storage
