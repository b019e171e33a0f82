#include "engine/time_zone.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace actiond::engine {
namespace {

void PutU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
void PutI64(std::string* out, int64_t v) {
  PutU32(out, static_cast<uint32_t>(static_cast<uint64_t>(v) >> 32));
  PutU32(out, static_cast<uint32_t>(v));
}

struct Type {
  int32_t offset_s;
};

// A version-2 TZif file: an empty v1 block, then the 64-bit block with these transitions
// (seconds, type index) and types.
std::string Tzif(const std::vector<std::pair<int64_t, uint8_t>>& transitions,
                 const std::vector<Type>& types) {
  std::string out;
  auto header = [&](uint32_t timecnt, uint32_t typecnt) {
    out.append("TZif2");
    out.append(15, '\0');
    PutU32(&out, 0);  // isutcnt
    PutU32(&out, 0);  // isstdcnt
    PutU32(&out, 0);  // leapcnt
    PutU32(&out, timecnt);
    PutU32(&out, typecnt);
    PutU32(&out, 4);  // charcnt
  };
  header(0, 1);  // v1 block: one type, no transitions
  PutU32(&out, 0);
  out.append("\0\0", 2);
  out.append("UTC", 4);
  header(static_cast<uint32_t>(transitions.size()), static_cast<uint32_t>(types.size()));
  for (const auto& t : transitions) PutI64(&out, t.first);
  for (const auto& t : transitions) out.push_back(static_cast<char>(t.second));
  for (const Type& t : types) {
    PutU32(&out, static_cast<uint32_t>(t.offset_s));
    out.append("\0\0", 2);
  }
  out.append("ABC", 4);
  out.append("\nXYZ0\n");
  return out;
}

TEST(TimeZoneTest, UtcHasNoOffset) {
  const TimeZone utc = TimeZone::Utc();
  EXPECT_TRUE(utc.is_utc());
  EXPECT_EQ(utc.OffsetMs(1'800'000'000'000), 0);
  EXPECT_EQ(utc.LocalToUtcMs(123), 123);
}

TEST(TimeZoneTest, OffsetFollowsTransitions) {
  // -5h until t=1000 s, then -4h.
  auto zone = TimeZone::FromTzif("Test/Zone", Tzif({{1000, 1}}, {{-18000}, {-14400}}));
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  EXPECT_FALSE(zone->is_utc());
  EXPECT_EQ(zone->name(), "Test/Zone");
  EXPECT_EQ(zone->OffsetMs(999'999), -18'000'000);
  EXPECT_EQ(zone->OffsetMs(1'000'000), -14'400'000);
  EXPECT_EQ(zone->OffsetMs(int64_t{1} << 50), -14'400'000);  // the last offset stays
}

TEST(TimeZoneTest, LocalToUtcInGapsAndOverlaps) {
  // Spring forward at t=0: local -5h before, -4h after; local times in [-5h, -4h) do not exist.
  auto spring = TimeZone::FromTzif("S", Tzif({{0, 1}}, {{-18000}, {-14400}}));
  ASSERT_TRUE(spring.ok());
  EXPECT_EQ(spring->LocalToUtcMs(-4 * 3'600'000), 0);              // the first local time after
  EXPECT_EQ(spring->LocalToUtcMs(-4 * 3'600'000 - 1'800'000), 0);  // in the gap: its end
  EXPECT_EQ(spring->LocalToUtcMs(-6 * 3'600'000), -3'600'000);
  // Fall back at t=0: local -4h before, -5h after; local [-5h, -4h) happens twice.
  auto fall = TimeZone::FromTzif("F", Tzif({{0, 1}}, {{-14400}, {-18000}}));
  ASSERT_TRUE(fall.ok());
  EXPECT_EQ(fall->LocalToUtcMs(-5 * 3'600'000 + 1'800'000), -1'800'000);  // the earlier one
}

TEST(TimeZoneTest, RefusesWhatIsNotTzif) {
  EXPECT_EQ(TimeZone::FromTzif("X", "").status().attr(), "timezone");
  EXPECT_FALSE(TimeZone::FromTzif("X", "TZif2 but far too short").ok());
  std::string truncated = Tzif({{1000, 1}}, {{0}, {3600}});
  truncated.resize(truncated.size() - 20);
  EXPECT_FALSE(TimeZone::FromTzif("X", truncated).ok());
  EXPECT_FALSE(TimeZone::FromTzif("X", Tzif({{1000, 7}}, {{0}})).ok());        // type out of range
  EXPECT_FALSE(TimeZone::FromTzif("X", Tzif({{10, 0}, {5, 0}}, {{0}})).ok());  // not ascending
}

TEST(TimeZoneTest, NamesCannotLeaveTheDirectory) {
  EXPECT_TRUE(TimeZone::IsValidName("Europe/Paris"));
  EXPECT_TRUE(TimeZone::IsValidName("America/Argentina/Buenos_Aires"));
  EXPECT_TRUE(TimeZone::IsValidName("Etc/GMT+5"));
  EXPECT_FALSE(TimeZone::IsValidName(""));
  EXPECT_FALSE(TimeZone::IsValidName("/etc/passwd"));
  EXPECT_FALSE(TimeZone::IsValidName("../etc/passwd"));
  EXPECT_FALSE(TimeZone::IsValidName("Europe/../../x"));
  EXPECT_FALSE(TimeZone::IsValidName("Europe//Paris"));
  EXPECT_FALSE(TimeZone::IsValidName("Europe/Paris "));
  EXPECT_FALSE(TimeZone::IsValidName(std::string(65, 'a')));
}

// The system's own file, when tzdata is installed: New York's 2026 rules.
TEST(TimeZoneTest, ReadsTheSystemNewYorkFile) {
  std::ifstream file("/usr/share/zoneinfo/America/New_York", std::ios::binary);
  if (!file) GTEST_SKIP() << "no tzdata";
  std::ostringstream bytes;
  bytes << file.rdbuf();
  auto zone = TimeZone::FromTzif("America/New_York", bytes.str());
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone->OffsetMs(1'782'864'000'000), -4 * 3'600'000);  // 2026-07-01T00:00Z: EDT
  EXPECT_EQ(zone->OffsetMs(1'798'761'600'000), -5 * 3'600'000);  // 2027-01-01T00:00Z: EST
  // 2026-11-01 01:30 local happens twice (EDT, then EST): the first is 05:30Z.
  EXPECT_EQ(zone->LocalToUtcMs(1'793'496'600'000), 1'793'511'000'000);
}

}  // namespace
}  // namespace actiond::engine
