#include "service/person_resolver.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/capture_fields.h"
#include "engine/date_time.h"
#include "service/person_uuid.h"

namespace actiond::service {
namespace {

constexpr std::string_view kIdentify = "$identify";
constexpr std::string_view kCreateAlias = "$create_alias";
constexpr std::string_view kMergeDangerously = "$merge_dangerously";

// True when created_at `a` is older than `b`. Ours are all FormatIso8601 text, but compare the
// instants so that a record written another way still merges right; unparseable text loses.
bool OlderThan(std::string_view a, std::string_view b) {
  const auto pa = engine::ParseIso8601(a);
  const auto pb = engine::ParseIso8601(b);
  if (pa && pb) return pa->epoch_ms < pb->epoch_ms;
  if (pa || pb) return pa.has_value();
  return a < b;
}

}  // namespace

PersonResolver::PersonResolver() = default;
PersonResolver::~PersonResolver() = default;

void PersonResolver::Begin(storage::Store* store, ProjectId project, ProjectPersons* cache) {
  Clear();
  store_ = store;
  project_ = project;
  cache_ = cache;
}

void PersonResolver::Committed() {
  if (cache_ == nullptr) return;
  for (Entry* entry : order_) {
    if (entry->deleted) {
      cache_->ErasePerson(entry->person.uuid);
    } else {
      cache_->PutPerson(std::move(entry->person));  // the overlay is done with it
    }
  }
  for (const auto& [distinct_id, mapping] : mappings_) {
    if (!mapping.person_uuid.empty()) cache_->PutMapping(distinct_id, mapping.person_uuid);
  }
}

Result<std::optional<std::string>> PersonResolver::ReadPersonUuid(
    std::string_view distinct_id) const {
  if (cache_ != nullptr) {
    if (const std::string* uuid = cache_->FindPersonUuid(distinct_id)) {
      return std::optional<std::string>(*uuid);
    }
  }
  return store_->GetPersonUuid(project_, distinct_id);
}

Result<std::optional<Person>> PersonResolver::ReadPerson(const std::string& uuid) {
  if (cache_ != nullptr) {
    if (std::optional<Person> person = cache_->TakePerson(uuid)) return person;
  }
  return store_->GetPerson(project_, uuid);
}

void PersonResolver::Clear() {
  persons_.clear();
  mappings_.clear();
  order_.clear();
  changed_ids_.clear();
}

PersonResolver::Entry* PersonResolver::Live(Entry* entry) {
  while (entry->deleted) entry = &persons_.find(entry->merged_into)->second;
  return entry;
}

Result<PersonResolver::Entry*> PersonResolver::Lookup(std::string_view distinct_id) {
  if (auto it = mappings_.find(distinct_id); it != mappings_.end()) {
    if (it->second.person_uuid.empty()) return static_cast<Entry*>(nullptr);
    return Live(&persons_.find(it->second.person_uuid)->second);
  }
  ACTIOND_ASSIGN_OR_RETURN(auto stored_uuid, ReadPersonUuid(distinct_id));
  Mapping& mapping = mappings_[std::string(distinct_id)];
  if (!stored_uuid) return static_cast<Entry*>(nullptr);
  if (auto person = persons_.find(*stored_uuid); person != persons_.end()) {
    // Loaded through another of its ids: the overlay is newer than the store. A merge re-points
    // every id its source's record lists; should a record have missed one, follow the merge.
    Entry* live = Live(&person->second);
    mapping.person_uuid = live->person.uuid;
    return live;
  }
  ACTIOND_ASSIGN_OR_RETURN(auto stored, ReadPerson(*stored_uuid));
  // A mapping to a missing person cannot come from our writes (a merge re-points every id of
  // the person it deletes); treat the id as new, and its next person overwrites the mapping.
  if (!stored) return static_cast<Entry*>(nullptr);
  mapping.person_uuid = *stored_uuid;
  Entry& entry = persons_.try_emplace(*stored_uuid).first->second;
  entry.person = std::move(*stored);
  entry.in_store = true;
  order_.push_back(&entry);
  return &entry;
}

void PersonResolver::SetMapping(std::string_view distinct_id, const std::string& person_uuid) {
  auto it = mappings_.find(distinct_id);
  if (it == mappings_.end()) it = mappings_.try_emplace(std::string(distinct_id)).first;
  it->second.person_uuid = person_uuid;
  if (!it->second.changed) {
    it->second.changed = true;
    changed_ids_.push_back(&it->first);
  }
}

PersonResolver::Entry* PersonResolver::Create(std::string_view distinct_id, int64_t timestamp_ms) {
  std::string uuid;
  PersonUuid(project_, distinct_id, &uuid);
  Entry& entry = persons_.try_emplace(uuid).first->second;
  entry.person.uuid = uuid;
  entry.person.created_at = engine::FormatIso8601(timestamp_ms);
  entry.person.distinct_ids.emplace_back(distinct_id);
  entry.dirty = true;
  order_.push_back(&entry);
  SetMapping(distinct_id, entry.person.uuid);
  return &entry;
}

void PersonResolver::AddDistinctId(Entry* person, std::string_view distinct_id) {
  person->person.distinct_ids.emplace_back(distinct_id);
  person->dirty = true;
  SetMapping(distinct_id, person->person.uuid);
}

Status PersonResolver::Merge(Entry* target, Entry* source) {
  ACTIOND_RETURN_IF_ERROR(updater_.MergePersonProperties(
      target->person.properties_json, source->person.properties_json, &scratch_));
  target->person.properties_json.swap(scratch_);
  if (OlderThan(source->person.created_at, target->person.created_at)) {
    target->person.created_at = source->person.created_at;
  }
  for (std::string& id : source->person.distinct_ids) {
    SetMapping(id, target->person.uuid);
    target->person.distinct_ids.push_back(std::move(id));
  }
  source->person.distinct_ids.clear();
  source->deleted = true;
  source->merged_into = target->person.uuid;
  target->dirty = true;
  return Status::Ok();
}

Status PersonResolver::ResolveMerge(const engine::CapturedEvent& event, std::string_view other_id,
                                    Entry** person) {
  ACTIOND_ASSIGN_OR_RETURN(Entry * target, Lookup(event.distinct_id));
  ACTIOND_ASSIGN_OR_RETURN(Entry * source, Lookup(other_id));
  const bool guarded = event.event != kMergeDangerously;
  if (source != nullptr && guarded && source != target && source->person.is_identified) {
    return Status::Ok();  // refused: the event goes on with its own id's person
  }
  if (source != nullptr && target != nullptr) {
    if (source != target) ACTIOND_RETURN_IF_ERROR(Merge(target, source));
    *person = target;
  } else if (source != nullptr) {
    AddDistinctId(source, event.distinct_id);
    *person = source;
  } else if (target != nullptr) {
    AddDistinctId(target, other_id);
    *person = target;
  } else {
    *person = Create(event.distinct_id, event.timestamp_ms);
    AddDistinctId(*person, other_id);
  }
  return Status::Ok();
}

Result<const Person*> PersonResolver::Resolve(const engine::CapturedEvent& event) {
  if (!event.process_person_profile) return static_cast<const Person*>(nullptr);

  std::string_view other_id;
  if (event.event == kIdentify) {
    other_id = event.anon_distinct_id;
  } else if (event.event == kCreateAlias || event.event == kMergeDangerously) {
    other_id = event.alias;
  }
  // An empty other id is "absent" (and would never merge anyway).
  const bool merging = !other_id.empty() && other_id != event.distinct_id &&
                       engine::IsMergeableDistinctId(event.distinct_id) &&
                       engine::IsMergeableDistinctId(other_id);

  Entry* person = nullptr;
  if (merging) ACTIOND_RETURN_IF_ERROR(ResolveMerge(event, other_id, &person));
  if (person == nullptr) {
    ACTIOND_ASSIGN_OR_RETURN(person, Lookup(event.distinct_id));
    if (person == nullptr) person = Create(event.distinct_id, event.timestamp_ms);
  }

  if (engine::PersonPropertyUpdater::HasUpdates(event.set_json, event.set_once_json,
                                                event.unset_keys)) {
    ACTIOND_ASSIGN_OR_RETURN(bool changed, updater_.ApplyPersonUpdates(
                                               person->person.properties_json, event.set_json,
                                               event.set_once_json, event.unset_keys, &scratch_));
    if (changed) {
      person->person.properties_json.swap(scratch_);
      person->dirty = true;
    }
  }
  if (merging && !person->person.is_identified) {
    person->person.is_identified = true;
    person->dirty = true;
  }
  return static_cast<const Person*>(&person->person);
}

Status PersonResolver::Flush(storage::WriteBatch* batch) {
  // One reservation for every person this request creates (one synced write under --fsync).
  int64_t created = 0;
  for (const Entry* entry : order_) created += !entry->in_store && !entry->deleted;
  int64_t next_person_id = 0;
  if (created > 0) {
    ACTIOND_ASSIGN_OR_RETURN(next_person_id, store_->ReserveIds("person", created));
  }
  for (Entry* entry : order_) {
    if (entry->in_store) {
      if (entry->deleted) {
        batch->DeletePerson(project_, entry->person);
      } else if (entry->dirty) {
        batch->PutPerson(project_, entry->person, storage::PersonWrite::kUpdate);
      }
    } else if (!entry->deleted) {
      entry->person.id = next_person_id++;
      batch->PutPerson(project_, entry->person, storage::PersonWrite::kCreate);
    }
  }
  for (const std::string* id : changed_ids_) {
    const Mapping& mapping = mappings_.find(*id)->second;
    batch->PutDistinctId(project_, *id, mapping.person_uuid);
  }
  return Status::Ok();
}

}  // namespace actiond::service
