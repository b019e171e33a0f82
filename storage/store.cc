#include "storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/transaction_log.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <charconv>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>

#include "storage/column_families.h"
#include "storage/counter_merge_operator.h"
#include "storage/keys.h"
#include "storage/rocks_status.h"
#include "storage/store_file_system.h"
#include "storage/write_batch_rep.h"
#include "storage/write_recovery.h"

namespace actiond::storage {

namespace {

using Int128 = __int128;  // ms positions past the int64 range, so day arithmetic cannot overflow

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }
rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

Status Closed() { return Status(StatusCode::kUnavailable, "the store is closed"); }

Status CorruptCounter(std::string_view what) {
  return Status(StatusCode::kCorruption, std::string("unreadable counter: ") + std::string(what));
}

Int128 FloorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if (a % b != 0 && a < 0) --q;
  return q;
}
Int128 CeilDiv(Int128 a, Int128 b) { return -FloorDiv(-a, b); }

// Half-open [lo, hi) over every int64 timestamp, as Int128 so that "no upper bound" is
// INT64_MAX + 1 and days at the ends of the range need no special cases.
struct MsInterval {
  Int128 lo, hi;
};

MsInterval ToInterval(const TimeRange& range) {
  return {Int128{range.from_ms},
          range.to_ms == kInt64Max ? Int128{kInt64Max} + 1 : Int128{range.to_ms}};
}

// The key bound for timestamp `t` under `prefix` (whose keys continue with an i64 timestamp).
std::string TimeBound(std::string_view prefix, Int128 t) {
  if (t > kInt64Max) return keys::PrefixSuccessor(prefix);
  std::string key(prefix);
  keys::AppendI64(&key, t < kInt64Min ? kInt64Min : static_cast<int64_t>(t));
  return key;
}

}  // namespace

struct Store::Impl {
  std::unique_ptr<rocksdb::Env> env;  // over StoreOptions::file_system; null: the default Env
  std::unique_ptr<WriteRecovery> recovery;
  rocksdb::DB* db = nullptr;
  ColumnFamilies cfs;
  std::vector<rocksdb::ColumnFamilyHandle*> all_handles;  // including default and unknown ones
  rocksdb::WriteOptions write_options;
  std::shared_ptr<rocksdb::Statistics> statistics;
  std::string path;

  std::mutex sequence_mutex;
  std::map<std::string, int64_t, std::less<>> sequences;  // last id handed out, per name

  // Both under sequence_mutex. `key` is keys::SequenceKey(sequence).
  Result<int64_t> LastOfSequence(std::string_view sequence, const std::string& key);
  Status SaveSequence(std::string_view sequence, const std::string& key, int64_t last);

  ~Impl() { (void)CloseDb(); }

  Status CloseDb() {
    if (recovery) recovery->Stop();  // no Resume while, or after, the database closes
    if (db == nullptr) return Status::Ok();
    Status result = FromRocks(db->FlushWAL(/*sync=*/true), "syncing the WAL at close");
    rocksdb::FlushOptions flush;
    std::vector<rocksdb::ColumnFamilyHandle*> ours;
    for (auto* handle : cfs.handles) {
      if (handle != nullptr) ours.push_back(handle);  // null only when Open failed half-way
    }
    if (Status s = FromRocks(db->Flush(flush, ours), "flushing at close"); result.ok()) {
      result = s;
    }
    for (auto* handle : all_handles) (void)db->DestroyColumnFamilyHandle(handle);
    all_handles.clear();
    cfs = {};
    if (Status s = FromRocks(db->Close(), "closing the store"); result.ok()) result = s;
    delete db;
    db = nullptr;
    return result;
  }

  rocksdb::ColumnFamilyHandle* cf(Cf which) const { return cfs[which]; }

  Result<std::optional<std::string>> Get(Cf which, std::string_view key) const {
    if (db == nullptr) return Closed();
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf(which), ToSlice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, "reading");
    return std::optional<std::string>(value.ToString());
  }

  Result<bool> Exists(Cf which, std::string_view key) const {
    if (db == nullptr) return Closed();
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf(which), ToSlice(key), &value);
    if (s.IsNotFound()) return false;
    if (!s.ok()) return FromRocks(s, "reading");
    return true;
  }

  Result<int64_t> ReadCounter(std::string_view key) const {
    ACTIOND_ASSIGN_OR_RETURN(auto value, Get(Cf::kCounters, key));
    if (!value) return int64_t{0};
    int64_t n = 0;
    if (!DecodeCounterValue(*value, &n)) return CorruptCounter("wrong size");
    return n;
  }

  // Visits entries of `which` with lower <= key < upper (no upper bound when `upper` is empty),
  // ascending or descending; fn(key, value) returns false to stop. One iterator, so one
  // consistent snapshot.
  template <typename Fn>
  Status Scan(Cf which, std::string_view lower, std::string_view upper, bool reverse,
              Fn&& fn) const {
    if (db == nullptr) return Closed();
    rocksdb::ReadOptions options;
    rocksdb::Slice lower_slice = ToSlice(lower), upper_slice = ToSlice(upper);
    options.iterate_lower_bound = &lower_slice;
    if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options, cf(which)));
    if (reverse) {
      it->SeekToLast();  // honours iterate_upper_bound
    } else {
      it->Seek(lower_slice);
    }
    for (; it->Valid(); reverse ? it->Prev() : it->Next()) {
      if (!fn(View(it->key()), View(it->value()))) break;
    }
    return FromRocks(it->status(), "scanning");
  }

  // Every value with lower <= key < upper decoded by `decode` (a Decode* of records.h),
  // ascending, at most `limit`; the first record that does not decode is the error.
  template <typename Record>
  Result<std::vector<Record>> ScanRecords(Cf which, std::string_view lower, std::string_view upper,
                                          Result<Record> (*decode)(std::string_view),
                                          size_t limit = std::numeric_limits<size_t>::max()) const {
    std::vector<Record> out;
    if (limit == 0) return out;
    Status decode_error;
    ACTIOND_RETURN_IF_ERROR(
        Scan(which, lower, upper, false, [&](std::string_view, std::string_view value) {
          Result<Record> record = decode(value);
          if (!record.ok()) {
            decode_error = record.status();
            return false;
          }
          out.push_back(std::move(*record));
          return out.size() < limit;
        }));
    ACTIOND_RETURN_IF_ERROR(decode_error);
    return out;
  }

  // Number of match entries of the action with ts in [lo, hi).
  Result<int64_t> CountMatchEntries(ProjectId project, ActionId action, Int128 lo,
                                    Int128 hi) const {
    if (lo >= hi || lo > kInt64Max || hi <= kInt64Min) return int64_t{0};
    std::string prefix;
    keys::AppendMatchPrefix(&prefix, project, action);
    int64_t n = 0;
    ACTIOND_RETURN_IF_ERROR(Scan(Cf::kMatches, TimeBound(prefix, lo), TimeBound(prefix, hi), false,
                                 [&](std::string_view, std::string_view) {
                                   ++n;
                                   return true;
                                 }));
    return n;
  }

  // Matches in [lo, hi), which lies inside `day`. Scans whichever is shorter: the range, or the
  // rest of the day (subtracted from the day's counter).
  Result<int64_t> CountWithinDay(ProjectId project, ActionId action, Int128 day, Int128 lo,
                                 Int128 hi) const {
    const Int128 day_lo = day * keys::kMsPerDay, day_hi = day_lo + keys::kMsPerDay;
    if ((hi - lo) * 2 <= keys::kMsPerDay) return CountMatchEntries(project, action, lo, hi);
    ACTIOND_ASSIGN_OR_RETURN(
        int64_t whole, ReadCounter(keys::ActionDayKey(project, action, static_cast<int64_t>(day))));
    ACTIOND_ASSIGN_OR_RETURN(int64_t before, CountMatchEntries(project, action, day_lo, lo));
    ACTIOND_ASSIGN_OR_RETURN(int64_t after, CountMatchEntries(project, action, hi, day_hi));
    return whole - before - after;
  }

  // Sum of the per-day counters of days [first, end).
  Result<int64_t> SumDays(ProjectId project, ActionId action, Int128 first, Int128 end) const {
    std::string lower = keys::ActionDayKey(project, action, static_cast<int64_t>(first));
    std::string upper = keys::ActionDayKey(project, action, static_cast<int64_t>(end));
    int64_t sum = 0;
    bool bad = false;
    ACTIOND_RETURN_IF_ERROR(
        Scan(Cf::kCounters, lower, upper, false, [&](std::string_view, std::string_view value) {
          int64_t n = 0;
          bad = !DecodeCounterValue(value, &n);
          sum += n;
          return !bad;
        }));
    if (bad) return CorruptCounter("wrong size");
    return sum;
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() = default;

const ColumnFamilies& Store::column_families() const { return impl_->cfs; }

StoreStatistics Store::Statistics() const {
  StoreStatistics out;
  if (impl_->db == nullptr || impl_->statistics == nullptr) return out;
  auto ticker = [&](rocksdb::Tickers which) {
    return static_cast<int64_t>(impl_->statistics->getTickerCount(which));
  };
  out.bytes_written = ticker(rocksdb::BYTES_WRITTEN);
  out.block_cache_hits = ticker(rocksdb::BLOCK_CACHE_HIT);
  out.block_cache_misses = ticker(rocksdb::BLOCK_CACHE_MISS);
  uint64_t cache_bytes = 0;
  // Every family shares the one cache, so any family's figure is the whole cache's.
  if (impl_->db->GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &cache_bytes)) {
    out.block_cache_bytes = static_cast<int64_t>(cache_bytes);
  }
  for (auto* handle : impl_->cfs.handles) {
    if (handle == nullptr) continue;
    uint64_t value = 0;
    if (impl_->db->GetIntProperty(handle, rocksdb::DB::Properties::kCurSizeAllMemTables, &value)) {
      out.memtable_bytes += static_cast<int64_t>(value);
    }
    if (impl_->db->GetIntProperty(handle, rocksdb::DB::Properties::kCompactionPending, &value)) {
      out.compaction_pending += static_cast<int64_t>(value);
    }
    if (impl_->db->GetIntProperty(handle, rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
                                  &value)) {
      out.pending_compaction_bytes += static_cast<int64_t>(value);
    }
  }
  return out;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const StoreOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 4;
  // Tickers only (bytes written, block cache hits): histograms and timers would cost every
  // commit and read a clock read or two, which GET /metrics does not need.
  db_options.statistics = rocksdb::CreateDBStatistics();
  db_options.statistics->set_stats_level(rocksdb::StatsLevel::kExceptHistogramOrTimers);
  // After a power loss the newest WAL may end in a torn record, or in garbage where pages
  // written after the last fsync did not reach the disk. Point-in-time recovery replays the
  // log up to the first bad record and opens the store with that consistent prefix: every
  // commit fsynced (--fsync) before the loss is in it, since a record is fsynced before the
  // commit returns. kAbsoluteConsistency would refuse to open instead, and
  // kTolerateCorruptedTailRecords only forgives a bad *last* record. Set explicitly rather
  // than left to the default, because the durability promise (docs/operations.md) rests on it
  // and tests/blackbox/durability_test.py checks it.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  if (options.keep_wal) {
    // A TTL without a size limit moves obsolete logs to archive/ and deletes them only after
    // the TTL; GetUpdatesSince reads the archive and the live logs alike.
    db_options.WAL_ttl_seconds = uint64_t{30} * 24 * 3600;
    db_options.WAL_size_limit_MB = 0;
  }

  std::vector<std::string> existing;
  const bool exists = rocksdb::DB::ListColumnFamilies(db_options, path, &existing).ok();
  if (!exists) {
    if (!options.create_if_missing) {
      return Status(StatusCode::kIoError, "no actiond store at " + path);
    }
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status(StatusCode::kIoError, "cannot create " + path + ": " + ec.message());
  }

  // One budget for RocksDB's memory (StoreOptions::memory_budget_bytes): the memtables are
  // charged to the block cache, and index and filter blocks live in it (with high priority,
  // level-0 ones pinned, since every read needs them) instead of on the heap, one set per
  // table file for as long as it is open.
  rocksdb::LRUCacheOptions cache_options;
  cache_options.capacity = options.memory_budget_bytes;
  cache_options.high_pri_pool_ratio = 0.25;
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(cache_options);
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(options.memory_budget_bytes / 2, cache);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions base;
  base.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::ColumnFamilyOptions counters = base;
  counters.merge_operator = std::make_shared<CounterMergeOperator>();
  // Without this, every +1 of a hot counter stays a separate operand in the memtable until a
  // flush, and a count adds them all up at read time (measured: 8 ms for an all-time count
  // right after a 100k-match backfill). With it, a write that finds this many operands for
  // the key folds them into one value, so reading a counter stays O(1).
  counters.max_successive_merges = 64;

  // Every ingested event looks its uuid up in event_ids (almost always absent) and its distinct
  // id in distinct_ids (absent once per new person); a miss in a memtable's skip list walks
  // about twenty cache-missing nodes. A whole-key Bloom filter in the memtable answers most
  // misses without the walk (docs/performance.md "CPU per ingested event"). Its bits are 2% of
  // the memtable's budget, taken from the memtable's own arena.
  rocksdb::ColumnFamilyOptions point_lookups = base;
  point_lookups.memtable_whole_key_filtering = true;
  point_lookups.memtable_prefix_bloom_size_ratio = 0.02;

  auto options_for = [&](std::string_view name) {
    if (name == kCfNames[static_cast<size_t>(Cf::kCounters)]) return counters;
    if (name == kCfNames[static_cast<size_t>(Cf::kEventIds)] ||
        name == kCfNames[static_cast<size_t>(Cf::kDistinctIds)] ||
        name == kCfNames[static_cast<size_t>(Cf::kPersons)]) {
      return point_lookups;
    }
    return base;
  };
  // An existing database is opened with exactly the families it has (RocksDB requires all of
  // them); ours that are missing are created only after the version check, so that a store this
  // build refuses is left untouched. A new one gets all families at once.
  if (!exists) {
    db_options.create_missing_column_families = true;
    existing.push_back(rocksdb::kDefaultColumnFamilyName);
    for (auto name : kCfNames) existing.emplace_back(name);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(existing.size());
  for (const auto& name : existing) descriptors.emplace_back(name, options_for(name));

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  if (options.file_system != nullptr && options.file_system->file_system != nullptr) {
    impl->env = rocksdb::NewCompositeEnv(options.file_system->file_system);
    db_options.env = impl->env.get();
  }
  impl->recovery =
      std::make_unique<WriteRecovery>(options.write_retry_interval, options.on_writable_change);
  db_options.listeners.push_back(impl->recovery->listener());
  // Nor RocksDB's automatic resume of retryable I/O errors: WriteRecovery resumes every kind.
  db_options.max_bgerror_resume_count = 0;
  impl->write_options.sync = options.fsync;
  impl->statistics = db_options.statistics;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, path, descriptors, &impl->all_handles, &impl->db);
  if (!s.ok()) return FromRocks(s, "opening " + path);
  std::vector<size_t> missing;
  for (size_t i = 0; i < kCfCount; ++i) {
    for (size_t j = 0; j < existing.size(); ++j) {
      if (existing[j] == kCfNames[i]) impl->cfs.handles[i] = impl->all_handles[j];
    }
    if (impl->cfs.handles[i] == nullptr) missing.push_back(i);
  }

  std::optional<std::string> version;
  if (impl->cf(Cf::kMeta) != nullptr) {
    ACTIOND_ASSIGN_OR_RETURN(version, impl->Get(Cf::kMeta, keys::kSchemaVersionKey));
  }
  if (version) {
    int number = 0;
    auto [end, ec] = std::from_chars(version->data(), version->data() + version->size(), number);
    if (ec != std::errc() || end != version->data() + version->size()) {
      return Status(StatusCode::kCorruption, "unreadable schema version in store at " + path);
    }
    if (number != kSchemaVersion) {
      return Status(StatusCode::kCorruption,
                    "store at " + path + " has schema version " + std::to_string(number) +
                        "; this build reads only version " + std::to_string(kSchemaVersion));
    }
  } else {
    // A database without a version is new, or was created by a crash before the version was
    // written — both are empty. Anything with data is not ours to interpret.
    for (size_t i = 0; i < impl->all_handles.size(); ++i) {
      std::unique_ptr<rocksdb::Iterator> it(
          impl->db->NewIterator(rocksdb::ReadOptions(), impl->all_handles[i]));
      it->SeekToFirst();
      if (it->Valid()) {
        return Status(StatusCode::kCorruption,
                      "database at " + path + " has data but no actiond schema version");
      }
      ACTIOND_RETURN_IF_ERROR(FromRocks(it->status(), "checking an unversioned store"));
    }
  }
  for (size_t i : missing) {
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    ACTIOND_RETURN_IF_ERROR(FromRocks(
        impl->db->CreateColumnFamily(options_for(kCfNames[i]), std::string(kCfNames[i]), &handle),
        "creating a column family"));
    impl->all_handles.push_back(handle);
    impl->cfs.handles[i] = handle;
  }
  if (!version) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ACTIOND_RETURN_IF_ERROR(
        FromRocks(impl->db->Put(sync, impl->cf(Cf::kMeta), ToSlice(keys::kSchemaVersionKey),
                                std::to_string(kSchemaVersion)),
                  "writing the schema version"));
  }
  // While the store cannot write: resume RocksDB (which flushes the memtables and starts a new
  // WAL), then prove the WAL takes a write again with one that changes nothing.
  impl->recovery->Start([raw = impl.get()] {
    rocksdb::Status resumed = raw->db->Resume();
    if (!resumed.ok()) return resumed;
    return raw->db->Delete(raw->write_options, raw->cf(Cf::kMeta), ToSlice(keys::kWriteProbeKey));
  });
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Status Store::Close() { return impl_->CloseDb(); }

Status Store::Commit(const WriteBatch& batch) {
  if (impl_->db == nullptr) return Closed();
  if (batch.rep().cfs != &impl_->cfs) return Internal("a WriteBatch committed to another store");
  rocksdb::WriteBatch& sealed = batch.rep().Sealed();
  ACTIOND_RETURN_IF_ERROR(batch.status());
  const rocksdb::Status written = impl_->db->Write(impl_->write_options, &sealed);
  if (!written.ok()) return impl_->recovery->WriteFailed(written, "committing");
  impl_->recovery->WriteSucceeded();
  return Status::Ok();
}

bool Store::writable() const noexcept {
  return impl_->recovery == nullptr || impl_->recovery->writable();
}

Status Store::Checkpoint(const std::string& dir) const {
  if (impl_->db == nullptr) return Closed();
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    return Status(StatusCode::kAlreadyExists, dir + " already exists");
  }
  rocksdb::Checkpoint* raw = nullptr;
  ACTIOND_RETURN_IF_ERROR(
      FromRocks(rocksdb::Checkpoint::Create(impl_->db, &raw), "preparing a checkpoint"));
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: the memtables are flushed first, so the copy needs no WAL replay.
  const rocksdb::Status made = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
  // A full disk is a 503 here too; it marks the store unwritable only if the flush failed (the
  // background error listener sees that), not when only `dir`'s disk is full.
  if (made.IsIOError()) {
    return StoreUnwritable("cannot write a checkpoint to " + dir + ": " + made.ToString());
  }
  return FromRocks(made, "writing a checkpoint to " + dir);
}

Status Store::SyncWal() {
  if (impl_->db == nullptr) return Closed();
  const rocksdb::Status synced = impl_->db->FlushWAL(/*sync=*/true);
  if (!synced.ok()) return impl_->recovery->WriteFailed(synced, "syncing the WAL");
  return Status::Ok();
}

Status Store::VisitCommittedBatches(FunctionRef<bool(std::string_view)> visitor) const {
  if (impl_->db == nullptr) return Closed();
  std::unique_ptr<rocksdb::TransactionLogIterator> it;
  rocksdb::Status s = impl_->db->GetUpdatesSince(/*seq_number=*/1, &it);
  ACTIOND_RETURN_IF_ERROR(FromRocks(s, "opening the write-ahead log"));
  // Each batch takes Count() sequence numbers: a batch that does not start where the last one
  // ended means a log file was deleted, and the visit would be incomplete.
  rocksdb::SequenceNumber expected = 1;  // a new database's first write
  for (; it->Valid(); it->Next()) {
    rocksdb::BatchResult batch = it->GetBatch();
    if (batch.sequence != expected) {
      return Status(StatusCode::kIoError, "the write-ahead log has a gap (not kept with keep_wal)");
    }
    expected = batch.sequence + batch.writeBatchPtr->Count();
    if (!visitor(View(rocksdb::Slice(batch.writeBatchPtr->Data())))) break;
  }
  return FromRocks(it->status(), "reading the write-ahead log");
}

Status Store::CommitSerialized(std::string serialized) {
  if (impl_->db == nullptr) return Closed();
  if (serialized.size() < 12) return Status(StatusCode::kCorruption, "not a write batch");
  rocksdb::WriteBatch batch(std::move(serialized));
  return FromRocks(impl_->db->Write(impl_->write_options, &batch), "committing a serialized batch");
}

// --- Meta ----------------------------------------------------------------------------------

Result<int64_t> Store::Impl::LastOfSequence(std::string_view sequence, const std::string& key) {
  if (auto it = sequences.find(sequence); it != sequences.end()) return it->second;
  ACTIOND_ASSIGN_OR_RETURN(auto stored, Get(Cf::kMeta, key));
  if (!stored) return int64_t{0};
  if (stored->size() != 8) {
    return Status(StatusCode::kCorruption, "unreadable sequence " + std::string(sequence));
  }
  return static_cast<int64_t>(keys::DecodeU64(*stored));
}

Status Store::Impl::SaveSequence(std::string_view sequence, const std::string& key, int64_t last) {
  std::string value;
  keys::AppendU64(&value, static_cast<uint64_t>(last));
  const rocksdb::Status saved = db->Put(write_options, cf(Cf::kMeta), key, value);
  if (!saved.ok()) return recovery->WriteFailed(saved, "saving a sequence");
  recovery->WriteSucceeded();
  sequences.insert_or_assign(std::string(sequence), last);
  return Status::Ok();
}

Result<int64_t> Store::ReserveIds(std::string_view sequence, int64_t count) {
  if (impl_->db == nullptr) return Closed();
  if (count < 1) return Status(StatusCode::kInvalidInput, "an id reservation needs a count >= 1");
  std::lock_guard<std::mutex> lock(impl_->sequence_mutex);
  const std::string key = keys::SequenceKey(sequence);
  ACTIOND_ASSIGN_OR_RETURN(const int64_t last, impl_->LastOfSequence(sequence, key));
  ACTIOND_RETURN_IF_ERROR(impl_->SaveSequence(sequence, key, last + count));
  return last + 1;
}

Result<int64_t> Store::CommitWithNextId(std::string_view sequence,
                                        FunctionRef<void(int64_t id, WriteBatch& batch)> fill) {
  if (impl_->db == nullptr) return Closed();
  std::lock_guard<std::mutex> lock(impl_->sequence_mutex);
  const std::string key = keys::SequenceKey(sequence);
  ACTIOND_ASSIGN_OR_RETURN(const int64_t last, impl_->LastOfSequence(sequence, key));
  const int64_t id = last + 1;
  WriteBatch batch(*this);
  fill(id, batch);
  std::string value;
  keys::AppendU64(&value, static_cast<uint64_t>(id));
  const rocksdb::Status recorded = batch.rep().Sealed().Put(impl_->cf(Cf::kMeta), key, value);
  if (!recorded.ok()) return FromRocks(recorded, "recording a sequence");
  if (Status committed = Commit(batch); !committed.ok()) {
    // A commit reported failed may still be in the log (a sync that failed after the append):
    // the next call reads the sequence from the store rather than reuse an id that may be taken.
    impl_->sequences.erase(std::string(sequence));
    return committed;
  }
  impl_->sequences.insert_or_assign(std::string(sequence), id);  // only once it is stored
  return id;
}

Status Store::RaiseSequence(std::string_view sequence, int64_t id) {
  if (impl_->db == nullptr) return Closed();
  std::lock_guard<std::mutex> lock(impl_->sequence_mutex);
  const std::string key = keys::SequenceKey(sequence);
  ACTIOND_ASSIGN_OR_RETURN(const int64_t last, impl_->LastOfSequence(sequence, key));
  if (last >= id) return Status::Ok();
  return impl_->SaveSequence(sequence, key, id);
}

Result<std::optional<std::string>> Store::GetMeta(std::string_view key) const {
  return impl_->Get(Cf::kMeta, keys::CallerMetaKey(key));
}

Result<std::vector<std::pair<std::string, std::string>>> Store::ListMeta(
    std::string_view prefix) const {
  const std::string lower = keys::CallerMetaKey(prefix);
  std::vector<std::pair<std::string, std::string>> out;
  ACTIOND_RETURN_IF_ERROR(impl_->Scan(Cf::kMeta, lower, keys::PrefixSuccessor(lower), false,
                                      [&](std::string_view key, std::string_view value) {
                                        key.remove_prefix(keys::kCallerMetaPrefix.size());
                                        out.emplace_back(std::string(key), std::string(value));
                                        return true;
                                      }));
  return out;
}

// --- Projects and API keys -------------------------------------------------------------------

Result<std::optional<Project>> Store::GetProject(ProjectId id) const {
  std::string key;
  keys::AppendProjectKey(&key, id);
  ACTIOND_ASSIGN_OR_RETURN(auto bytes, impl_->Get(Cf::kProjects, key));
  if (!bytes) return std::optional<Project>();
  ACTIOND_ASSIGN_OR_RETURN(Project project, DecodeProject(*bytes));
  return std::optional<Project>(std::move(project));
}

Result<std::optional<Project>> Store::GetProjectByToken(std::string_view api_token) const {
  std::string key;
  keys::AppendProjectTokenKey(&key, api_token);
  ACTIOND_ASSIGN_OR_RETURN(auto id, impl_->Get(Cf::kProjects, key));
  if (!id) return std::optional<Project>();
  if (id->size() != 8) return Status(StatusCode::kCorruption, "unreadable project token index");
  return GetProject(static_cast<ProjectId>(keys::DecodeU64(*id)));
}

Result<std::vector<Project>> Store::ListProjects() const {
  const std::string lower(1, keys::kProjectByIdTag);
  return impl_->ScanRecords<Project>(Cf::kProjects, lower, keys::PrefixSuccessor(lower),
                                     DecodeProject);
}

Result<std::optional<ApiKey>> Store::GetApiKey(int64_t id) const {
  std::string key;
  keys::AppendApiKeyKey(&key, id);
  ACTIOND_ASSIGN_OR_RETURN(auto bytes, impl_->Get(Cf::kApiKeys, key));
  if (!bytes) return std::optional<ApiKey>();
  ACTIOND_ASSIGN_OR_RETURN(ApiKey api_key, DecodeApiKey(*bytes));
  return std::optional<ApiKey>(std::move(api_key));
}

Result<std::optional<ApiKey>> Store::GetApiKeyByHash(std::string_view secure_value_hash) const {
  std::string key;
  keys::AppendApiKeyHashKey(&key, secure_value_hash);
  ACTIOND_ASSIGN_OR_RETURN(auto id, impl_->Get(Cf::kApiKeys, key));
  if (!id) return std::optional<ApiKey>();
  if (id->size() != 8) return Status(StatusCode::kCorruption, "unreadable api key hash index");
  return GetApiKey(static_cast<int64_t>(keys::DecodeU64(*id)));
}

Result<std::vector<ApiKey>> Store::ListApiKeys() const {
  const std::string lower(1, keys::kApiKeyByIdTag);
  return impl_->ScanRecords<ApiKey>(Cf::kApiKeys, lower, keys::PrefixSuccessor(lower),
                                    DecodeApiKey);
}

// --- Webhooks ----------------------------------------------------------------------------------

Result<std::optional<Hook>> Store::GetHook(ProjectId project, std::string_view hook_id) const {
  std::string key;
  keys::AppendHookKey(&key, project, hook_id);
  ACTIOND_ASSIGN_OR_RETURN(auto value, impl_->Get(Cf::kHooks, key));
  if (!value) return std::optional<Hook>();
  ACTIOND_ASSIGN_OR_RETURN(Hook hook, DecodeHook(*value));
  return std::optional<Hook>(std::move(hook));
}

Result<std::vector<Hook>> Store::ListHooks(ProjectId project) const {
  std::string prefix;
  keys::AppendProjectPrefix(&prefix, project);
  return impl_->ScanRecords<Hook>(Cf::kHooks, prefix, keys::PrefixSuccessor(prefix), DecodeHook);
}

Result<std::optional<Delivery>> Store::GetDelivery(ProjectId project, DeliveryState state,
                                                   int64_t delivery_id) const {
  std::string key;
  keys::AppendDeliveryKey(&key, project, static_cast<char>(state), delivery_id);
  ACTIOND_ASSIGN_OR_RETURN(auto value, impl_->Get(Cf::kDeliveries, key));
  if (!value) return std::optional<Delivery>();
  ACTIOND_ASSIGN_OR_RETURN(Delivery delivery, DecodeDelivery(*value));
  return std::optional<Delivery>(std::move(delivery));
}

Result<std::vector<Delivery>> Store::ListDeliveries(ProjectId project, DeliveryState state,
                                                    int64_t after_id, size_t limit) const {
  std::string prefix, lower;
  keys::AppendDeliveryPrefix(&prefix, project, static_cast<char>(state));
  keys::AppendDeliveryKey(&lower, project, static_cast<char>(state),
                          after_id < 0 ? 0 : after_id + 1);
  return impl_->ScanRecords<Delivery>(Cf::kDeliveries, lower, keys::PrefixSuccessor(prefix),
                                      DecodeDelivery, limit);
}

Status Store::ScanAllDeliveries(DeliveryVisitor visitor) const {
  Status error;
  ACTIOND_RETURN_IF_ERROR(
      impl_->Scan(Cf::kDeliveries, std::string_view(""), std::string_view(""), false,
                  [&](std::string_view key, std::string_view value) {
                    int64_t project = 0, id = 0;
                    char state = 0;
                    if (!keys::ParseDeliveryKey(key, &project, &state, &id)) {
                      error = Status(StatusCode::kCorruption, "unreadable webhook delivery key");
                      return false;
                    }
                    auto delivery = DecodeDelivery(value);
                    if (!delivery.ok()) {
                      error = delivery.status();
                      return false;
                    }
                    return visitor(project, static_cast<DeliveryState>(state), *delivery);
                  }));
  return error;
}

// --- Actions -----------------------------------------------------------------------------------

Result<std::optional<std::string>> Store::GetAction(ProjectId project, ActionId action) const {
  std::string key;
  keys::AppendActionKey(&key, project, action);
  return impl_->Get(Cf::kActions, key);
}

Result<std::vector<std::pair<ActionId, std::string>>> Store::ListActions(ProjectId project) const {
  std::string lower;
  keys::AppendProjectPrefix(&lower, project);
  std::vector<std::pair<ActionId, std::string>> out;
  ACTIOND_RETURN_IF_ERROR(impl_->Scan(
      Cf::kActions, lower, keys::PrefixSuccessor(lower), false,
      [&](std::string_view key, std::string_view value) {
        if (key.size() != 16) return true;  // not an action key
        out.emplace_back(static_cast<ActionId>(keys::DecodeU64(key.substr(8))), std::string(value));
        return true;
      }));
  return out;
}

// --- Events --------------------------------------------------------------------------------------

Result<bool> Store::EventExists(ProjectId project, std::string_view uuid) const {
  std::string key;
  keys::AppendEventIdKey(&key, project, uuid);
  return impl_->Exists(Cf::kEventIds, key);
}

Status Store::EventsExist(ProjectId project, std::span<const std::string_view> uuids,
                          std::vector<bool>* exists) const {
  if (impl_->db == nullptr) return Closed();
  exists->assign(uuids.size(), false);
  if (uuids.empty()) return Status::Ok();
  std::vector<std::string> key_bytes(uuids.size());
  std::vector<rocksdb::Slice> key_slices(uuids.size());
  for (size_t i = 0; i < uuids.size(); ++i) {
    keys::AppendEventIdKey(&key_bytes[i], project, uuids[i]);
    key_slices[i] = ToSlice(key_bytes[i]);
  }
  std::vector<rocksdb::PinnableSlice> values(uuids.size());
  std::vector<rocksdb::Status> statuses(uuids.size());
  impl_->db->MultiGet(rocksdb::ReadOptions(), impl_->cf(Cf::kEventIds), uuids.size(),
                      key_slices.data(), values.data(), statuses.data());
  for (size_t i = 0; i < uuids.size(); ++i) {
    if (statuses[i].ok()) {
      (*exists)[i] = true;
    } else if (!statuses[i].IsNotFound()) {
      return FromRocks(statuses[i], "reading event ids");
    }
  }
  return Status::Ok();
}

Result<std::optional<StoredEvent>> Store::GetEvent(ProjectId project, std::string_view uuid) const {
  std::string key;
  keys::AppendEventIdKey(&key, project, uuid);
  ACTIOND_ASSIGN_OR_RETURN(auto ts, impl_->Get(Cf::kEventIds, key));
  if (!ts) return std::optional<StoredEvent>();
  if (ts->size() != 8) return Status(StatusCode::kCorruption, "unreadable event id index");
  StoredEvent event{keys::DecodeI64(*ts), std::string(uuid), {}};
  key.clear();
  keys::AppendEventKey(&key, project, event.timestamp_ms, uuid);
  ACTIOND_ASSIGN_OR_RETURN(auto record, impl_->Get(Cf::kEvents, key));
  // Both keys are written by one batch and events are never deleted.
  if (!record) return Status(StatusCode::kCorruption, "event id index points at no event");
  event.record_json = std::move(*record);
  return std::optional<StoredEvent>(std::move(event));
}

Status Store::ScanEvents(ProjectId project, const ScanOptions& options,
                         EventVisitor visitor) const {
  if (options.limit == 0) return Status::Ok();
  std::string prefix;
  keys::AppendProjectPrefix(&prefix, project);
  const MsInterval ms = ToInterval(options.range);
  if (ms.lo >= ms.hi) return Status::Ok();
  size_t visited = 0;
  return impl_->Scan(Cf::kEvents, TimeBound(prefix, ms.lo), TimeBound(prefix, ms.hi),
                     options.newest_first, [&](std::string_view key, std::string_view value) {
                       return visitor(keys::DecodeI64(key.substr(8)), key.substr(16), value) &&
                              ++visited < options.limit;
                     });
}

Result<std::vector<StoredEvent>> Store::ReadEventsAfter(ProjectId project,
                                                        const std::optional<EventCursor>& after,
                                                        size_t max_events) const {
  std::vector<StoredEvent> out;
  if (max_events == 0) return out;
  std::string prefix;
  keys::AppendProjectPrefix(&prefix, project);
  const std::string lower =
      after ? keys::EventKey(project, after->timestamp_ms, after->uuid) : prefix;
  ACTIOND_RETURN_IF_ERROR(impl_->Scan(Cf::kEvents, lower, keys::PrefixSuccessor(prefix), false,
                                      [&](std::string_view key, std::string_view value) {
                                        if (after && key == lower) return true;  // strictly after
                                        out.push_back(StoredEvent{keys::DecodeI64(key.substr(8)),
                                                                  std::string(key.substr(16)),
                                                                  std::string(value)});
                                        return out.size() < max_events;
                                      }));
  return out;
}

Result<int64_t> Store::EventCount(ProjectId project) const {
  std::string key;
  keys::AppendEventsTotalKey(&key, project);
  return impl_->ReadCounter(key);
}

// --- Persons -------------------------------------------------------------------------------------

Result<std::optional<std::string>> Store::GetPersonUuid(ProjectId project,
                                                        std::string_view distinct_id) const {
  std::string key;
  keys::AppendDistinctIdKey(&key, project, distinct_id);
  return impl_->Get(Cf::kDistinctIds, key);
}

Result<std::optional<Person>> Store::GetPersonByDistinctId(ProjectId project,
                                                           std::string_view distinct_id) const {
  ACTIOND_ASSIGN_OR_RETURN(auto uuid, GetPersonUuid(project, distinct_id));
  if (!uuid) return std::optional<Person>();
  return GetPerson(project, *uuid);
}

Result<std::optional<Person>> Store::GetPerson(ProjectId project, std::string_view uuid) const {
  std::string key;
  keys::AppendPersonKey(&key, project, uuid);
  ACTIOND_ASSIGN_OR_RETURN(auto bytes, impl_->Get(Cf::kPersons, key));
  if (!bytes) return std::optional<Person>();
  ACTIOND_ASSIGN_OR_RETURN(Person person, DecodePerson(*bytes));
  return std::optional<Person>(std::move(person));
}

Result<std::vector<Person>> Store::ListPersons(ProjectId project, size_t offset, size_t limit,
                                               bool newest_first) const {
  std::vector<Person> out;
  if (limit == 0) return out;
  std::string prefix;
  keys::AppendPersonIdPrefix(&prefix, project);
  std::vector<std::string> uuids;
  size_t skipped = 0;
  ACTIOND_RETURN_IF_ERROR(impl_->Scan(Cf::kPersons, prefix, keys::PrefixSuccessor(prefix),
                                      newest_first, [&](std::string_view, std::string_view uuid) {
                                        if (skipped < offset) {
                                          ++skipped;
                                          return true;
                                        }
                                        uuids.emplace_back(uuid);
                                        return uuids.size() < limit;
                                      }));
  out.reserve(uuids.size());
  for (const auto& uuid : uuids) {
    ACTIOND_ASSIGN_OR_RETURN(auto person, GetPerson(project, uuid));
    // The id index and the record are written by one batch. A person deleted between the scan
    // and this read is simply left out.
    if (person) out.push_back(std::move(*person));
  }
  return out;
}

Result<int64_t> Store::CountPersons(ProjectId project) const {
  std::string key;
  keys::AppendPersonsTotalKey(&key, project);
  return impl_->ReadCounter(key);
}

// --- Matches and counts --------------------------------------------------------------------------

Result<bool> Store::MatchExists(ProjectId project, ActionId action, int64_t timestamp_ms,
                                std::string_view uuid) const {
  std::string key;
  keys::AppendMatchKey(&key, project, action, timestamp_ms, uuid);
  return impl_->Exists(Cf::kMatches, key);
}

Status Store::ScanMatches(ProjectId project, ActionId action, const ScanOptions& options,
                          MatchVisitor visitor) const {
  if (options.limit == 0) return Status::Ok();
  std::string prefix;
  keys::AppendMatchPrefix(&prefix, project, action);
  const MsInterval ms = ToInterval(options.range);
  if (ms.lo >= ms.hi) return Status::Ok();
  size_t visited = 0;
  return impl_->Scan(Cf::kMatches, TimeBound(prefix, ms.lo), TimeBound(prefix, ms.hi),
                     options.newest_first, [&](std::string_view key, std::string_view value) {
                       return visitor(keys::DecodeI64(key.substr(16)), key.substr(24), value) &&
                              ++visited < options.limit;
                     });
}

Result<int64_t> Store::Count(ProjectId project, ActionId action, const TimeRange& range) const {
  if (range.unbounded()) {
    std::string key;
    keys::AppendActionTotalKey(&key, project, action);
    return impl_->ReadCounter(key);
  }
  const MsInterval ms = ToInterval(range);
  if (ms.lo >= ms.hi) return int64_t{0};
  constexpr Int128 kDay = keys::kMsPerDay;
  const Int128 first_full = CeilDiv(ms.lo, kDay);  // first day wholly inside
  const Int128 end_full = FloorDiv(ms.hi, kDay);   // one past the last day wholly inside
  if (first_full < end_full) {
    ACTIOND_ASSIGN_OR_RETURN(int64_t total, impl_->SumDays(project, action, first_full, end_full));
    if (ms.lo < first_full * kDay) {
      ACTIOND_ASSIGN_OR_RETURN(int64_t head, impl_->CountWithinDay(project, action, first_full - 1,
                                                                   ms.lo, first_full * kDay));
      total += head;
    }
    if (ms.hi > end_full * kDay) {
      ACTIOND_ASSIGN_OR_RETURN(
          int64_t tail, impl_->CountWithinDay(project, action, end_full, end_full * kDay, ms.hi));
      total += tail;
    }
    return total;
  }
  // No whole day: the range lies in one day or straddles one midnight.
  const Int128 day = FloorDiv(ms.lo, kDay);
  const Int128 midnight = (day + 1) * kDay;
  if (ms.hi <= midnight) return impl_->CountWithinDay(project, action, day, ms.lo, ms.hi);
  ACTIOND_ASSIGN_OR_RETURN(int64_t head,
                           impl_->CountWithinDay(project, action, day, ms.lo, midnight));
  ACTIOND_ASSIGN_OR_RETURN(int64_t tail,
                           impl_->CountWithinDay(project, action, day + 1, midnight, ms.hi));
  return head + tail;
}

}  // namespace actiond::storage
