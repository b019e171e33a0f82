// The per-project cache of committed persons: what was put is found, erased persons are gone,
// and a project past its bound is emptied rather than growing.
#include "service/person_cache.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

namespace actiond::service {
namespace {

Person MakePerson(const std::string& uuid, const std::string& properties) {
  Person person;
  person.uuid = uuid;
  person.properties_json = properties;
  return person;
}

TEST(PersonCacheTest, FindsWhatWasPutAndForgetsErasedPersons) {
  PersonCache cache;
  ProjectPersons* persons = cache.For(1);
  EXPECT_EQ(persons->FindPersonUuid("a"), nullptr);
  persons->PutMapping("a", "p1");
  persons->PutPerson(MakePerson("p1", R"({"x":1})"));
  ASSERT_NE(persons->FindPersonUuid("a"), nullptr);
  EXPECT_EQ(*persons->FindPersonUuid("a"), "p1");
  EXPECT_EQ(persons->FindPerson("p1")->properties_json, R"({"x":1})");
  persons->PutPerson(MakePerson("p1", R"({"x":2})"));  // replaced, not added
  EXPECT_EQ(persons->FindPerson("p1")->properties_json, R"({"x":2})");
  persons->PutMapping("a", "p2");
  EXPECT_EQ(*persons->FindPersonUuid("a"), "p2");
  persons->ErasePerson("p1");
  EXPECT_EQ(persons->FindPerson("p1"), nullptr);
}

TEST(PersonCacheTest, ATakenPersonIsNoLongerCachedUntilPutBack) {
  PersonCache cache;
  ProjectPersons* persons = cache.For(1);
  persons->PutPerson(MakePerson("p1", R"({"x":1})"));
  std::optional<Person> taken = persons->TakePerson("p1");
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->properties_json, R"({"x":1})");
  EXPECT_EQ(persons->FindPerson("p1"), nullptr);
  EXPECT_FALSE(persons->TakePerson("p1").has_value());
  persons->PutPerson(std::move(*taken));
  EXPECT_NE(persons->FindPerson("p1"), nullptr);
}

TEST(PersonCacheTest, ProjectsAreKeptApart) {
  PersonCache cache;
  cache.For(1)->PutMapping("a", "p1");
  EXPECT_EQ(cache.For(2)->FindPersonUuid("a"), nullptr);
  EXPECT_EQ(cache.For(1), cache.For(1));
}

TEST(PersonCacheTest, AProjectPastItsBoundIsEmptied) {
  PersonCache cache;
  ProjectPersons* persons = cache.For(1);
  for (size_t i = 0; i <= ProjectPersons::kMaxPersons; ++i) {
    persons->PutMapping("id-" + std::to_string(i), "p");
  }
  EXPECT_EQ(persons->FindPersonUuid("id-0"), nullptr);
  persons->PutMapping("again", "p");
  EXPECT_NE(persons->FindPersonUuid("again"), nullptr);
}

TEST(PersonCacheTest, AllProjectsTogetherStayWithinTheCachesBound) {
  PersonCache cache;
  const size_t per_project = ProjectPersons::kMaxPersons - 1;  // each within its own bound
  const size_t projects = PersonCache::kMaxEntries / per_project + 2;
  for (size_t p = 1; p <= projects; ++p) {
    ProjectPersons* persons = cache.For(static_cast<ProjectId>(p));
    for (size_t i = 0; i < per_project; ++i) {
      persons->PutMapping("id-" + std::to_string(i), "p");
    }
  }
  EXPECT_LE(cache.entries(), PersonCache::kMaxEntries + 1);
  EXPECT_GT(cache.entries(), 0u);
  // A project emptied by the bound refills: the cache still serves.
  ProjectPersons* first = cache.For(1);
  first->PutMapping("again", "p");
  EXPECT_NE(first->FindPersonUuid("again"), nullptr);
}

}  // namespace
}  // namespace actiond::service
