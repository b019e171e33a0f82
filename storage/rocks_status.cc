#include "storage/rocks_status.h"

#include <string>

namespace actiond::storage {

Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return Status::Ok();
  std::string message(what);
  message.append(": ").append(status.ToString());
  if (status.IsCorruption()) return Status(StatusCode::kCorruption, message);
  if (status.IsNotFound()) return Status(StatusCode::kNotFound, message);
  return Status(StatusCode::kIoError, message);
}

}  // namespace actiond::storage
