// PersonCache: the persons and distinct id mappings of each project as last committed, kept in
// memory so that ingesting an event of a known person costs no RocksDB read (two point reads
// in a memtable skip list were a fifth of the server's CPU per event; docs/performance.md
// "CPU per ingested event").
//
// Correct only while every write of the persons and distinct_ids column families goes through
// PersonResolver::Flush followed by PersonResolver::Committed — which holds today: nothing else
// writes them (storage/write_batch.h's PutPerson / PutDistinctId have no other caller). Content is
// only ever what a committed batch wrote or what the store returned, so a hit equals a read.
// A request takes the persons it touches out of the cache and Committed() puts them back; a
// request that fails puts nothing back, so what it changed in memory is never cached, and what it
// took is read from the store next time.
//
// Bounded: a project holding more than kMaxPersons persons or mappings is emptied and refills
// from the store, and so is a project that adds an entry while all projects together hold more
// than PersonCache::kMaxEntries, so memory stays flat however many persons and projects there are.
//
// Thread-safety: For() may be called from any thread. A ProjectPersons is used only by the
// holder of its project's lock (service/project_locks.h), one thread at a time.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/string_map.h"
#include "service/domain_types.h"

namespace actiond::service {

class ProjectPersons {
 public:
  static constexpr size_t kMaxPersons = 65'536;

  // `total` counts the entries of every project of one PersonCache (null: this one alone).
  explicit ProjectPersons(std::atomic<size_t>* total = nullptr) : total_(total) {}

  // nullptr when not cached. Valid until the next mutation of this project's cache.
  const std::string* FindPersonUuid(std::string_view distinct_id) const;
  const Person* FindPerson(std::string_view uuid) const;
  // Moves the person out of the cache (nullopt when not cached): a request works on its own
  // copy and puts it back once committed, so a person is moved, never copied, per request.
  // Until then it is simply not cached, and a failed request leaves it to the store.
  std::optional<Person> TakePerson(std::string_view uuid);

  void PutMapping(std::string_view distinct_id, std::string_view person_uuid);
  void PutPerson(Person person);
  void ErasePerson(std::string_view uuid);
  void Clear();

 private:
  template <typename V>
  using StringMap = engine::StringMap<V>;

  void KeepBounded();
  void Count(ptrdiff_t entries);  // into *total_

  std::atomic<size_t>* total_;

  StringMap<std::string> person_uuids_;  // by distinct id
  // A taken person leaves its node behind (present == false) so that putting it back moves it
  // into the same node: no allocation per request for a person seen before.
  struct Slot {
    Person person;
    bool present = false;
  };
  StringMap<Slot> persons_;  // by uuid
};

class PersonCache {
 public:
  // Persons and mappings over all projects (about 64 MiB of small persons).
  static constexpr size_t kMaxEntries = 262'144;

  // The project's cache, created empty on first use; the pointer stays valid for the cache's
  // lifetime.
  ProjectPersons* For(ProjectId project);
  // Persons and mappings cached now, over all projects.
  size_t entries() const noexcept { return total_.load(std::memory_order_relaxed); }

 private:
  std::mutex mutex_;
  std::unordered_map<ProjectId, std::unique_ptr<ProjectPersons>> projects_;
  std::atomic<size_t> total_{0};
};

}  // namespace actiond::service
