// JsonObjectBuilder: an ordered JSON object edited with JavaScript's object semantics, for
// person properties ($set / $set_once / $unset, merges) and for merging an event's `$set`s.
//
// Members keep their first position; assigning an existing key replaces its value in place
// and a new key is appended (what `Object.assign` and `JSON.parse` do, so duplicate keys in
// the input collapse to the last value at the first position). Values are held as compact
// JSON text written by AppendJsJson, so two values are equal when their texts are equal.
//
// Lookups are linear: objects here are person properties and `$set` maps (tens to a few
// hundred keys). Engine-internal (simdjson types). Not thread-safe; reuse one per thread.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace actiond::engine {

class JsonObjectBuilder {
 public:
  void Clear() noexcept { members_.clear(); }
  bool empty() const noexcept { return members_.empty(); }
  size_t size() const noexcept { return members_.size(); }

  // Sets every member of `object`, overwriting existing keys. Returns how many members were
  // added or changed value.
  size_t Assign(simdjson::dom::object object);
  // Sets the members of `object` whose keys are absent (a key present with null counts as
  // present). Returns how many were added.
  size_t AssignAbsent(simdjson::dom::object object);
  // Sets one member from its compact JSON text; returns whether it was added or changed.
  bool Set(std::string_view key, std::string_view value_json);
  // Removes `key`; returns whether it was present.
  bool Remove(std::string_view key);

  // The compact JSON text of the member's value, or nullptr when absent. Valid until the
  // next edit.
  const std::string* Find(std::string_view key) const noexcept;

  // Appends the object as compact JSON (`{}` when empty).
  void AppendJson(std::string* out) const;

 private:
  struct Member {
    std::string key;
    std::string value;  // compact JSON text
  };
  Member* FindMember(std::string_view key) noexcept;

  std::vector<Member> members_;
  std::string scratch_;
};

}  // namespace actiond::engine
