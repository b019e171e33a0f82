// Store: actiond's one RocksDB database — events, persons, actions, matches, counters,
// projects, API keys and metadata (key layouts in keys.h, records in records.h).
//
// Writes go through a WriteBatch and Store::Commit (atomic; through the WAL; fsynced when
// StoreOptions::fsync). Reads see everything committed before they started; a scan reads one
// consistent snapshot.
//
// Errors: kIoError when RocksDB fails to read, kCorruption when stored bytes or the schema
// cannot be read. A write that fails for an I/O error (disk full, a file size limit, a failing
// disk) is kUnavailable with reason kStoreUnwritable (engine/status.h): the store is then
// unwritable (writable() false; RocksDB refuses every write until it is resumed) while reads go
// on; a background thread resumes it once writing works again, without a restart
// (storage/write_recovery.h, docs/operations.md §Disk full). Lookups return
// Result<std::optional<T>>: nullopt when absent, never an error for absence.
//
// Thread-safety: every method may be called from any number of threads at once, except Close()
// (and the destructor), which must not overlap any other call. The store offers no
// read-modify-write: callers that check then write (EventExists → PutEvent, MatchExists →
// AddMatch, person lookup → PutPerson) serialise those writers themselves (e.g. a mutex per
// project), so that a uuid is stored and counted once.
//
// Times are ms since the epoch (UTC); days are UTC days. Ranges are half-open [from_ms, to_ms);
// from_ms == INT64_MIN means no lower bound and to_ms == INT64_MAX no upper bound.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "storage/batch_target.h"
#include "storage/function_ref.h"
#include "storage/records.h"
#include "storage/write_batch.h"

namespace actiond::storage {

// The on-disk layout this build reads and writes. Bump it whenever a key or record layout
// changes; a store with another version is refused at open.
inline constexpr int kSchemaVersion = 1;

// Told when the store stops or starts being able to write: `writable` false with the RocksDB
// error that stopped it, true (and an empty cause) once writes work again. Called once per flip,
// from the store's recovery thread, never while a write waits.
using WritableChangeFunction = std::function<void(bool writable, std::string_view cause)>;

// The file system RocksDB writes through; opaque here so that no RocksDB type leaves storage/
// (storage/store_file_system.h defines it). Tests inject write errors with it.
struct StoreFileSystem;

struct StoreOptions {
  // Every Commit waits for the WAL to reach the disk (WriteOptions::sync). Without it a commit
  // survives a process crash but not a power loss.
  bool fsync = false;
  // Create the database when `path` holds none; otherwise Open fails with kIoError.
  bool create_if_missing = true;
  // RocksDB's memory, all in one LRU cache: data blocks, index and filter blocks, and (charged
  // against it) the memtables of every column family, which may take up to half. Without the
  // charging, twelve families' memtables and the index and filter blocks of every table file
  // sit outside any bound and the server's RSS grows with the data (docs/operations.md
  // "Memory").
  size_t memory_budget_bytes = size_t{256} << 20;
  // Keep every write-ahead log file (moved to the archive instead of deleted once its
  // memtables are flushed), so that VisitCommittedBatches can read back every commit the
  // store ever received. For measurements only (actiond --keep-wal, bench/ingest_ceiling):
  // the archive grows without bound (it is dropped after 30 days).
  bool keep_wal = false;
  // While the store cannot write, how often it tries to resume (DB::Resume, then a probe write).
  std::chrono::milliseconds write_retry_interval{1000};
  WritableChangeFunction on_writable_change;     // may be empty
  std::shared_ptr<StoreFileSystem> file_system;  // null: the real disk
};

struct TimeRange {
  int64_t from_ms = std::numeric_limits<int64_t>::min();  // inclusive; INT64_MIN: unbounded
  int64_t to_ms = std::numeric_limits<int64_t>::max();    // exclusive; INT64_MAX: unbounded

  bool unbounded() const noexcept {
    return from_ms == std::numeric_limits<int64_t>::min() &&
           to_ms == std::numeric_limits<int64_t>::max();
  }
};

// (GCC 12 warns under -Wextra about designated initializers that leave out fields: write
// `{.range = {}, .newest_first = true, .limit = n}` in full, or assign the members.)
struct ScanOptions {
  TimeRange range;
  bool newest_first = false;                          // descending (ts, uuid) instead of ascending
  size_t limit = std::numeric_limits<size_t>::max();  // at most this many visits
};

// Visitors return true to go on, false to stop. The string_views point into the store's
// buffers and are valid only during the call: copy what you keep.
using EventVisitor =
    FunctionRef<bool(int64_t timestamp_ms, std::string_view uuid, std::string_view record_json)>;
// A delivery with the project and state its key names.
using DeliveryVisitor =
    FunctionRef<bool(ProjectId project, DeliveryState state, const Delivery& delivery)>;
using MatchVisitor =
    FunctionRef<bool(int64_t timestamp_ms, std::string_view uuid, std::string_view distinct_id)>;

// Numbers RocksDB keeps about the store since it was opened, for GET /metrics
// (docs/operations.md §Metrics). Plain integers so that no RocksDB type leaves storage/.
struct StoreStatistics {
  int64_t bytes_written = 0;             // bytes written by commits (RocksDB BYTES_WRITTEN)
  int64_t compaction_pending = 0;        // column families with a compaction pending
  int64_t pending_compaction_bytes = 0;  // estimated bytes compactions still have to rewrite
  int64_t block_cache_hits = 0;
  int64_t block_cache_misses = 0;
  // Memory, in bytes: what the one cache of StoreOptions::memory_budget_bytes holds (the
  // memtables' reservations, index and filter blocks, data blocks), and of that the memtables'
  // own size; what tells a warming cache from memory growing elsewhere.
  int64_t block_cache_bytes = 0;
  int64_t memtable_bytes = 0;
};

class Store final : public BatchTarget {
 public:
  // Opens (or creates) the store at `path`. A new store gets kSchemaVersion; an existing one
  // must carry exactly kSchemaVersion, else kCorruption naming both versions. A database with
  // data but no version (not an actiond store) is refused with kCorruption as well.
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             const StoreOptions& options = {});

  ~Store();  // Close(), ignoring its error
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Syncs the WAL, flushes memtables and closes the database. Idempotent. After Close(), other
  // methods fail with kUnavailable (they must not run concurrently with it, see above).
  Status Close();

  // Applies the batch atomically, then leaves it as it was (Clear() it to reuse). Returns the
  // batch's recorded error, if any, without writing.
  Status Commit(const WriteBatch& batch);

  // Makes every commit so far durable on disk (useful when fsync is off, e.g. at shutdown).
  Status SyncWal();

  // --- Measuring the storage cost of a workload (bench/ingest_ceiling.cc) ------------------
  // Visits the serialized form of every write batch in the write-ahead log, oldest first: what
  // each Commit (and each id reservation) handed to RocksDB, byte for byte. Complete only for a
  // store that was always opened with StoreOptions::keep_wal. The view is valid during the
  // call. Errors: kIoError when the log cannot be read or has a gap.
  Status VisitCommittedBatches(FunctionRef<bool(std::string_view serialized)> visitor) const;
  // Applies a batch serialized by VisitCommittedBatches (of a store of this schema, whose
  // column families were created in the same order, i.e. any store this build created) as one
  // commit, with this store's write options. kCorruption when the bytes are not a batch.
  Status CommitSerialized(std::string serialized);
  // False from a write that failed for an I/O error (or a failed background flush or
  // compaction) until the store has resumed and a write went through again. One atomic load.
  bool writable() const noexcept;

  // Writes a consistent copy of the whole store, as of one instant, to `dir`, which must not
  // exist (its parent must): RocksDB's checkpoint — table files hard-linked when `dir` is on
  // the same filesystem (else copied), the live part of the WAL copied. Online: commits go on
  // meanwhile. The copy opens as a store of its own (docs/operations.md §4).
  // Errors: kAlreadyExists when `dir` exists; kIoError.
  Status Checkpoint(const std::string& dir) const;

  int schema_version() const noexcept { return kSchemaVersion; }

  // A snapshot of RocksDB's statistics; all zero after Close(). Thread-safe, cheap (reads
  // counters and a few properties; no I/O).
  StoreStatistics Statistics() const;

  // BatchTarget: the families a WriteBatch made for this store records into.
  const ColumnFamilies& column_families() const override;

  // --- Meta ---------------------------------------------------------------------------------
  // The next id of sequence `name` ("project", "action", "api_key", "person", …): 1, 2, 3, …
  // Atomic per name across threads; persisted at once (ids are never handed out twice, even
  // after a crash, as long as a commit that used them reached the disk). Ids of batches that
  // were never committed are skipped, not reused.
  Result<int64_t> NextId(std::string_view sequence) { return ReserveIds(sequence, 1); }
  // Reserves `count` (≥ 1) consecutive ids of sequence `name` with one write, and returns the
  // first: under --fsync a request that creates many rows pays for one synced write, not one per
  // row. Same guarantees as NextId.
  Result<int64_t> ReserveIds(std::string_view sequence, int64_t count);
  // Takes sequence `name`'s next id and commits it together with the batch `fill(id, batch)`
  // records (the row the id is for), in one atomic write: a commit that fails, or a process
  // killed before it, uses up no id, and the same call again gets the same id. For ids that
  // must follow an order shared with other nodes (a project created from the cluster's meta
  // log: docs/cluster.md §Projects), where a skipped id would make one node disagree with the
  // rest. Holds the sequence's lock for the commit, so other ids wait that long.
  Result<int64_t> CommitWithNextId(std::string_view sequence,
                                   FunctionRef<void(int64_t id, WriteBatch& batch)> fill);
  // Makes sure sequence `name` never hands out `id` or anything below it. In cluster mode the
  // node that writes an action change to the log chooses its ids, and every node applying it
  // raises its own sequences past them, so that whichever node holds the project next never
  // chooses them again (docs/cluster.md §Actions). Persisted at once when it raises.
  Status RaiseSequence(std::string_view sequence, int64_t id);
  Result<std::optional<std::string>> GetMeta(std::string_view key) const;
  // Callers' meta keys that start with `prefix`, ascending, with their values.
  Result<std::vector<std::pair<std::string, std::string>>> ListMeta(std::string_view prefix) const;

  // --- Projects and API keys --------------------------------------------------------------
  Result<std::optional<Project>> GetProject(ProjectId id) const;
  Result<std::optional<Project>> GetProjectByToken(std::string_view api_token) const;
  Result<std::vector<Project>> ListProjects() const;  // ascending id
  Result<std::optional<ApiKey>> GetApiKey(int64_t id) const;
  Result<std::optional<ApiKey>> GetApiKeyByHash(std::string_view secure_value_hash) const;
  Result<std::vector<ApiKey>> ListApiKeys() const;  // ascending id

  // --- Webhooks (docs/webhooks.md) -------------------------------------------------------
  Result<std::optional<Hook>> GetHook(ProjectId project, std::string_view hook_id) const;
  Result<std::vector<Hook>> ListHooks(ProjectId project) const;  // ascending id
  Result<std::optional<Delivery>> GetDelivery(ProjectId project, DeliveryState state,
                                              int64_t delivery_id) const;
  // The project's deliveries in `state` with id > after_id, ascending id, at most `limit`.
  Result<std::vector<Delivery>> ListDeliveries(ProjectId project, DeliveryState state,
                                               int64_t after_id, size_t limit) const;
  // Every delivery of every project (start-up: the deliver stage reloads its queue).
  Status ScanAllDeliveries(DeliveryVisitor visitor) const;

  // --- Actions (opaque JSON per action) -----------------------------------------------------
  Result<std::optional<std::string>> GetAction(ProjectId project, ActionId action) const;
  Result<std::vector<std::pair<ActionId, std::string>>> ListActions(ProjectId project) const;

  // --- Events -------------------------------------------------------------------------------
  Result<bool> EventExists(ProjectId project, std::string_view uuid) const;
  // (*exists)[i] tells whether uuids[i] is stored; one batched lookup for a request's events.
  Status EventsExist(ProjectId project, std::span<const std::string_view> uuids,
                     std::vector<bool>* exists) const;
  Result<std::optional<StoredEvent>> GetEvent(ProjectId project, std::string_view uuid) const;
  // Visits the project's events in options.range in (ts, uuid) order (descending when
  // newest_first), at most options.limit of them.
  Status ScanEvents(ProjectId project, const ScanOptions& options, EventVisitor visitor) const;
  // Backfill: up to `max_events` events strictly after `after` (from the first event when
  // nullopt), ascending (ts, uuid). Fewer than max_events means the end was reached. Resume by
  // passing the last returned event's (ts, uuid) — save it with EncodeEventCursor in the same
  // batch as the work done for it, and a restart neither skips nor repeats an event.
  Result<std::vector<StoredEvent>> ReadEventsAfter(ProjectId project,
                                                   const std::optional<EventCursor>& after,
                                                   size_t max_events) const;
  // Events put in the project (the PutEvent counter): O(1), for progress reporting.
  Result<int64_t> EventCount(ProjectId project) const;

  // --- Persons --------------------------------------------------------------------------------
  Result<std::optional<std::string>> GetPersonUuid(ProjectId project,
                                                   std::string_view distinct_id) const;
  Result<std::optional<Person>> GetPersonByDistinctId(ProjectId project,
                                                      std::string_view distinct_id) const;
  Result<std::optional<Person>> GetPerson(ProjectId project, std::string_view uuid) const;
  // Persons in id order (descending when newest_first), skipping `offset`. O(offset + limit).
  Result<std::vector<Person>> ListPersons(ProjectId project, size_t offset, size_t limit,
                                          bool newest_first = false) const;
  // Persons created minus deleted (PersonWrite::kCreate / DeletePerson): O(1).
  Result<int64_t> CountPersons(ProjectId project) const;

  // --- Matches and counts ---------------------------------------------------------------------
  Result<bool> MatchExists(ProjectId project, ActionId action, int64_t timestamp_ms,
                           std::string_view uuid) const;
  // Visits the action's matches in options.range, ordered like ScanEvents.
  Status ScanMatches(ProjectId project, ActionId action, const ScanOptions& options,
                     MatchVisitor visitor) const;
  // Number of the action's matches with ts in `range`, exact, without scanning events: the
  // all-time counter when unbounded; otherwise per-day counters for the UTC days wholly inside
  // the range plus the match entries of the (at most two) partly covered days.
  Result<int64_t> Count(ProjectId project, ActionId action, const TimeRange& range = {}) const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace actiond::storage
