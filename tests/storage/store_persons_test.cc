// Persons and the distinct id → person mapping.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/str_cat.h"
#include "storage/store.h"
#include "tests/storage/store_fixture.h"

namespace actiond::storage {
namespace {

class StorePersonsTest : public testing::StoreTest {
 protected:
  Person Create(int64_t id, const std::string& distinct_id, ProjectId project = 1) {
    Person p{.uuid = "person-" + std::to_string(id),
             .id = id,
             .created_at = "2024-01-0" + std::to_string(id % 9 + 1) + "T00:00:00Z",
             .properties_json = R"({"n":)" + std::to_string(id) + "}",
             .distinct_ids = {distinct_id}};
    WriteBatch b = Batch();
    b.PutPerson(project, p, PersonWrite::kCreate);
    b.PutDistinctId(project, distinct_id, p.uuid);
    Commit(b);
    return p;
  }

  std::vector<int64_t> Ids(const std::vector<Person>& persons) {
    std::vector<int64_t> ids;
    for (const auto& p : persons) ids.push_back(p.id);
    return ids;
  }
};

TEST_F(StorePersonsTest, APersonIsFoundByUuidAndByEachDistinctId) {
  Person p = Create(1, "anon-1");
  EXPECT_EQ(*Ok(store_->GetPerson(1, p.uuid)), p);
  EXPECT_EQ(*Ok(store_->GetPersonByDistinctId(1, "anon-1")), p);
  EXPECT_EQ(*Ok(store_->GetPersonUuid(1, "anon-1")), p.uuid);
  EXPECT_FALSE(Ok(store_->GetPersonByDistinctId(1, "unknown")).has_value());
  EXPECT_FALSE(Ok(store_->GetPersonByDistinctId(2, "anon-1")).has_value()) << "per project";
  EXPECT_FALSE(Ok(store_->GetPerson(1, "no-such-uuid")).has_value());
}

TEST_F(StorePersonsTest, UpdateRewritesWithoutChangingTheCount) {
  Person p = Create(1, "anon-1");
  p.properties_json = R"({"email":"a@b.c"})";
  p.is_identified = true;
  WriteBatch b = Batch();
  b.PutPerson(1, p, PersonWrite::kUpdate);
  Commit(b);
  EXPECT_EQ(*Ok(store_->GetPersonByDistinctId(1, "anon-1")), p);
  EXPECT_EQ(Ok(store_->CountPersons(1)), 1);
}

TEST_F(StorePersonsTest, MergeMovesDistinctIdsAndRemovesTheSourcePerson) {
  Person target = Create(1, "user@x");
  Person source = Create(2, "anon-2");
  ASSERT_EQ(Ok(store_->CountPersons(1)), 2);
  // What $identify does: the target takes the source's ids, the source goes away.
  target.distinct_ids.push_back("anon-2");
  WriteBatch b = Batch();
  b.PutPerson(1, target, PersonWrite::kUpdate);
  b.PutDistinctId(1, "anon-2", target.uuid);
  b.DeletePerson(1, source);
  Commit(b);
  EXPECT_EQ(Ok(store_->GetPersonByDistinctId(1, "anon-2"))->uuid, target.uuid);
  EXPECT_EQ(Ok(store_->GetPerson(1, target.uuid))->distinct_ids,
            (std::vector<std::string>{"user@x", "anon-2"}));
  EXPECT_FALSE(Ok(store_->GetPerson(1, source.uuid)).has_value());
  EXPECT_EQ(Ok(store_->CountPersons(1)), 1);
  EXPECT_EQ(Ids(Ok(store_->ListPersons(1, 0, 10))), (std::vector<int64_t>{1}));
}

TEST_F(StorePersonsTest, DeleteDistinctIdForgetsTheMapping) {
  Create(1, "d");
  WriteBatch b = Batch();
  b.DeleteDistinctId(1, "d");
  Commit(b);
  EXPECT_FALSE(Ok(store_->GetPersonUuid(1, "d")).has_value());
}

TEST_F(StorePersonsTest, ListPersonsPagesInIdOrderBothWays) {
  for (int64_t id : {3, 1, 12, 2, 7}) Create(id, engine::StrCat({"d", std::to_string(id)}));
  Create(4, "elsewhere", 2);
  EXPECT_EQ(Ids(Ok(store_->ListPersons(1, 0, 100))), (std::vector<int64_t>{1, 2, 3, 7, 12}));
  EXPECT_EQ(Ids(Ok(store_->ListPersons(1, 1, 2))), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Ids(Ok(store_->ListPersons(1, 0, 2, /*newest_first=*/true))),
            (std::vector<int64_t>{12, 7}));
  EXPECT_EQ(Ids(Ok(store_->ListPersons(1, 4, 10, true))), (std::vector<int64_t>{1}));
  EXPECT_TRUE(Ok(store_->ListPersons(1, 5, 10)).empty());
  EXPECT_TRUE(Ok(store_->ListPersons(1, 0, 0)).empty());
  EXPECT_EQ(Ok(store_->CountPersons(1)), 5);
  EXPECT_EQ(Ok(store_->CountPersons(2)), 1);
  EXPECT_EQ(Ok(store_->CountPersons(3)), 0);
}

TEST_F(StorePersonsTest, IdsAbove255SortNumerically) {
  for (int64_t id : {256, 255, 65536, 1}) Create(id, engine::StrCat({"d", std::to_string(id)}));
  EXPECT_EQ(Ids(Ok(store_->ListPersons(1, 0, 10))), (std::vector<int64_t>{1, 255, 256, 65536}));
}

}  // namespace
}  // namespace actiond::storage
