#include "service/backup_service.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "engine/date_time.h"
#include "storage/store.h"

namespace actiond::service {

namespace {

Status ValidTarget(const std::string& path) {
  const std::filesystem::path target(path);
  if (path.empty() || !target.is_absolute()) {
    return InvalidInput("The backup path must be an absolute path on the server.", "path");
  }
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) {
    return Status(StatusCode::kAlreadyExists,
                  "The backup path already exists: give a new directory.", "path");
  }
  if (!std::filesystem::is_directory(target.parent_path(), ec)) {
    return InvalidInput("The backup path's parent directory does not exist.", "path");
  }
  return Status::Ok();
}

int64_t SizeOnDisk(const std::string& path) {
  int64_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) bytes += static_cast<int64_t>(entry.file_size(ec));
  }
  return bytes;
}

Result<BackupResult> CheckpointTo(const storage::Store& store, const std::string& path,
                                  const ClockFunction& clock) {
  ACTIOND_RETURN_IF_ERROR(ValidTarget(path));
  ACTIOND_RETURN_IF_ERROR(store.Checkpoint(path));
  BackupResult result;
  result.path = path;
  result.bytes = SizeOnDisk(path);
  result.created_at = engine::FormatIso8601(clock());
  return result;
}

}  // namespace

Result<BackupResult> BackupService::Backup(const std::string& path) const {
  return CheckpointTo(*store_, path, clock_);
}

Result<BackupResult> BackupStoppedStore(const std::string& data_dir, const std::string& path,
                                        const ClockFunction& clock) {
  storage::StoreOptions options;
  options.create_if_missing = false;
  ACTIOND_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                           storage::Store::Open(data_dir, options));
  Result<BackupResult> result = CheckpointTo(*store, path, clock);
  ACTIOND_RETURN_IF_ERROR(store->Close());
  return result;
}

}  // namespace actiond::service
