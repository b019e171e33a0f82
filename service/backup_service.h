// BackupService: a consistent copy of the whole store, online (docs/operations.md §4) — for
// `POST /api/admin/backup/` on a running server, and for `actiond backup` on a stopped one.
//
// The copy is a RocksDB checkpoint of one instant: every commit before it is in the copy,
// none after, never part of one. It is a complete data dir: start actiond with `--data-dir` on
// it (or copy it anywhere first) to restore.
//
// Rules for the target: an absolute path that does not exist yet, whose parent directory does
// (kInvalidInput with attr `path` otherwise; kAlreadyExists when it exists).
// Thread-safety: Backup may be called from any thread, also while the store is written.
#pragma once

#include <cstdint>
#include <string>

#include "engine/status.h"
#include "service/clock_and_log.h"

namespace actiond::storage {
class Store;
}  // namespace actiond::storage

namespace actiond::service {

struct BackupResult {
  std::string path;
  int64_t bytes = 0;       // the copy's size on disk (hard-linked files counted in full)
  std::string created_at;  // ISO-8601
};

class BackupService {
 public:
  BackupService(storage::Store* store, ClockFunction clock)
      : store_(store), clock_(std::move(clock)) {}

  Result<BackupResult> Backup(const std::string& path) const;

 private:
  storage::Store* store_;
  ClockFunction clock_;
};

// `actiond backup`: opens the store at `data_dir` (it must exist and not be in use by a
// running actiond: RocksDB's lock refuses a second opener), writes the copy to `path`, closes.
Result<BackupResult> BackupStoppedStore(const std::string& data_dir, const std::string& path,
                                        const ClockFunction& clock);

}  // namespace actiond::service
