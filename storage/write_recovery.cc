#include "storage/write_recovery.h"

#include <utility>

#include "storage/rocks_status.h"

namespace actiond::storage {
namespace {

class BackgroundErrorListener final : public rocksdb::EventListener {
 public:
  explicit BackgroundErrorListener(WriteRecovery* recovery) : recovery_(recovery) {}

  const char* Name() const override { return "actiond.WriteRecovery"; }

  // RocksDB rates an I/O error of a WAL write, flush or compaction that is not ENOSPC (EFBIG
  // from a file size limit, EDQUOT, EIO) as fatal, which DB::Resume() refuses to clear: only a
  // reopen would. It cannot tell a full disk of another kind from a broken one. Resume is safe
  // for them as for ENOSPC, which RocksDB itself rates "hard": it flushes every memtable to new
  // files and moves to a new WAL, so nothing then depends on the log the failed write damaged,
  // and the failed write was never applied to a memtable. A disk that stays broken only keeps
  // failing the attempts, so the store stays read-only as a fatal error would keep it.
  // Unrecoverable errors (corruption, data loss) are left as they are.
  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* bg_error) override {
    if (bg_error == nullptr || bg_error->ok()) return;
    if (bg_error->IsIOError() && bg_error->severity() == rocksdb::Status::Severity::kFatalError) {
      *bg_error = rocksdb::Status(*bg_error, rocksdb::Status::Severity::kHardError);
    }
    // Called with RocksDB's mutex held: only a flag and a wake-up here, the report comes from
    // the recovery thread.
    recovery_->MarkUnwritable(bg_error->ToString());
  }

  // One owner of recovery, at one cadence: WriteRecovery's thread. RocksDB's own, for ENOSPC,
  // would poll through its SstFileManager every 5 s and answer a manual Resume() Busy meanwhile.
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    if (auto_recovery != nullptr) *auto_recovery = false;
  }

 private:
  WriteRecovery* recovery_;
};

}  // namespace

WriteRecovery::WriteRecovery(std::chrono::milliseconds interval, WritableChangeFunction on_change)
    : interval_(interval),
      on_change_(std::move(on_change)),
      listener_(std::make_shared<BackgroundErrorListener>(this)) {}

WriteRecovery::~WriteRecovery() { Stop(); }

void WriteRecovery::Start(Attempt attempt) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  attempt_ = std::move(attempt);
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void WriteRecovery::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status WriteRecovery::WriteFailed(const rocksdb::Status& status, std::string_view what) {
  if (!status.IsIOError()) return FromRocks(status, what);
  std::string cause(what);
  cause.append(": ").append(status.ToString());
  MarkUnwritable(cause);
  return StoreUnwritable("the store cannot write (" + cause + ")");
}

void WriteRecovery::MarkUnwritable(std::string_view cause) {
  {
    std::lock_guard lock(mutex_);
    ++failures_;
    cause_.assign(cause);
    writable_.store(false, std::memory_order_relaxed);
  }
  wake_.notify_all();
}

void WriteRecovery::MarkWritable() {
  {
    std::lock_guard lock(mutex_);
    writable_.store(true, std::memory_order_relaxed);
  }
  wake_.notify_all();
}

void WriteRecovery::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    const bool writable = writable_.load(std::memory_order_relaxed);
    if (writable != reported_writable_) {
      reported_writable_ = writable;
      const std::string cause = writable ? std::string() : cause_;
      lock.unlock();
      if (on_change_) on_change_(writable, cause);
      lock.lock();
      continue;
    }
    if (writable) {
      wake_.wait(lock, [this] {
        return stop_ || writable_.load(std::memory_order_relaxed) != reported_writable_;
      });
      continue;
    }
    // Unwritable: one attempt per interval, however many writes fail meanwhile (each of those
    // fails at once inside RocksDB while its background error stands).
    wake_.wait_for(lock, interval_,
                   [this] { return stop_ || writable_.load(std::memory_order_relaxed); });
    if (stop_ || writable_.load(std::memory_order_relaxed)) continue;
    const uint64_t failures_before = failures_;
    lock.unlock();
    const rocksdb::Status attempt = attempt_();
    lock.lock();
    // A write that failed while the attempt ran may have failed after it: try again later.
    if (attempt.ok() && failures_ == failures_before) {
      writable_.store(true, std::memory_order_relaxed);
    }
  }
}

}  // namespace actiond::storage
