// OpsCounters: what the service floor counts for operators (GET /metrics, docs/operations.md
// §Metrics). Each counter is bumped once per request or per chunk, never per event, so the
// hot path pays a few relaxed atomic adds per capture request (docs/style.md §5).
//
// OpsSnapshot: the counters, the webhook dispatcher's and the store's numbers read together,
// as plain integers, so that api/ can publish them without seeing storage/ or RocksDB.
//
// Thread-safety: the counters are atomics, safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace actiond::service {

struct OpsCounters {
  std::atomic<int64_t> events_ingested{0};   // events stored by capture requests
  std::atomic<int64_t> events_duplicate{0};  // events skipped: their uuid was already stored
  std::atomic<int64_t> matches{0};           // match entries written by capture requests
  std::atomic<int64_t> backfill_events{0};   // stored events read by backfills

  static void Add(std::atomic<int64_t>& counter, int64_t n) noexcept {
    if (n != 0) counter.fetch_add(n, std::memory_order_relaxed);
  }
};

struct OpsSnapshot {
  int64_t events_ingested = 0;
  int64_t events_duplicate = 0;
  int64_t matches = 0;
  int64_t backfill_events = 0;
  int64_t ingest_queue_depth = 0;  // capture requests waiting for the apply stage
  // Webhook deliveries by outcome since start (service/webhook_dispatcher.h).
  int64_t webhooks_delivered = 0;
  int64_t webhooks_retried = 0;
  int64_t webhooks_dead_lettered = 0;
  int64_t webhooks_dropped = 0;
  int64_t store_writable = 1;  // 0 while the store cannot write (storage/store.h, writable())
  // RocksDB (storage/store.h, StoreStatistics).
  int64_t rocksdb_bytes_written = 0;
  int64_t rocksdb_compaction_pending = 0;  // column families with a compaction pending
  int64_t rocksdb_pending_compaction_bytes = 0;
  int64_t rocksdb_block_cache_hits = 0;
  int64_t rocksdb_block_cache_misses = 0;
  int64_t rocksdb_block_cache_bytes = 0;
  int64_t rocksdb_memtable_bytes = 0;
};

}  // namespace actiond::service
