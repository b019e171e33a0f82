#include "engine/json_object_builder.h"

#include "engine/json_text_internal.h"

namespace actiond::engine {

JsonObjectBuilder::Member* JsonObjectBuilder::FindMember(std::string_view key) noexcept {
  for (Member& member : members_) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

const std::string* JsonObjectBuilder::Find(std::string_view key) const noexcept {
  for (const Member& member : members_) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

bool JsonObjectBuilder::Set(std::string_view key, std::string_view value_json) {
  if (Member* member = FindMember(key)) {
    if (member->value == value_json) return false;
    member->value.assign(value_json);
    return true;
  }
  members_.push_back(Member{std::string(key), std::string(value_json)});
  return true;
}

size_t JsonObjectBuilder::Assign(simdjson::dom::object object) {
  size_t changed = 0;
  for (auto field : object) {
    scratch_.clear();
    AppendJsJson(field.value, &scratch_);
    if (Set(field.key, scratch_)) ++changed;
  }
  return changed;
}

size_t JsonObjectBuilder::AssignAbsent(simdjson::dom::object object) {
  // A key repeated inside `object` takes its last value (JSON.parse would have kept only that
  // one), so members added by this call may still be overwritten by it.
  const size_t before = members_.size();
  for (auto field : object) {
    if (Member* member = FindMember(field.key)) {
      if (static_cast<size_t>(member - members_.data()) < before) continue;
      member->value.clear();
      AppendJsJson(field.value, &member->value);
      continue;
    }
    scratch_.clear();
    AppendJsJson(field.value, &scratch_);
    members_.push_back(Member{std::string(field.key), scratch_});
  }
  return members_.size() - before;
}

bool JsonObjectBuilder::Remove(std::string_view key) {
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->key == key) {
      members_.erase(it);
      return true;
    }
  }
  return false;
}

void JsonObjectBuilder::AppendJson(std::string* out) const {
  out->push_back('{');
  bool first = true;
  for (const Member& member : members_) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(member.key, out);
    out->push_back(':');
    out->append(member.value);
  }
  out->push_back('}');
}

}  // namespace actiond::engine
