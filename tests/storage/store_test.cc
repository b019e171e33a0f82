// Opening, closing, schema versions, durability, atomicity, meta, sequences, projects and keys.
#include "storage/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "tests/storage/store_fixture.h"

namespace actiond::storage {
namespace {

using testing::StoreTest;
using testing::TempDir;

// Writes `key` = `value` into the named column family with plain RocksDB, as a different
// program (or a different schema version) would.
void RawPut(const std::string& path, const std::string& cf, const std::string& key,
            const std::string& value) {
  std::vector<std::string> names;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  if (!rocksdb::DB::ListColumnFamilies(db_options, path, &names).ok()) names = {"default"};
  if (std::find(names.begin(), names.end(), cf) == names.end()) names.push_back(cf);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(db_options, path, descriptors, &handles, &db).ok());
  size_t index = std::find(names.begin(), names.end(), cf) - names.begin();
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[index], key, value).ok());
  for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  ASSERT_TRUE(db->Close().ok());
  delete db;
}

TEST(StoreOpenTest, CreatesAStoreWithTheCurrentSchemaVersion) {
  TempDir dir;
  auto store = Store::Open(dir.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  EXPECT_TRUE((*store)->Close().ok());
  EXPECT_TRUE((*store)->Close().ok()) << "Close is idempotent";
}

TEST(StoreOpenTest, RefusesAnUnknownSchemaVersion) {
  TempDir dir;
  { ASSERT_TRUE(Store::Open(dir.db()).ok()); }
  RawPut(dir.db(), "meta", "v", "2");
  auto store = Store::Open(dir.db());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("schema version 2"), std::string_view::npos)
      << store.status().ToString();
}

TEST(StoreOpenTest, RefusesAnUnreadableSchemaVersion) {
  TempDir dir;
  { ASSERT_TRUE(Store::Open(dir.db()).ok()); }
  RawPut(dir.db(), "meta", "v", "1x");
  auto store = Store::Open(dir.db());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
}

TEST(StoreOpenTest, RefusesADatabaseWithDataButNoVersion) {
  TempDir dir;
  RawPut(dir.db(), "default", "someone else's", "data");
  auto store = Store::Open(dir.db());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
}

TEST(StoreOpenTest, RefusesANewerStoreWithUnknownColumnFamilies) {
  TempDir dir;
  { ASSERT_TRUE(Store::Open(dir.db()).ok()); }
  RawPut(dir.db(), "meta", "v", "3");
  RawPut(dir.db(), "from_the_future", "k", "v");
  auto store = Store::Open(dir.db());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
}

TEST(StoreOpenTest, AVersionedStoreMissingColumnFamiliesGetsThemCreated) {
  TempDir dir;
  RawPut(dir.db(), "meta", "v", std::to_string(kSchemaVersion));
  auto store = Store::Open(dir.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  WriteBatch b(**store);
  b.AddMatch(1, 2, 3, "u", "d");
  ASSERT_TRUE((*store)->Commit(b).ok());
  EXPECT_EQ(*(*store)->Count(1, 2), 1) << "the counters family has its merge operator";
}

TEST(StoreOpenTest, WithoutCreateIfMissingAMissingStoreIsAnError) {
  TempDir dir;
  StoreOptions options;
  options.create_if_missing = false;
  auto store = Store::Open(dir.db(), options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
}

TEST(StoreOpenTest, ASecondOpenOfTheSameDirectoryFails) {
  TempDir dir;
  auto first = Store::Open(dir.db());
  ASSERT_TRUE(first.ok());
  auto second = Store::Open(dir.db());
  EXPECT_FALSE(second.ok()) << "RocksDB's LOCK file keeps a second process out";
}

TEST_F(StoreTest, MethodsAfterCloseReportUnavailable) {
  ASSERT_TRUE(store_->Close().ok());
  auto exists = store_->EventExists(1, "u");
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store_->NextId("x").status().code(), StatusCode::kUnavailable);
}

TEST_F(StoreTest, ReopenAfterCloseKeepsEverything) {
  {
    WriteBatch b = Batch();
    b.PutProject(Project{.id = 1,
                         .name = "Default",
                         .api_token = "phc_a",
                         .created_at = "t",
                         .slack_incoming_webhook = ""});
    ApiKey key;
    key.id = 1;
    key.label = "boot";
    key.secure_value_hash = "sha256-of-phx_k";
    b.PutApiKey(key);
    b.PutAction(1, 7, R"({"name":"signup"})");
    b.PutEvent(1, 1000, "e1", R"({"event":"signup"})");
    Person person;
    person.uuid = "p1";
    person.id = 1;
    person.distinct_ids = {"d1"};
    b.PutPerson(1, person, PersonWrite::kCreate);
    b.PutDistinctId(1, "d1", "p1");
    b.AddMatch(1, 7, 1000, "e1", "d1");
    b.PutMeta("backfill/1/7", "cursor");
    Commit(b);
  }
  ASSERT_EQ(Ok(store_->NextId("action")), 1);
  Reopen();
  EXPECT_EQ(Ok(store_->GetProjectByToken("phc_a"))->name, "Default");
  EXPECT_EQ(Ok(store_->GetApiKeyByHash("sha256-of-phx_k"))->label, "boot");
  EXPECT_EQ(*Ok(store_->GetAction(1, 7)), R"({"name":"signup"})");
  EXPECT_EQ(Ok(store_->GetEvent(1, "e1"))->record_json, R"({"event":"signup"})");
  EXPECT_EQ(Ok(store_->GetPersonByDistinctId(1, "d1"))->uuid, "p1");
  EXPECT_TRUE(Ok(store_->MatchExists(1, 7, 1000, "e1")));
  EXPECT_EQ(Ok(store_->Count(1, 7)), 1);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, 2000})), 1);
  EXPECT_EQ(Ok(store_->EventCount(1)), 1);
  EXPECT_EQ(Ok(store_->CountPersons(1)), 1);
  EXPECT_EQ(*Ok(store_->GetMeta("backfill/1/7")), "cursor");
  EXPECT_EQ(Ok(store_->NextId("action")), 2);
}

TEST(StoreDurabilityTest, CommittedBatchSurvivesAProcessThatNeverCloses) {
  TempDir dir;
  pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    auto store = Store::Open(dir.db());
    if (!store.ok()) _exit(2);
    WriteBatch b(**store);
    b.PutEvent(1, 5, "crash", "{}");
    b.AddMatch(1, 2, 5, "crash", "d");
    if (!(*store)->Commit(b).ok()) _exit(3);
    _exit(0);  // no Close, no destructors: only the WAL has the batch
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto store = Store::Open(dir.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE(*(*store)->EventExists(1, "crash"));
  EXPECT_EQ(*(*store)->Count(1, 2), 1);
}

TEST_F(StoreTest, FsyncOptionCommitsAndReads) {
  StoreOptions options;
  options.fsync = true;
  Reopen(options);
  WriteBatch b = Batch();
  b.PutEvent(1, 1, "u", "{}");
  Commit(b);
  EXPECT_TRUE(Ok(store_->EventExists(1, "u")));
  EXPECT_TRUE(store_->SyncWal().ok());
}

TEST_F(StoreTest, ReadersSeeABatchWhollyOrNotAtAll) {
  constexpr int kBatches = 300, kPerBatch = 5;
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, reads{0};
  std::thread reader([&] {
    while (!done.load()) {
      int seen = 0;
      Status s = store_->ScanEvents(1, {}, [&](int64_t, std::string_view, std::string_view) {
        ++seen;
        return true;
      });
      if (!s.ok() || seen % kPerBatch != 0) ++torn;
      ++reads;
    }
  });
  WriteBatch b = Batch();
  for (int i = 0; i < kBatches; ++i) {
    b.Clear();
    for (int j = 0; j < kPerBatch; ++j) b.PutEvent(1, i, std::to_string(i * 10 + j), "{}");
    Commit(b);
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(Ok(store_->EventCount(1)), kBatches * kPerBatch);
}

TEST_F(StoreTest, ABatchForAnotherStoreIsRefusedAndWritesNothing) {
  TempDir other_dir;
  auto other = Store::Open(other_dir.db());
  ASSERT_TRUE(other.ok());
  WriteBatch foreign(**other);
  foreign.PutEvent(1, 1, "u", "{}");
  Status s = store_->Commit(foreign);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_FALSE(Ok(store_->EventExists(1, "u")));
  EXPECT_FALSE(Ok((*other)->EventExists(1, "u")));
}

TEST_F(StoreTest, BatchCountsOperationsAndClearEmptiesIt) {
  WriteBatch b = Batch();
  EXPECT_TRUE(b.empty());
  b.PutEvent(1, 1, "u", "{}");
  b.AddMatch(1, 1, 1, "u", "");
  EXPECT_EQ(b.Count(), 6u);
  EXPECT_GT(b.ByteSize(), 0u);
  b.Clear();
  EXPECT_TRUE(b.empty());
  Commit(b);
  EXPECT_FALSE(Ok(store_->EventExists(1, "u")));
}

TEST_F(StoreTest, SequencesCountFromOneIndependentlyAndPersistAcrossReopen) {
  EXPECT_EQ(Ok(store_->NextId("project")), 1);
  EXPECT_EQ(Ok(store_->NextId("project")), 2);
  EXPECT_EQ(Ok(store_->NextId("person")), 1);
  Reopen();
  EXPECT_EQ(Ok(store_->NextId("project")), 3);
  EXPECT_EQ(Ok(store_->NextId("person")), 2);
  EXPECT_EQ(Ok(store_->NextId("api_key")), 1);
}

TEST_F(StoreTest, ARaisedSequenceNeverHandsOutTheRaisedIdsAndNeverGoesBack) {
  ASSERT_TRUE(store_->RaiseSequence("action", 41).ok());
  EXPECT_EQ(Ok(store_->NextId("action")), 42);
  ASSERT_TRUE(store_->RaiseSequence("action", 10).ok());  // below: nothing changes
  EXPECT_EQ(Ok(store_->NextId("action")), 43);
  ASSERT_TRUE(store_->RaiseSequence("person", 5).ok());  // a sequence never used before
  Reopen();
  EXPECT_EQ(Ok(store_->NextId("action")), 44);
  EXPECT_EQ(Ok(store_->NextId("person")), 6);
}

TEST_F(StoreTest, SequencesHandOutEachIdOnceAcrossThreads) {
  constexpr int kThreads = 4, kPerThread = 200;
  std::vector<std::vector<int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) got[t].push_back(*store_->NextId("person"));
    });
  }
  for (auto& t : threads) t.join();
  std::set<int64_t> all;
  for (const auto& ids : got) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kPerThread);
}

TEST_F(StoreTest, ReservedIdBlocksAreConsecutiveAndNeverHandedOutAgain) {
  EXPECT_EQ(Ok(store_->NextId("person")), 1);
  EXPECT_EQ(Ok(store_->ReserveIds("person", 100)), 2);  // ids 2..101
  EXPECT_EQ(Ok(store_->NextId("person")), 102);
  Reopen();
  EXPECT_EQ(Ok(store_->ReserveIds("person", 3)), 103);
  EXPECT_EQ(Ok(store_->NextId("person")), 106);
  EXPECT_EQ(store_->ReserveIds("person", 0).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Ok(store_->NextId("person")), 107);  // a refused reservation takes nothing
}

TEST_F(StoreTest, MetaPutGetListDelete) {
  EXPECT_FALSE(Ok(store_->GetMeta("backfill/1/2")).has_value());
  WriteBatch b = Batch();
  b.PutMeta("backfill/1/2", "a");
  b.PutMeta("backfill/1/3", "b");
  b.PutMeta("backfill/2/1", "c");
  b.PutMeta("other", "d");
  Commit(b);
  auto listed = Ok(store_->ListMeta("backfill/1/"));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], (std::pair<std::string, std::string>("backfill/1/2", "a")));
  EXPECT_EQ(listed[1], (std::pair<std::string, std::string>("backfill/1/3", "b")));
  EXPECT_EQ(Ok(store_->ListMeta("")).size(), 4u) << "sequences and the version are not listed";
  b.Clear();
  b.DeleteMeta("backfill/1/2");
  Commit(b);
  EXPECT_FALSE(Ok(store_->GetMeta("backfill/1/2")).has_value());
  EXPECT_EQ(Ok(store_->ListMeta("backfill/")).size(), 2u);
}

TEST_F(StoreTest, MetaKeysDoNotCollideWithSequencesOrTheVersion) {
  WriteBatch b = Batch();
  b.PutMeta("v", "999");
  b.PutMeta("s/person", "garbage");
  Commit(b);
  EXPECT_EQ(Ok(store_->NextId("person")), 1);
  Reopen();  // the schema version is untouched
  EXPECT_EQ(*Ok(store_->GetMeta("v")), "999");
}

TEST_F(StoreTest, ProjectsByIdByTokenAndListed) {
  WriteBatch b = Batch();
  b.PutProject(Project{.id = 2,
                       .name = "Two",
                       .api_token = "phc_two",
                       .created_at = "t2",
                       .slack_incoming_webhook = ""});
  b.PutProject(Project{.id = 1,
                       .name = "One",
                       .api_token = "phc_one",
                       .created_at = "t1",
                       .slack_incoming_webhook = ""});
  Commit(b);
  EXPECT_EQ(Ok(store_->GetProject(2))->api_token, "phc_two");
  EXPECT_EQ(Ok(store_->GetProjectByToken("phc_one"))->id, 1);
  EXPECT_FALSE(Ok(store_->GetProjectByToken("phc_nope")).has_value());
  EXPECT_FALSE(Ok(store_->GetProject(3)).has_value());
  auto all = Ok(store_->ListProjects());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "One");
  EXPECT_EQ(all[1].name, "Two");
}

TEST_F(StoreTest, ApiKeysLookedUpByHashListedAndDeleted) {
  ApiKey a{.id = 1,
           .label = "a",
           .secure_value_hash = "sha256-of-phx_aaa",
           .scopes = {"*"},
           .scoped_teams = {},
           .user_id = 1,
           .created_at = "2024-01-01T00:00:00Z",
           .mask_value = "phx_...aaaa",
           .last_used_at = ""};
  ApiKey b_key{.id = 2,
               .label = "b",
               .secure_value_hash = "sha256-of-phx_bbb",
               .scopes = {"action:read"},
               .scoped_teams = {1},
               .user_id = 1,
               .created_at = "2024-01-02T00:00:00Z",
               .mask_value = "phx_...bbbb",
               .last_used_at = ""};
  WriteBatch b = Batch();
  b.PutApiKey(a);
  b.PutApiKey(b_key);
  Commit(b);
  EXPECT_EQ(*Ok(store_->GetApiKeyByHash("sha256-of-phx_bbb")), b_key);
  EXPECT_FALSE(Ok(store_->GetApiKeyByHash("sha256-of-phx_ccc")).has_value());
  EXPECT_EQ(*Ok(store_->GetApiKey(1)), a);
  auto all = Ok(store_->ListApiKeys());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, 1);
  EXPECT_EQ(all[1].id, 2);
  b.Clear();
  b.DeleteApiKey(a);
  Commit(b);
  EXPECT_FALSE(Ok(store_->GetApiKeyByHash("sha256-of-phx_aaa")).has_value());
  EXPECT_FALSE(Ok(store_->GetApiKey(1)).has_value());
  EXPECT_EQ(Ok(store_->ListApiKeys()).size(), 1u);
}

TEST_F(StoreTest, ActionsArePerProjectAndListedById) {
  WriteBatch b = Batch();
  b.PutAction(1, 10, "ten");
  b.PutAction(1, 2, "two");
  b.PutAction(2, 5, "other project");
  Commit(b);
  auto listed = Ok(store_->ListActions(1));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], (std::pair<ActionId, std::string>(2, "two")));
  EXPECT_EQ(listed[1], (std::pair<ActionId, std::string>(10, "ten")));
  b.Clear();
  b.PutAction(1, 2, "two v2");
  b.DeleteAction(1, 10);
  Commit(b);
  EXPECT_EQ(*Ok(store_->GetAction(1, 2)), "two v2");
  EXPECT_FALSE(Ok(store_->GetAction(1, 10)).has_value());
  EXPECT_EQ(Ok(store_->ListActions(2)).size(), 1u);
}

}  // namespace
}  // namespace actiond::storage
