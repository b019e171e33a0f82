// WriteBatch: the writes of one request (or one backfill step), applied atomically by
// Store::Commit — all of them become visible together, or none do.
//
// A batch is tied to the Store it was made for and must not outlive it. Reads never see a
// batch's writes before it is committed; a caller that needs its own pending writes (a person
// created by the first event of a request and used by the second) keeps them itself.
//
// The batch does no reads, so it cannot check anything: deduplicating events by uuid and
// matches by (action, event) is the caller's job (EventExists / MatchExists before Put/Add,
// under a lock that serialises writers of the same keys — see store.h).
//
// Writes are applied in call order; a later write to the same key wins, and a DeleteAllMatches
// removes only what was written before it (in the store or earlier in this batch). Additions
// to one counter are summed and written as one operand (storage/counter_additions.h), which
// no reader can tell apart, since a batch becomes visible only whole.
//
// Thread-safety: a WriteBatch is used by one thread at a time. Reuse one per thread with
// Clear() to keep its buffers. A moved-from batch may only be destroyed or assigned to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "engine/status.h"
#include "storage/batch_target.h"
#include "storage/records.h"

namespace actiond::storage {

// Whether PutPerson creates a person (counted by Store::CountPersons) or rewrites one.
enum class PersonWrite : unsigned char { kCreate, kUpdate };

class WriteBatch {
 public:
  // `target` is the Store that will commit the batch (storage/batch_target.h).
  explicit WriteBatch(const BatchTarget& target);
  ~WriteBatch();
  WriteBatch(WriteBatch&&) noexcept;
  WriteBatch& operator=(WriteBatch&&) noexcept;
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  // Stores an event under (ts, uuid), indexes its uuid, and adds 1 to the project's event
  // count. Call once per uuid: putting a uuid again counts it again (and, with a different
  // ts, stores it twice).
  void PutEvent(ProjectId project, int64_t timestamp_ms, std::string_view uuid,
                std::string_view record_json);

  // Stores the person under its uuid and id. kCreate also adds 1 to the person count; use it
  // exactly once per person. The distinct id mapping is written separately (PutDistinctId).
  void PutPerson(ProjectId project, const Person& person, PersonWrite kind);
  // Removes the person (by uuid and id) and subtracts 1 from the person count. Distinct ids
  // still pointing at it are left alone: a merge re-points them with PutDistinctId.
  void DeletePerson(ProjectId project, const Person& person);
  void PutDistinctId(ProjectId project, std::string_view distinct_id, std::string_view person_uuid);
  void DeleteDistinctId(ProjectId project, std::string_view distinct_id);

  // Records that event (ts, uuid) matched `action`, remembering its distinct_id ("" when the
  // event had no person), and adds 1 to the action's all-time and per-day counters. Call once
  // per (action, event).
  void AddMatch(ProjectId project, ActionId action, int64_t timestamp_ms, std::string_view uuid,
                std::string_view distinct_id);
  // Removes every match entry and counter of the action (a range delete, O(1) to write): the
  // first step of recomputing an action whose steps changed.
  void DeleteAllMatches(ProjectId project, ActionId action);

  // The action's definition as the API stores it (opaque JSON).
  void PutAction(ProjectId project, ActionId action, std::string_view json);
  void DeleteAction(ProjectId project, ActionId action);

  // Stores the project and indexes its api_token (tokens never change once stored).
  void PutProject(const Project& project);
  // Stores the key and indexes its secure_value_hash; DeleteApiKey removes both.
  void PutApiKey(const ApiKey& key);
  void DeleteApiKey(const ApiKey& key);

  // REST-hook subscriptions (docs/webhooks.md §4).
  void PutHook(const Hook& hook);
  void DeleteHook(ProjectId project, std::string_view hook_id);
  // The webhook outbox: a delivery under its state. Moving one between states is a
  // DeleteDelivery of the old state and a PutDelivery of the new, in one batch.
  void PutDelivery(ProjectId project, DeliveryState state, const Delivery& delivery);
  void DeleteDelivery(ProjectId project, DeliveryState state, int64_t delivery_id);

  // Callers' metadata (backfill progress, …), namespaced apart from the store's own.
  void PutMeta(std::string_view key, std::string_view value);
  void DeleteMeta(std::string_view key);

  // Number of operations the batch will write (a PutEvent is three, an AddMatch three, …),
  // where all additions to one counter count once: they are written as one sum.
  size_t Count() const;
  bool empty() const { return Count() == 0; }
  // Approximate size in bytes of what the batch will write.
  size_t ByteSize() const;
  // Forgets every write (and any recorded error), keeping the buffers.
  void Clear();

  // The first error recording a write hit (RocksDB can refuse an oversize batch); Commit
  // returns it instead of writing.
  const Status& status() const;

  // Storage-internal (write_batch_rep.h: the RocksDB batch): what Store::Commit applies.
  struct Rep;
  const Rep& rep() const noexcept { return *rep_; }

 private:
  std::unique_ptr<Rep> rep_;
};

}  // namespace actiond::storage
