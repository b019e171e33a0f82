// StoreOptions::keep_wal, Store::VisitCommittedBatches and Store::CommitSerialized: what
// bench/ingest_ceiling relies on to replay exactly the batches a server committed.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"
#include "storage/write_batch.h"
#include "tests/storage/temp_dir.h"

namespace actiond::storage {
namespace {

using testing::TempDir;

std::unique_ptr<Store> OpenOrDie(const std::string& path, const StoreOptions& options = {}) {
  auto opened = Store::Open(path, options);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return opened.ok() ? std::move(*opened) : nullptr;
}

std::vector<std::string> CommittedBatches(const Store& store) {
  std::vector<std::string> out;
  Status s = store.VisitCommittedBatches([&](std::string_view batch) {
    out.emplace_back(batch);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

// Two commits and an id reservation, then a close (which flushes: the log files become
// obsolete and, with keep_wal, are archived rather than deleted).
void WriteSomething(Store* store) {
  WriteBatch first(*store);
  first.PutEvent(1, 1000, "e1", R"({"event":"signup"})");
  Person person;
  person.uuid = "p1";
  person.id = 1;
  person.distinct_ids = {"d1"};
  first.PutPerson(1, person, PersonWrite::kCreate);
  first.PutDistinctId(1, "d1", "p1");
  first.AddMatch(1, 7, 1000, "e1", "d1");
  ASSERT_TRUE(store->Commit(first).ok());
  ASSERT_TRUE(store->ReserveIds("person", 3).ok());
  WriteBatch second(*store);
  second.PutEvent(1, 2000, "e2", R"({"event":"pay"})");
  second.AddMatch(1, 7, 2000, "e2", "d1");
  ASSERT_TRUE(store->Commit(second).ok());
}

TEST(StoreCommittedBatchesTest, KeptLogReplaysIntoAFreshStoreAsTheSameData) {
  TempDir source_dir, copy_dir;
  StoreOptions keep;
  keep.keep_wal = true;
  {
    std::unique_ptr<Store> source = OpenOrDie(source_dir.db(), keep);
    ASSERT_NE(source, nullptr);
    WriteSomething(source.get());
    ASSERT_TRUE(source->Close().ok());
  }
  std::unique_ptr<Store> source = OpenOrDie(source_dir.db(), keep);
  ASSERT_NE(source, nullptr);
  std::vector<std::string> batches = CommittedBatches(*source);
  // The schema version written at creation, the two commits and the reservation.
  ASSERT_EQ(batches.size(), 4u);

  std::unique_ptr<Store> copy = OpenOrDie(copy_dir.db());
  ASSERT_NE(copy, nullptr);
  for (std::string& batch : batches) {
    Status s = copy->CommitSerialized(std::move(batch));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_EQ(*copy->EventCount(1), 2);
  EXPECT_EQ((*copy->GetEvent(1, "e2"))->record_json, R"({"event":"pay"})");
  EXPECT_EQ((*copy->GetPersonByDistinctId(1, "d1"))->uuid, "p1");
  EXPECT_EQ(*copy->CountPersons(1), 1);
  EXPECT_EQ(*copy->Count(1, 7), 2);
  EXPECT_EQ(*copy->NextId("person"), 4) << "the reservation was replayed too";
}

TEST(StoreCommittedBatchesTest, WithoutKeepWalAFlushedLogIsReportedNotSkipped) {
  TempDir dir;
  {
    std::unique_ptr<Store> store = OpenOrDie(dir.db());
    ASSERT_NE(store, nullptr);
    WriteSomething(store.get());
    ASSERT_TRUE(store->Close().ok());
  }
  std::unique_ptr<Store> store = OpenOrDie(dir.db());
  ASSERT_NE(store, nullptr);
  WriteBatch later(*store);
  later.PutEvent(1, 3000, "e3", "{}");
  ASSERT_TRUE(store->Commit(later).ok());
  Status s = store->VisitCommittedBatches([](std::string_view) { return true; });
  EXPECT_EQ(s.code(), StatusCode::kIoError) << s.ToString();
}

TEST(StoreCommittedBatchesTest, CommitSerializedRefusesBytesThatAreNoBatch) {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.db());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->CommitSerialized("abc").code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace actiond::storage
