// Matches, counters and Count over ranges; DeleteAllMatches.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "storage/keys.h"
#include "storage/store.h"
#include "tests/storage/store_fixture.h"

namespace actiond::storage {
namespace {

constexpr int64_t kDay = keys::kMsPerDay;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kEpochDay = 19'800;  // 2024-03-18; days before it are before the epoch too

class StoreMatchesTest : public testing::StoreTest {
 protected:
  void AddMatches(ActionId action, const std::vector<int64_t>& times, ProjectId project = 1) {
    WriteBatch b = Batch();
    for (int64_t ts : times) {
      const std::string uuid = "e" + std::to_string(next_uuid_++);
      b.PutEvent(project, ts, uuid, "{}");
      b.AddMatch(project, action, ts, uuid, "d" + std::to_string(ts));
    }
    Commit(b);
  }

  static int64_t Expected(const std::vector<int64_t>& times, int64_t from, int64_t to) {
    return std::count_if(times.begin(), times.end(),
                         [&](int64_t ts) { return ts >= from && (to == kMax || ts < to); });
  }

  int next_uuid_ = 0;
};

// Timestamps around midnights (both sides of the epoch), several per day, some far away.
std::vector<int64_t> SampleTimes() {
  std::vector<int64_t> times;
  for (int64_t day :
       std::vector<int64_t>{-3, -2, -1, 0, 1, 5, kEpochDay, kEpochDay + 1, kEpochDay + 3}) {
    const int64_t start = day * kDay;
    for (int64_t offset : std::vector<int64_t>{0, 1, kDay / 2 - 1, kDay / 2, kDay / 2, kDay - 1}) {
      times.push_back(start + offset);
    }
  }
  times.push_back(kMin);
  times.push_back(kMax);
  times.push_back(kMax - 1);
  return times;
}

TEST_F(StoreMatchesTest, AllTimeCountIsTheNumberOfMatches) {
  AddMatches(7, {1, 2, 3});
  AddMatches(8, {1});
  EXPECT_EQ(Ok(store_->Count(1, 7)), 3);
  EXPECT_EQ(Ok(store_->Count(1, 8)), 1);
  EXPECT_EQ(Ok(store_->Count(1, 9)), 0);
  EXPECT_EQ(Ok(store_->Count(2, 7)), 0);
}

TEST_F(StoreMatchesTest, CountOfWholeDaysPartialEdgesAndSingleDays) {
  const std::vector<int64_t> times = SampleTimes();
  AddMatches(7, times);
  const int64_t d = kEpochDay * kDay;
  struct Case {
    int64_t from, to;
  };
  const std::vector<Case> cases = {
      {d, d + kDay},                     // exactly one day
      {d, d + 2 * kDay},                 // two whole days
      {d + 1, d + kDay},                 // one day minus its first ms
      {d, d + kDay - 1},                 // one day minus its last ms
      {d + 1, d + 2 * kDay - 1},         // straddles a midnight, no whole day
      {d - 1, d + kDay + 1},             // a whole day plus both neighbours' edges
      {d + kDay / 2, d + kDay / 2 + 1},  // a single ms with two matches
      {d + 3, d + kDay - 3},             // most of one day: counted by subtraction
      {-2 * kDay + 1, kDay},             // across the epoch
      {-kDay, 0},                        // the day before the epoch exactly
      {kMin, d},                         // unbounded below
      {d + 1, kMax},                     // unbounded above
      {kMin, kMin + 1},                  // the smallest timestamp alone
      {kMax - 1, kMax},                  // INT64_MAX as `to` means unbounded: 2 matches
      {d, d},                            // empty
      {d + kDay, d},                     // reversed
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Ok(store_->Count(1, 7, {c.from, c.to})), Expected(times, c.from, c.to))
        << "[" << c.from << ", " << c.to << ")";
  }
}

TEST_F(StoreMatchesTest, CountEqualsABruteForceCountOnRandomRanges) {
  std::vector<int64_t> times = SampleTimes();
  std::mt19937_64 rng(42);
  for (int i = 0; i < 400; ++i) {
    times.push_back(kEpochDay * kDay + static_cast<int64_t>(rng() % (10 * kDay)) - 3 * kDay);
  }
  AddMatches(3, times);
  // Candidate bounds: the extremes, every match time, its neighbours and its midnights.
  std::vector<int64_t> bounds = {kMin, kMax};
  for (int64_t t : times) {
    if (t == kMin || t == kMax) continue;
    bounds.insert(bounds.end(), {t - 1, t, t + 1, keys::DayOf(t) * kDay});
  }
  for (int i = 0; i < 2000; ++i) {
    int64_t from = bounds[rng() % bounds.size()], to = bounds[rng() % bounds.size()];
    ASSERT_EQ(Ok(store_->Count(1, 3, {from, to})), Expected(times, from, to))
        << "[" << from << ", " << to << ")";
  }
}

TEST_F(StoreMatchesTest, ScanMatchesOrdersAndCarriesDistinctIds) {
  AddMatches(7, {200, -100, 100});
  AddMatches(8, {150});
  std::vector<std::string> seen;
  auto collect = [&](int64_t ts, std::string_view uuid, std::string_view distinct_id) {
    seen.push_back(std::to_string(ts) + "/" + std::string(distinct_id));
    EXPECT_FALSE(uuid.empty());
    return true;
  };
  ASSERT_TRUE(store_->ScanMatches(1, 7, {}, collect).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"-100/d-100", "100/d100", "200/d200"}));
  seen.clear();
  ASSERT_TRUE(
      store_->ScanMatches(1, 7, {.range = {-100, 200}, .newest_first = true}, collect).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"100/d100", "-100/d-100"}));
  seen.clear();
  ASSERT_TRUE(
      store_->ScanMatches(1, 7, {.range = {}, .newest_first = false, .limit = 1}, collect).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"-100/d-100"}));
}

TEST_F(StoreMatchesTest, MatchWithoutPersonKeepsAnEmptyDistinctId) {
  WriteBatch b = Batch();
  b.AddMatch(1, 7, 5, "anon-event", "");
  Commit(b);
  std::string got = "unset";
  ASSERT_TRUE(store_
                  ->ScanMatches(1, 7, {},
                                [&](int64_t, std::string_view, std::string_view distinct_id) {
                                  got = distinct_id;
                                  return true;
                                })
                  .ok());
  EXPECT_EQ(got, "");
}

TEST_F(StoreMatchesTest, MatchExistsIsExactOnActionTimestampAndUuid) {
  WriteBatch b = Batch();
  b.AddMatch(1, 7, 5, "u", "d");
  Commit(b);
  EXPECT_TRUE(Ok(store_->MatchExists(1, 7, 5, "u")));
  EXPECT_FALSE(Ok(store_->MatchExists(1, 7, 6, "u")));
  EXPECT_FALSE(Ok(store_->MatchExists(1, 8, 5, "u")));
  EXPECT_FALSE(Ok(store_->MatchExists(2, 7, 5, "u")));
  EXPECT_FALSE(Ok(store_->MatchExists(1, 7, 5, "u2")));
}

TEST_F(StoreMatchesTest, DeleteAllMatchesResetsOneActionOnly) {
  const std::vector<int64_t> times = SampleTimes();
  AddMatches(7, times);
  AddMatches(8, times);
  AddMatches(7, times, /*project=*/2);
  WriteBatch b = Batch();
  b.DeleteAllMatches(1, 7);
  Commit(b);
  EXPECT_EQ(Ok(store_->Count(1, 7)), 0);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, kEpochDay * kDay + 5 * kDay})), 0);
  EXPECT_FALSE(Ok(store_->MatchExists(1, 7, 0, "e0")));
  int visits = 0;
  ASSERT_TRUE(store_
                  ->ScanMatches(1, 7, {},
                                [&](int64_t, std::string_view, std::string_view) {
                                  ++visits;
                                  return true;
                                })
                  .ok());
  EXPECT_EQ(visits, 0);
  const auto n = static_cast<int64_t>(times.size());
  EXPECT_EQ(Ok(store_->Count(1, 8)), n);
  EXPECT_EQ(Ok(store_->Count(2, 7)), n);
  EXPECT_EQ(Ok(store_->Count(1, 8, {0, kMax})), Expected(times, 0, kMax));
  EXPECT_EQ(Ok(store_->EventCount(1)), 2 * n) << "events are not touched";
}

TEST_F(StoreMatchesTest, MatchesAddedAfterDeleteAllInOneBatchSurvive) {
  AddMatches(7, {1, 2, 3});
  WriteBatch b = Batch();
  b.DeleteAllMatches(1, 7);
  b.AddMatch(1, 7, kDay + 5, "new", "d");
  Commit(b);
  EXPECT_EQ(Ok(store_->Count(1, 7)), 1);
  EXPECT_EQ(Ok(store_->Count(1, 7, {kDay, 2 * kDay})), 1);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, kDay})), 0);
  EXPECT_TRUE(Ok(store_->MatchExists(1, 7, kDay + 5, "new")));
  Reopen();  // range tombstones and merges survive a restart, memtable flushed to SSTs
  EXPECT_EQ(Ok(store_->Count(1, 7)), 1);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, 3 * kDay})), 1);
}

TEST_F(StoreMatchesTest, ADeleteAllInOneBatchRemovesTheAdditionsBeforeItAndKeepsThoseAfter) {
  // The batch folds counter additions (storage/counter_additions.h): the +1s before the
  // delete must be recorded before it, or the delete would miss them or take the later ones.
  WriteBatch b = Batch();
  b.AddMatch(1, 7, 5, "a", "d");
  b.AddMatch(1, 7, 6, "b", "d");
  b.AddMatch(1, 8, 5, "a", "d");
  b.DeleteAllMatches(1, 7);
  b.AddMatch(1, 7, kDay + 5, "c", "d");
  b.AddMatch(1, 8, 6, "b", "d");
  Commit(b);
  EXPECT_EQ(Ok(store_->Count(1, 7)), 1);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, kDay})), 0);
  EXPECT_EQ(Ok(store_->Count(1, 7, {kDay, 2 * kDay})), 1);
  EXPECT_EQ(Ok(store_->Count(1, 8)), 2);
  EXPECT_EQ(Ok(store_->Count(1, 8, {0, kDay})), 2);
}

TEST_F(StoreMatchesTest, ABatchWritesOneOperandPerCounterWhateverItAdds) {
  WriteBatch b = Batch();
  for (int i = 0; i < 100; ++i) {
    std::string uuid = "e";  // not "e" + …: GCC 12 warns wrongly (-Wrestrict) about that
    uuid += std::to_string(i);
    b.PutEvent(1, i, uuid, "{}");
    b.AddMatch(1, 7, i, uuid, "d");
  }
  // 100 events (2 writes each) and 100 matches (1 write each), plus one operand for each of the
  // three counters they add to: the event total, the action's total and its one day.
  EXPECT_EQ(b.Count(), 100u * 2 + 100u + 3);
  Commit(b);
  EXPECT_EQ(Ok(store_->EventCount(1)), 100);
  EXPECT_EQ(Ok(store_->Count(1, 7)), 100);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, kDay})), 100);
}

TEST_F(StoreMatchesTest, CountsStayExactWhenABatchAddsToMoreCountersThanItFoldsAtOnce) {
  // 60 actions on 3 days each: 240 counters, interleaved, so the batch's fixed set of folding
  // slots fills up and records its oldest sums early; each counter still ends exact.
  constexpr int kActions = 60;
  WriteBatch b = Batch();
  int uuid = 0;
  for (int round = 0; round < 4; ++round) {
    for (int64_t day = 0; day < 3; ++day) {
      for (ActionId action = 1; action <= kActions; ++action) {
        std::string id = "u";  // not "u" + …: GCC 12 warns wrongly (-Wrestrict) about that
        id += std::to_string(uuid++);
        b.AddMatch(1, action, day * kDay + round, id, "d");
      }
    }
  }
  Commit(b);
  for (ActionId action = 1; action <= kActions; ++action) {
    EXPECT_EQ(Ok(store_->Count(1, action)), 12) << action;
    for (int64_t day = 0; day < 3; ++day) {
      EXPECT_EQ(Ok(store_->Count(1, action, {day * kDay, (day + 1) * kDay})), 4) << action;
    }
  }
}

TEST_F(StoreMatchesTest, CountsStayExactAfterReopenAndFurtherMerges) {
  AddMatches(7, {10, kDay + 10});
  Reopen();
  AddMatches(7, {20, kDay + 20});
  EXPECT_EQ(Ok(store_->Count(1, 7)), 4);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, kDay})), 2);
  EXPECT_EQ(Ok(store_->Count(1, 7, {0, 2 * kDay})), 4);
}

}  // namespace
}  // namespace actiond::storage
