// Internal to storage/ (includes RocksDB): whether the store can write, and getting it to write
// again without a restart once the disk has room (docs/operations.md §Disk full).
//
// When RocksDB cannot write (no space, a file size limit, an I/O error) it fails that write and,
// for a failed WAL write, flush or compaction, records a background error that stops every
// later write: the database is read-only until DB::Resume() clears the error. WriteRecovery
//   - classifies a failed write's status: an I/O error means "cannot write now" (the
//     kUnavailable / kStoreUnwritable Status of engine/status.h, a 503 to clients) and marks
//     the store unwritable; any other failure keeps its FromRocks code;
//   - listens to RocksDB's background errors (listener()), so that a failed flush marks the
//     store unwritable before a client write finds out, and so that an I/O error RocksDB calls
//     fatal is kept resumable (see OnBackgroundError in the .cc for why that is safe);
//   - runs one thread that, while the store is unwritable, calls `attempt` (Resume, then a tiny
//     probe write through the WAL) every `interval`, and marks the store writable when it
//     succeeds. A successful client write marks it writable too.
//   - reports each flip, once, to `on_change`, from its own thread (never from a writer's).
//
// Thread-safety: everything but Start/Stop may be called from any thread; writable() is one
// relaxed atomic load, cheap enough for every request.
#pragma once

#include <rocksdb/listener.h>
#include <rocksdb/status.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "engine/status.h"
#include "storage/store.h"

namespace actiond::storage {

class WriteRecovery {
 public:
  using Attempt = std::function<rocksdb::Status()>;

  WriteRecovery(std::chrono::milliseconds interval, WritableChangeFunction on_change);
  ~WriteRecovery();  // Stop()
  WriteRecovery(const WriteRecovery&) = delete;
  WriteRecovery& operator=(const WriteRecovery&) = delete;

  // Add to DBOptions::listeners before the database is opened.
  std::shared_ptr<rocksdb::EventListener> listener() const { return listener_; }

  // Starts the recovery thread; `attempt` must stay callable until Stop() returns.
  void Start(Attempt attempt);
  // Joins the thread (an attempt under way finishes first). Idempotent.
  void Stop();

  bool writable() const noexcept { return writable_.load(std::memory_order_relaxed); }

  // The Status for a write (`what`) that RocksDB failed with `status` (not OK): an I/O error
  // marks the store unwritable and becomes StoreUnwritable; anything else is FromRocks's.
  Status WriteFailed(const rocksdb::Status& status, std::string_view what);
  // A write went through: if the store was marked unwritable, it is writable again.
  void WriteSucceeded() {
    if (!writable()) MarkWritable();
  }

  // The background error listener's entry (public for it; not for other callers).
  void MarkUnwritable(std::string_view cause);

 private:
  void MarkWritable();
  void Loop();

  const std::chrono::milliseconds interval_;
  const WritableChangeFunction on_change_;
  std::shared_ptr<rocksdb::EventListener> listener_;
  std::atomic<bool> writable_{true};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool reported_writable_ = true;  // what on_change_ last said
  uint64_t failures_ = 0;          // MarkUnwritable calls: an attempt that raced one proves nothing
  std::string cause_;              // the last failure, for the report
  Attempt attempt_;
  std::thread thread_;
};

}  // namespace actiond::storage
