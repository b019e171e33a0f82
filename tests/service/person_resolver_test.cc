// The per-request person state machine: creation, $set_once/$set/$unset, merges and their
// guards, read-through to the store and what Flush writes.
#include "service/person_resolver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/date_time.h"
#include "tests/storage/store_fixture.h"

namespace actiond::service {
namespace {

// The services are tested against a real Store (tests/storage/store_fixture.h).
using namespace ::actiond::storage;  // NOLINT(google-build-using-namespace)

constexpr ProjectId kProject = 1;
constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

engine::CapturedEvent Event(std::string name, std::string distinct_id, int64_t ts = kT0) {
  engine::CapturedEvent e;
  e.uuid = "00000000-0000-4000-8000-000000000000";
  e.event = std::move(name);
  e.distinct_id = std::move(distinct_id);
  e.timestamp_ms = ts;
  e.properties_json = "{}";
  return e;
}

engine::CapturedEvent Set(std::string distinct_id, std::string set_json, int64_t ts = kT0) {
  engine::CapturedEvent e = Event("$set", std::move(distinct_id), ts);
  e.set_json = std::move(set_json);
  return e;
}

engine::CapturedEvent Identify(std::string distinct_id, std::string anon, int64_t ts = kT0) {
  engine::CapturedEvent e = Event("$identify", std::move(distinct_id), ts);
  e.anon_distinct_id = std::move(anon);
  return e;
}

engine::CapturedEvent Alias(std::string name, std::string distinct_id, std::string alias,
                            int64_t ts = kT0) {
  engine::CapturedEvent e = Event(std::move(name), std::move(distinct_id), ts);
  e.alias = std::move(alias);
  return e;
}

class PersonResolverTest : public testing::StoreTest {
 protected:
  // One request: resolves every event and commits what they changed. Returns each event's
  // person as the resolver gave it (a copy; an empty uuid for none).
  std::vector<Person> Request(const std::vector<engine::CapturedEvent>& events) {
    std::vector<Person> out;
    resolver_.Begin(store_.get(), kProject);
    for (const auto& e : events) {
      auto person = resolver_.Resolve(e);
      EXPECT_TRUE(person.ok()) << person.status().ToString();
      Person none;
      none.properties_json.clear();
      out.push_back(person.ok() && *person != nullptr ? **person : none);
    }
    WriteBatch batch = Batch();
    Status s = resolver_.Flush(&batch);
    EXPECT_TRUE(s.ok()) << s.ToString();
    Commit(batch);
    return out;
  }

  Person Stored(const std::string& distinct_id) {
    auto person = Ok(store_->GetPersonByDistinctId(kProject, distinct_id));
    EXPECT_TRUE(person.has_value()) << distinct_id << " has no person";
    return person.value_or(Person{});
  }

  int64_t PersonCount() { return Ok(store_->CountPersons(kProject)); }

  PersonResolver resolver_;
};

TEST_F(PersonResolverTest, FirstSightCreatesAPersonStampedWithTheEventTime) {
  auto seen = Request({Event("$pageview", "anon-1", kT0 + 5)});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].uuid.size(), 36u);
  EXPECT_EQ(seen[0].properties_json, "{}");

  Person p = Stored("anon-1");
  EXPECT_EQ(p.uuid, seen[0].uuid);
  EXPECT_EQ(p.id, 1);
  EXPECT_EQ(p.created_at, engine::FormatIso8601(kT0 + 5));
  EXPECT_EQ(p.distinct_ids, std::vector<std::string>{"anon-1"});
  EXPECT_FALSE(p.is_identified);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, LaterEventsOfARequestSeeEarlierChanges) {
  auto seen = Request({Set("u", R"({"a":1})"), Set("u", R"({"b":2})"), Event("x", "v")});
  EXPECT_EQ(seen[0].uuid, seen[1].uuid);
  EXPECT_EQ(seen[0].properties_json, R"({"a":1})");
  EXPECT_EQ(seen[1].properties_json, R"({"a":1,"b":2})");
  EXPECT_NE(seen[2].uuid, seen[0].uuid);
  EXPECT_EQ(Stored("u").properties_json, R"({"a":1,"b":2})");
  EXPECT_EQ(Stored("u").id, 1);
  EXPECT_EQ(Stored("v").id, 2);  // ids in order of creation
  EXPECT_EQ(PersonCount(), 2);
}

TEST_F(PersonResolverTest, SetOnceThenSetThenUnset) {
  engine::CapturedEvent e = Set("u", R"({"b":2,"c":3})");
  e.set_once_json = R"({"a":1,"b":1})";
  e.unset_keys = {"c"};
  EXPECT_EQ(Request({e})[0].properties_json, R"({"a":1,"b":2})");

  engine::CapturedEvent again = Event("x", "u");
  again.set_once_json = R"({"a":9,"c":null})";
  EXPECT_EQ(Request({again})[0].properties_json, R"({"a":1,"b":2,"c":null})");
}

TEST_F(PersonResolverTest, ReadsThroughToStoredPersonsAndRewritesThem) {
  auto first = Request({Set("u", R"({"plan":"free"})", kT0)});
  auto second = Request({Set("u", R"({"plan":"pro"})", kT0 + 1000)});
  EXPECT_EQ(second[0].uuid, first[0].uuid);
  EXPECT_EQ(second[0].properties_json, R"({"plan":"pro"})");
  Person p = Stored("u");
  EXPECT_EQ(p.properties_json, R"({"plan":"pro"})");
  EXPECT_EQ(p.created_at, engine::FormatIso8601(kT0));
  EXPECT_EQ(p.id, 1);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, UnchangedPersonsAreNotWritten) {
  Request({Set("u", R"({"plan":"pro"})")});
  resolver_.Begin(store_.get(), kProject);
  ASSERT_TRUE(resolver_.Resolve(Set("u", R"({"plan":"pro"})")).ok());
  WriteBatch batch = Batch();
  ASSERT_TRUE(resolver_.Flush(&batch).ok());
  EXPECT_TRUE(batch.empty());
}

TEST_F(PersonResolverTest, IdentifyMergesTheAnonymousPersonIntoTheTarget) {
  auto before = Request({Set("anon-1", R"({"utm":"news","plan":"free"})", kT0),
                         Set("user-1", R"({"plan":"pro"})", kT0 + 1000)});
  const std::string anon_uuid = before[0].uuid;
  const std::string user_uuid = before[1].uuid;

  auto seen = Request({Identify("user-1", "anon-1", kT0 + 2000)});
  EXPECT_EQ(seen[0].uuid, user_uuid);
  EXPECT_EQ(seen[0].properties_json, R"({"plan":"pro","utm":"news"})");

  Person p = Stored("user-1");
  EXPECT_EQ(p.uuid, user_uuid);
  EXPECT_EQ(p.properties_json, R"({"plan":"pro","utm":"news"})");
  EXPECT_EQ(p.created_at, engine::FormatIso8601(kT0));  // the older one
  EXPECT_EQ(p.distinct_ids, (std::vector<std::string>{"user-1", "anon-1"}));
  EXPECT_TRUE(p.is_identified);
  EXPECT_EQ(Ok(store_->GetPersonUuid(kProject, "anon-1")), user_uuid);
  EXPECT_FALSE(Ok(store_->GetPerson(kProject, anon_uuid)).has_value());
  EXPECT_EQ(PersonCount(), 1);
  ASSERT_EQ(Ok(store_->ListPersons(kProject, 0, 10)).size(), 1u);
}

TEST_F(PersonResolverTest, MergeMovesEveryDistinctIdOfTheSource) {
  Request({Event("x", "a"), Alias("$create_alias", "a", "b")});  // a's person owns a, b
  Request({Event("x", "user")});
  Request({Alias("$merge_dangerously", "user", "b")});
  Person p = Stored("user");
  EXPECT_EQ(p.distinct_ids, (std::vector<std::string>{"user", "a", "b"}));
  EXPECT_EQ(Stored("a").uuid, p.uuid);
  EXPECT_EQ(Stored("b").uuid, p.uuid);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, MergeWithinOneRequestWritesOnlyTheSurvivor) {
  auto seen = Request({Set("anon", R"({"a":1})", kT0 + 10), Set("user", R"({"b":2})", kT0 + 20),
                       Identify("user", "anon", kT0 + 30), Event("x", "anon", kT0 + 40)});
  EXPECT_EQ(seen[2].uuid, seen[1].uuid);
  EXPECT_EQ(seen[3].uuid, seen[1].uuid);  // anon now resolves to the merged person
  EXPECT_EQ(seen[3].properties_json, R"({"b":2,"a":1})");
  Person p = Stored("anon");
  EXPECT_EQ(p.uuid, seen[1].uuid);
  EXPECT_EQ(p.id, 1);  // the merged-away person never took an id
  EXPECT_EQ(p.created_at, engine::FormatIso8601(kT0 + 10));
  EXPECT_FALSE(Ok(store_->GetPerson(kProject, seen[0].uuid)).has_value());
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, MergeAppliesTheEventsOwnUpdatesAfterwards) {
  Request({Set("anon", R"({"theme":"dark","plan":"free"})"), Event("x", "user")});
  engine::CapturedEvent identify = Identify("user", "anon");
  identify.set_once_json = R"({"theme":"light"})";
  identify.set_json = R"({"plan":"pro"})";
  identify.unset_keys = {"gone"};
  auto seen = Request({identify});
  EXPECT_EQ(seen[0].properties_json, R"({"theme":"dark","plan":"pro"})");
}

TEST_F(PersonResolverTest, IdentifyRefusesToMergeAnIdentifiedPerson) {
  Request({Set("anon", R"({"utm":"podcast"})"), Identify("user-a", "anon")});  // identified
  Request({Set("user-b", R"({"plan":"team"})")});
  auto seen = Request({Identify("user-b", "user-a")});
  Person a = Stored("user-a");
  Person b = Stored("user-b");
  EXPECT_NE(a.uuid, b.uuid);
  EXPECT_EQ(seen[0].uuid, b.uuid);
  EXPECT_EQ(b.properties_json, R"({"plan":"team"})");
  EXPECT_EQ(b.distinct_ids, std::vector<std::string>{"user-b"});
  EXPECT_TRUE(b.is_identified);  // the target is identified even though nothing merged
  EXPECT_EQ(a.distinct_ids, (std::vector<std::string>{"anon", "user-a"}));
  EXPECT_EQ(PersonCount(), 2);
}

TEST_F(PersonResolverTest, CreateAliasRefusesAnIdentifiedPersonEvenForANewTarget) {
  Request({Set("anon", R"({"utm":"podcast"})"), Identify("user-a", "anon")});
  auto seen = Request({Alias("$create_alias", "user-b", "user-a")});
  Person a = Stored("user-a");
  Person b = Stored("user-b");
  EXPECT_NE(a.uuid, b.uuid);
  EXPECT_EQ(seen[0].uuid, b.uuid);
  EXPECT_EQ(b.properties_json, "{}");
  EXPECT_TRUE(b.is_identified);
  EXPECT_EQ(a.distinct_ids, (std::vector<std::string>{"anon", "user-a"}));
  EXPECT_EQ(PersonCount(), 2);
}

TEST_F(PersonResolverTest, MergeDangerouslyMergesAnIdentifiedPerson) {
  Request({Set("anon", R"({"plan":"team","x":1})"), Identify("user-a", "anon")});
  Request({Set("user-b", R"({"plan":"solo"})")});
  auto seen = Request({Alias("$merge_dangerously", "user-b", "user-a")});
  Person b = Stored("user-b");
  EXPECT_EQ(seen[0].uuid, b.uuid);
  EXPECT_EQ(b.properties_json, R"({"plan":"solo","x":1})");
  EXPECT_EQ(b.distinct_ids, (std::vector<std::string>{"user-b", "anon", "user-a"}));
  EXPECT_TRUE(b.is_identified);
  EXPECT_EQ(Stored("anon").uuid, b.uuid);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, AnAliasWithoutAPersonJoinsTheTarget) {
  auto first = Request({Set("user", R"({"company":"Acme"})")});
  auto seen = Request({Alias("$create_alias", "user", "web-7"), Event("invoice", "web-7")});
  EXPECT_EQ(seen[0].uuid, first[0].uuid);
  EXPECT_EQ(seen[1].uuid, first[0].uuid);
  EXPECT_EQ(seen[1].properties_json, R"({"company":"Acme"})");
  Person p = Stored("web-7");
  EXPECT_EQ(p.distinct_ids, (std::vector<std::string>{"user", "web-7"}));
  EXPECT_TRUE(p.is_identified);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, ATargetWithoutAPersonJoinsTheOthersUnidentifiedPerson) {
  auto first = Request({Set("anon", R"({"utm":"ads"})")});
  auto seen = Request({Identify("user", "anon")});
  EXPECT_EQ(seen[0].uuid, first[0].uuid);
  Person p = Stored("user");
  EXPECT_EQ(p.uuid, first[0].uuid);
  EXPECT_EQ(p.distinct_ids, (std::vector<std::string>{"anon", "user"}));
  EXPECT_TRUE(p.is_identified);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, WhenNeitherIdHasAPersonOneOwnsBoth) {
  engine::CapturedEvent e = Identify("user", "anon", kT0 + 7);
  e.set_json = R"({"email":"a@b.c"})";
  auto seen = Request({e});
  Person p = Stored("user");
  EXPECT_EQ(p.uuid, seen[0].uuid);
  EXPECT_EQ(Stored("anon").uuid, p.uuid);
  EXPECT_EQ(p.distinct_ids, (std::vector<std::string>{"user", "anon"}));
  EXPECT_EQ(p.properties_json, R"({"email":"a@b.c"})");
  EXPECT_EQ(p.created_at, engine::FormatIso8601(kT0 + 7));
  EXPECT_TRUE(p.is_identified);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, IdsThatNeverMergeLeaveThePersonsApart) {
  Request({Set("undefined", R"({"plan":"team"})"), Set("user", R"({"a":1})")});
  auto seen = Request({Identify("user", "undefined"), Identify("anonymous", "user"),
                       Alias("$merge_dangerously", "user", " "),
                       Alias("$create_alias", "user", "\"null\"")});
  Person user = Stored("user");
  EXPECT_EQ(user.distinct_ids, std::vector<std::string>{"user"});
  EXPECT_EQ(user.properties_json, R"({"a":1})");
  EXPECT_FALSE(user.is_identified);  // no merge was attempted
  EXPECT_NE(Stored("undefined").uuid, user.uuid);
  EXPECT_NE(seen[1].uuid, user.uuid);  // "anonymous" got a person of its own
  EXPECT_FALSE(Stored("anonymous").is_identified);
  EXPECT_FALSE(Ok(store_->GetPersonUuid(kProject, "\"null\"")).has_value());
  EXPECT_EQ(PersonCount(), 3);
}

TEST_F(PersonResolverTest, IdentifyWithItsOwnIdIsNoMerge) {
  auto seen = Request({Identify("user", "user")});
  EXPECT_FALSE(Stored("user").is_identified);
  EXPECT_EQ(Stored("user").distinct_ids, std::vector<std::string>{"user"});
}

TEST_F(PersonResolverTest, IdsOfOnePersonAlreadyMergeToNothingButIdentify) {
  Request({Event("x", "a"), Event("x", "b")});
  Request({Identify("a", "b")});  // b's unidentified person merges into a's
  Person before = Stored("a");
  EXPECT_TRUE(before.is_identified);
  // Again, the other way round: already one person, so nothing moves.
  Request({Alias("$create_alias", "b", "a")});
  Person after = Stored("b");
  EXPECT_EQ(after.uuid, before.uuid);
  EXPECT_EQ(after.distinct_ids, before.distinct_ids);
  EXPECT_TRUE(after.is_identified);
  EXPECT_EQ(PersonCount(), 1);
}

TEST_F(PersonResolverTest, WithoutAPersonProfileNothingIsCreatedOrUpdated) {
  Request({Set("u", R"({"plan":"free"})")});
  engine::CapturedEvent e = Identify("u", "anon");
  e.set_json = R"({"plan":"pro"})";
  e.process_person_profile = false;
  engine::CapturedEvent fresh = Set("new", R"({"a":1})");
  fresh.process_person_profile = false;

  resolver_.Begin(store_.get(), kProject);
  for (const auto& event : {e, fresh}) {
    auto person = resolver_.Resolve(event);
    ASSERT_TRUE(person.ok());
    EXPECT_EQ(*person, nullptr);
  }
  WriteBatch batch = Batch();
  ASSERT_TRUE(resolver_.Flush(&batch).ok());
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(Stored("u").properties_json, R"({"plan":"free"})");
}

TEST_F(PersonResolverTest, ASetThatIsNotAnObjectIsAnError) {
  resolver_.Begin(store_.get(), kProject);
  auto person = resolver_.Resolve(Set("u", "[1]"));
  ASSERT_FALSE(person.ok());
  EXPECT_EQ(person.status().code(), StatusCode::kInvalidInput);
}

TEST_F(PersonResolverTest, ProjectsHaveSeparatePersons) {
  Request({Set("u", R"({"p":1})")});
  resolver_.Begin(store_.get(), 2);
  auto person = resolver_.Resolve(Event("x", "u"));
  ASSERT_TRUE(person.ok());
  EXPECT_EQ((*person)->properties_json, "{}");
  EXPECT_NE((*person)->uuid, Stored("u").uuid);
}

}  // namespace
}  // namespace actiond::service
