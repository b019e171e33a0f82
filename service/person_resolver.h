// PersonResolver: the persons of one project as the events of one capture request change them
// (docs/semantics.md §7, §8.9). The per-request person state machine of ingestion.
//
// The resolver keeps an overlay of the persons and distinct id → person mappings that earlier
// events of the request created or changed, and reads through to the Store for everything
// else. Nothing reaches the store until Flush() writes the overlay into the request's batch;
// until that batch is committed, the store does not see it.
//
// Per event (Resolve), when the event has a person profile:
//   1. a merge-type event — `$identify` with `$anon_distinct_id`, `$create_alias` or
//      `$merge_dangerously` with `alias` — whose two ids differ and may both merge
//      (engine::IsMergeableDistinctId) merges the other id's person into the event's
//      distinct_id's person: the target's property values win, the older created_at is kept,
//      every distinct id of the source moves to the target and the source is deleted.
//      `$identify` / `$create_alias` refuse (merge nothing) when the other id's person is
//      identified; `$merge_dangerously` never refuses. When only the other id has a person, the
//      event's id joins it (unless refused); when only the event's id has one, the other id
//      joins it; when neither has one, one new person owns both. The event's person is then
//      identified, whether or not anything was merged (also when both ids already share it).
//   2. otherwise (or after a refused merge) the event's distinct_id's person, created on first
//      sight with created_at = the event's timestamp;
//   3. the event's $set_once, $set and $unset, in that order, applied to that person.
// With `process_person_profile == false` nothing happens and there is no person.
//
// Persons created by the request get a UUIDv7 (time = the request's now_ms) at once and their
// numeric id (Store::ReserveIds("person", …)) only in Flush(), so a person created and merged away
// within one request costs neither an id nor a write.
//
// Errors: kInvalidInput when an event's $set / $set_once is not a JSON object (the parser
// guarantees they are); the Store's errors (kIoError, kCorruption) on reads and ReserveIds. After
// an error the request must be abandoned (Begin() again before reuse).
//
// Thread-safety: not thread-safe; keep one per thread and reuse it across requests (it keeps
// its buffers). The caller serialises requests of a project (ProjectLocks) from Begin() until
// the flushed batch is committed, so that what was read is still current when written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/capture_payload.h"
#include "engine/person_update.h"
#include "engine/status.h"
#include "engine/string_map.h"
#include "service/domain_types.h"
#include "service/person_cache.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace actiond::service {

class PersonResolver {
 public:
  PersonResolver();
  ~PersonResolver();
  PersonResolver(const PersonResolver&) = delete;
  PersonResolver& operator=(const PersonResolver&) = delete;

  // Starts a request on `project` of `store` (which must outlive the request), forgetting the
  // previous request's overlay. `cache`, when given, is the project's committed persons
  // (service/person_cache.h): read before the store, and refreshed by Committed().
  void Begin(storage::Store* store, ProjectId project, ProjectPersons* cache = nullptr);

  // Applies `event` to the persons (see above) and returns its person as of after the event,
  // or nullptr when the event has no person profile. The person's uuid and properties_json are
  // final; its id is 0 for a person created by this request (assigned in Flush()). The pointer
  // is valid until the next Resolve(), Flush(), Begin() or Clear().
  Result<const Person*> Resolve(const engine::CapturedEvent& event);

  // Writes the request's person changes into *batch: new persons (kCreate, with ids taken from
  // one Store::ReserveIds("person", n) block, in order of creation), changed stored persons
  // (kUpdate), merged-away stored persons (DeletePerson) and every changed distinct id mapping
  // (PutDistinctId).
  Status Flush(storage::WriteBatch* batch);

  // Call once the batch Flush() wrote into is committed: hands the overlay's persons and
  // mappings, now what the store holds, to the cache given to Begin() (if any). The overlay is
  // left unusable until Clear() or Begin(); pointers from Resolve() are no longer valid.
  void Committed();

  // Forgets the overlay and releases what it holds (Begin() does this too).
  void Clear();

 private:
  struct Entry {
    Person person;
    bool in_store = false;    // read from the store (else created by this request)
    bool dirty = false;       // differs from what the store holds
    bool deleted = false;     // merged into another person
    std::string merged_into;  // that person's uuid, when deleted
  };
  struct Mapping {
    std::string person_uuid;  // empty: the id has no person
    bool changed = false;     // to be written by Flush()
  };
  template <typename V>
  using StringMap = engine::StringMap<V>;

  // `entry`, or the person it was merged into (transitively) when it is deleted.
  Entry* Live(Entry* entry);
  // The live person `distinct_id` points at (overlay first, then the store), or nullptr.
  Result<Entry*> Lookup(std::string_view distinct_id);
  Entry* Create(std::string_view distinct_id, int64_t timestamp_ms);
  void AddDistinctId(Entry* person, std::string_view distinct_id);
  void SetMapping(std::string_view distinct_id, const std::string& person_uuid);
  Status Merge(Entry* target, Entry* source);
  // Step 1 of the contract: sets *person when the merge settled the event's person (left
  // nullptr when refused).
  Status ResolveMerge(const engine::CapturedEvent& event, std::string_view other_id,
                      Entry** person);

  // The store's answer, through the cache when it has one.
  Result<std::optional<std::string>> ReadPersonUuid(std::string_view distinct_id) const;
  // Takes the person out of the cache: Committed() puts it back.
  Result<std::optional<Person>> ReadPerson(const std::string& uuid);

  storage::Store* store_ = nullptr;
  ProjectId project_ = 0;
  ProjectPersons* cache_ = nullptr;
  StringMap<Entry> persons_;     // by uuid; node-based, so Entry pointers stay valid
  StringMap<Mapping> mappings_;  // by distinct id
  std::vector<Entry*> order_;    // persons in order of first touch (deterministic Flush)
  std::vector<const std::string*> changed_ids_;  // keys of mappings_ with changed set
  engine::PersonPropertyUpdater updater_;
  std::string scratch_;
};

}  // namespace actiond::service
