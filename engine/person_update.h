// Person-property logic of docs/semantics.md §7/§8.9, pure: applying an event's $set / $set_once /
// $unset to a person's properties, merging two persons' properties, and which distinct ids
// may take part in a merge. Storage of persons and distinct ids is the caller's.
//
// Properties are compact JSON object text. Key order is kept: existing keys stay where they
// are, new keys are appended.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

class PersonPropertyUpdaterImpl;

// Not thread-safe: keep one per thread (it reuses a JSON parser and buffers).
class PersonPropertyUpdater {
 public:
  PersonPropertyUpdater();
  ~PersonPropertyUpdater();
  PersonPropertyUpdater(const PersonPropertyUpdater&) = delete;
  PersonPropertyUpdater& operator=(const PersonPropertyUpdater&) = delete;

  // Whether applying these would do anything at all: false when `set` and `set_once` are empty
  // objects and there is nothing to unset (most events), so callers can skip
  // ApplyPersonUpdates and its copy of the current properties.
  static bool HasUpdates(std::string_view set_json, std::string_view set_once_json,
                         const std::vector<std::string>& unset_keys) noexcept;

  // Writes (replacing *out) `current` after, in this order: `set_once` for keys that are
  // absent (a key present with null counts as present), `set` overwriting, then removing
  // `unset_keys`. An empty string stands for `{}` in every JSON argument. Returns whether the
  // properties changed (a $set to an equal value is no change). Errors: InvalidInput when a
  // JSON argument is not an object.
  Result<bool> ApplyPersonUpdates(std::string_view current_json, std::string_view set_json,
                                  std::string_view set_once_json,
                                  const std::vector<std::string>& unset_keys, std::string* out);

  // Writes (replacing *out) the properties of `target` merged with `source`: the target's
  // values win, keys only the source has are added after the target's. Errors as above.
  Status MergePersonProperties(std::string_view target_json, std::string_view source_json,
                               std::string* out);

 private:
  std::unique_ptr<PersonPropertyUpdaterImpl> impl_;
};

// False for ids that never take part in a merge (docs/semantics.md §8.9): empty or
// whitespace-only (JavaScript's trim() whitespace); case-insensitively `anonymous`, `guest`,
// `distinctid`, `distinct_id`, `id`, `not_authenticated`, `email`, `undefined`, `true`,
// `false`; exactly `[object Object]`, `NaN`, `None`, `none`, `null`, `0`; and any of these
// wrapped in double quotes (`"null"`). Thread-safe.
bool IsMergeableDistinctId(std::string_view id) noexcept;

}  // namespace actiond::engine
