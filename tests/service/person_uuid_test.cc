#include "service/person_uuid.h"

#include <gtest/gtest.h>

#include <string>

namespace actiond::service {
namespace {

TEST(PersonUuidTest, IsPostHogsUuidV5OfProjectAndDistinctId) {
  // Python: uuid.uuid5(uuid.UUID("932979b4-65c3-4424-8467-0b66ec27bc22"), "1:user-1"), the
  // uuid PostHog's ingestion gives the person it creates for distinct id "user-1" in team 1.
  std::string uuid;
  PersonUuid(1, "user-1", &uuid);
  EXPECT_EQ(uuid, "6931a681-6e90-500d-8294-14582dcc2e3f");
}

TEST(PersonUuidTest, DependsOnTheProjectAndTheDistinctIdOnly) {
  std::string a;
  std::string b;
  std::string c;
  PersonUuid(1, "user-1", &a);
  PersonUuid(2, "user-1", &b);
  PersonUuid(1, "user-2", &c);
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  std::string again = "left over";
  PersonUuid(1, "user-1", &again);
  EXPECT_EQ(again, a);
}

}  // namespace
}  // namespace actiond::service
