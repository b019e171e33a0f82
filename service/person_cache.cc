#include "service/person_cache.h"

#include <utility>

namespace actiond::service {

const std::string* ProjectPersons::FindPersonUuid(std::string_view distinct_id) const {
  auto it = person_uuids_.find(distinct_id);
  return it == person_uuids_.end() ? nullptr : &it->second;
}

const Person* ProjectPersons::FindPerson(std::string_view uuid) const {
  auto it = persons_.find(uuid);
  return it == persons_.end() || !it->second.present ? nullptr : &it->second.person;
}

std::optional<Person> ProjectPersons::TakePerson(std::string_view uuid) {
  auto it = persons_.find(uuid);
  if (it == persons_.end() || !it->second.present) return std::nullopt;
  it->second.present = false;
  return std::optional<Person>(std::move(it->second.person));
}

void ProjectPersons::PutMapping(std::string_view distinct_id, std::string_view person_uuid) {
  auto it = person_uuids_.find(distinct_id);
  if (it == person_uuids_.end()) {
    person_uuids_.emplace(std::string(distinct_id), std::string(person_uuid));
    Count(1);
    KeepBounded();
  } else {
    it->second.assign(person_uuid);
  }
}

void ProjectPersons::PutPerson(Person person) {
  auto it = persons_.find(person.uuid);
  if (it == persons_.end()) {
    std::string uuid = person.uuid;
    persons_.emplace(std::move(uuid), Slot{std::move(person), true});
    Count(1);
    KeepBounded();
  } else {
    it->second.person = std::move(person);
    it->second.present = true;
  }
}

void ProjectPersons::ErasePerson(std::string_view uuid) {
  if (auto it = persons_.find(uuid); it != persons_.end()) {
    persons_.erase(it);
    Count(-1);
  }
}

void ProjectPersons::Clear() {
  Count(-static_cast<ptrdiff_t>(person_uuids_.size() + persons_.size()));
  person_uuids_.clear();
  persons_.clear();
}

void ProjectPersons::Count(ptrdiff_t entries) {
  if (total_ != nullptr) total_->fetch_add(static_cast<size_t>(entries), std::memory_order_relaxed);
}

void ProjectPersons::KeepBounded() {
  // Emptying all at once (rather than evicting one by one) keeps the bookkeeping free; a
  // project this large refills from the store at the cost of the reads the cache saves.
  if (person_uuids_.size() > kMaxPersons || persons_.size() > kMaxPersons ||
      (total_ != nullptr && total_->load(std::memory_order_relaxed) > PersonCache::kMaxEntries)) {
    Clear();
  }
}

ProjectPersons* PersonCache::For(ProjectId project) {
  std::lock_guard lock(mutex_);
  std::unique_ptr<ProjectPersons>& entry = projects_[project];
  if (entry == nullptr) entry = std::make_unique<ProjectPersons>(&total_);
  return entry.get();
}

}  // namespace actiond::service
