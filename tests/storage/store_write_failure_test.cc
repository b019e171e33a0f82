// A store whose disk refuses writes (storage/write_recovery.h, docs/operations.md §Disk full):
// a failed WAL write fails that write; a failed flush leaves a background error that stops every
// later write. Both are kUnavailable / kStoreUnwritable while reads go on, and both end, without
// reopening the store, once the disk takes writes again.
#include <gtest/gtest.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/store.h"
#include "storage/store_file_system.h"
#include "storage/write_batch.h"
#include "tests/storage/temp_dir.h"

namespace actiond::storage {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using testing::TempDir;

// What the injected failure looks like: ENOSPC, which RocksDB rates a hard (resumable) error,
// or a plain I/O error such as EFBIG from a file size limit, which it rates fatal.
enum class Failure { kNoSpace, kIoError };

// RocksDB's FaultInjectionTestFS lives in its test sources, not in the Debian package: this is
// the part of it these tests need. Appends and syncs of WAL files (*.log) or table files
// (*.sst) fail while their switch is on.
class FailingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FailingFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "actiond.FailingFileSystem"; }

  std::atomic<bool> fail_wal{false};
  std::atomic<bool> fail_tables{false};
  std::atomic<Failure> failure{Failure::kNoSpace};

  IOStatus Check(const std::string& name) const {
    const bool wal = name.ends_with(".log"), table = name.ends_with(".sst");
    if (!(wal && fail_wal) && !(table && fail_tables)) return IOStatus::OK();
    return failure == Failure::kNoSpace ? IOStatus::NoSpace("injected: no space left on device")
                                        : IOStatus::IOError("injected: File too large");
  }

  IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                           std::unique_ptr<rocksdb::FSWritableFile>* result,
                           IODebugContext* dbg) override;

 private:
  class File;
};

class FailingFileSystem::File final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  File(std::unique_ptr<rocksdb::FSWritableFile> file, const FailingFileSystem* fs, std::string name)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), name_(std::move(name)) {}

  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check(name_); !s.ok()) return s;
    return target()->Append(data, options, dbg);
  }
  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& info, IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check(name_); !s.ok()) return s;
    return target()->Append(data, options, info, dbg);
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check(name_); !s.ok()) return s;
    return target()->Sync(options, dbg);
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check(name_); !s.ok()) return s;
    return target()->Fsync(options, dbg);
  }

 private:
  const FailingFileSystem* fs_;
  std::string name_;
};

IOStatus FailingFileSystem::NewWritableFile(const std::string& name,
                                            const rocksdb::FileOptions& options,
                                            std::unique_ptr<rocksdb::FSWritableFile>* result,
                                            IODebugContext* dbg) {
  IOStatus s = target()->NewWritableFile(name, options, result, dbg);
  if (s.ok()) *result = std::make_unique<File>(std::move(*result), this, name);
  return s;
}

class StoreWriteFailureTest : public ::testing::TestWithParam<Failure> {
 protected:
  void SetUp() override {
    fs_ = std::make_shared<FailingFileSystem>();
    fs_->failure = GetParam();
    Open();
  }

  void Open() {
    StoreOptions options;
    options.write_retry_interval = std::chrono::milliseconds(20);
    options.file_system = std::make_shared<StoreFileSystem>(StoreFileSystem{fs_});
    options.on_writable_change = [this](bool writable, std::string_view) {
      std::lock_guard lock(mutex_);
      flips_.push_back(writable);
    };
    auto opened = Store::Open(dir_.db(), options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }

  Status Put(std::string_view key) {
    WriteBatch batch(*store_);
    batch.PutMeta(key, "v");
    return store_->Commit(batch);
  }

  bool Stored(std::string_view key) {
    auto value = store_->GetMeta(key);
    EXPECT_TRUE(value.ok()) << value.status().ToString();  // reads go on throughout
    return value.ok() && value->has_value();
  }

  // The recovery thread's flips, once both have been reported (bounded wait).
  std::vector<bool> WaitForFlips(size_t count) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (flips_.size() >= count) return flips_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(mutex_);
    return flips_;
  }

  bool WaitWritable() {
    for (int i = 0; i < 500 && !store_->writable(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return store_->writable();
  }

  static void ExpectUnwritable(const Status& status) {
    EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
    EXPECT_EQ(status.reason(), StatusReason::kStoreUnwritable) << status.ToString();
  }

  TempDir dir_;
  std::shared_ptr<FailingFileSystem> fs_;
  std::unique_ptr<Store> store_;
  std::mutex mutex_;
  std::vector<bool> flips_;
};

TEST_P(StoreWriteFailureTest, FailedWalWriteFailsThatWriteUntilTheDiskTakesWritesAgain) {
  ASSERT_TRUE(Put("before").ok());
  EXPECT_TRUE(store_->writable());

  fs_->fail_wal = true;
  ExpectUnwritable(Put("refused"));
  EXPECT_FALSE(store_->writable());
  // RocksDB stopped: every write fails the same way, an id sequence's too, while reads answer.
  ExpectUnwritable(Put("refused too"));
  auto id = store_->NextId("thing");
  ASSERT_FALSE(id.ok());
  ExpectUnwritable(id.status());
  EXPECT_TRUE(Stored("before"));
  EXPECT_FALSE(Stored("refused"));
  // The recovery thread keeps trying (and failing) meanwhile.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(store_->writable());

  fs_->fail_wal = false;
  ASSERT_TRUE(WaitWritable()) << "resumed without reopening";
  ASSERT_TRUE(Put("after").ok());
  EXPECT_EQ(WaitForFlips(2), (std::vector<bool>{false, true})) << "one report each way";

  // Acknowledged writes survive a reopen; refused ones never appear.
  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  Open();
  EXPECT_TRUE(Stored("before"));
  EXPECT_TRUE(Stored("after"));
  EXPECT_FALSE(Stored("refused"));
  EXPECT_FALSE(Stored("refused too"));
}

TEST_P(StoreWriteFailureTest, AnIdCommittedWithItsRowIsNotUsedUpWhenTheCommitFails) {
  // The disk fails after the id is chosen and before the row is committed: as if the process
  // had died there. Taken apart (NextId, then Commit) the id would be gone and the next row
  // would get 3; a cluster node would then disagree with the others (docs/cluster.md).
  auto first = store_->NextId("project");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(*first, 1);
  auto failed = store_->CommitWithNextId("project", [&](int64_t id, WriteBatch& batch) {
    EXPECT_EQ(id, 2);
    batch.PutMeta("row", "2");
    fs_->fail_wal = true;
  });
  ASSERT_FALSE(failed.ok());
  ExpectUnwritable(failed.status());
  EXPECT_FALSE(Stored("row"));

  fs_->fail_wal = false;
  ASSERT_TRUE(WaitWritable());
  auto again = store_->CommitWithNextId(
      "project", [&](int64_t id, WriteBatch& batch) { batch.PutMeta("row", std::to_string(id)); });
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 2) << "the failed commit used up no id";

  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  Open();
  EXPECT_EQ(*store_->GetMeta("row"), std::optional<std::string>("2"));
  auto next = store_->NextId("project");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 3) << "the committed id was persisted with its row";
}

TEST_P(StoreWriteFailureTest, FailedFlushStopsLaterWritesUntilResumed) {
  ASSERT_TRUE(Put("in the memtable").ok());

  // The WAL takes writes, the table files do not: the flush a checkpoint starts fails, and
  // RocksDB's background error stops writes that would themselves have worked.
  fs_->fail_tables = true;
  TempDir backup;
  const Status checkpoint = store_->Checkpoint(backup.path() + "/copy");
  ExpectUnwritable(checkpoint);
  EXPECT_FALSE(store_->writable()) << "the background error marks the store at once";
  ExpectUnwritable(Put("refused"));
  EXPECT_TRUE(Stored("in the memtable"));

  fs_->fail_tables = false;
  ASSERT_TRUE(WaitWritable());
  ASSERT_TRUE(Put("after").ok());
  EXPECT_EQ(WaitForFlips(2), (std::vector<bool>{false, true}));

  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  Open();
  EXPECT_TRUE(Stored("in the memtable"));
  EXPECT_TRUE(Stored("after"));
  EXPECT_FALSE(Stored("refused"));
}

TEST_P(StoreWriteFailureTest, WalFailureRightAfterAResumeIsResumedToo) {
  // The hardest case for Resume: the WAL write fails when every memtable is empty (just after a
  // previous recovery flushed them), so Resume has nothing to flush.
  fs_->fail_wal = true;
  ExpectUnwritable(Put("first refusal"));
  fs_->fail_wal = false;
  ASSERT_TRUE(WaitWritable());
  fs_->fail_wal = true;
  ExpectUnwritable(Put("second refusal"));
  fs_->fail_wal = false;
  ASSERT_TRUE(WaitWritable());
  ASSERT_TRUE(Put("after").ok());
  EXPECT_TRUE(Stored("after"));
  EXPECT_FALSE(Stored("first refusal"));
  EXPECT_FALSE(Stored("second refusal"));
}

INSTANTIATE_TEST_SUITE_P(Failures, StoreWriteFailureTest,
                         ::testing::Values(Failure::kNoSpace, Failure::kIoError),
                         [](const ::testing::TestParamInfo<Failure>& param_info) {
                           return param_info.param == Failure::kNoSpace ? "NoSpace" : "IoError";
                         });

}  // namespace
}  // namespace actiond::storage
