// Events: existence, lookup, ordered scans and the backfill cursor.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "storage/store.h"
#include "tests/storage/store_fixture.h"

namespace actiond::storage {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

class StoreEventsTest : public testing::StoreTest {
 protected:
  // Scans project 1 and returns "ts:uuid" per visited event.
  std::vector<std::string> Scan(const ScanOptions& options, ProjectId project = 1) {
    std::vector<std::string> out;
    Status s = store_->ScanEvents(project, options,
                                  [&](int64_t ts, std::string_view uuid, std::string_view json) {
                                    out.push_back(std::to_string(ts) + ":" + std::string(uuid));
                                    EXPECT_EQ(json, "{\"u\":\"" + std::string(uuid) + "\"}");
                                    return true;
                                  });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  void Put(int64_t ts, const std::string& uuid, ProjectId project = 1) {
    WriteBatch b = Batch();
    b.PutEvent(project, ts, uuid, "{\"u\":\"" + uuid + "\"}");
    Commit(b);
  }

  // Events at negative, zero and positive times, two sharing a timestamp, and one in another
  // project that must never show up.
  void PutSample() {
    Put(100, "b");
    Put(-50, "x");
    Put(100, "a");
    Put(0, "z");
    Put(kMax, "last");
    Put(kMin, "first");
    Put(7, "other", 2);
  }
};

TEST_F(StoreEventsTest, ScanAscendingOrdersByTimestampThenUuid) {
  PutSample();
  EXPECT_EQ(Scan({}), (std::vector<std::string>{std::to_string(kMin) + ":first", "-50:x", "0:z",
                                                "100:a", "100:b", std::to_string(kMax) + ":last"}));
}

TEST_F(StoreEventsTest, ScanNewestFirstIsTheExactReverse) {
  PutSample();
  EXPECT_EQ(Scan({.range = {}, .newest_first = true}),
            (std::vector<std::string>{std::to_string(kMax) + ":last", "100:b", "100:a", "0:z",
                                      "-50:x", std::to_string(kMin) + ":first"}));
}

TEST_F(StoreEventsTest, ScanRangeIsHalfOpen) {
  PutSample();
  EXPECT_EQ(Scan({.range = {-50, 100}}), (std::vector<std::string>{"-50:x", "0:z"}));
  EXPECT_EQ(Scan({.range = {-49, 101}, .newest_first = true}),
            (std::vector<std::string>{"100:b", "100:a", "0:z"}));
  EXPECT_EQ(Scan({.range = {101, kMax}}),
            (std::vector<std::string>{std::to_string(kMax) + ":last"}))
      << "to_ms == INT64_MAX means no upper bound";
  EXPECT_TRUE(Scan({.range = {100, 100}}).empty());
  EXPECT_TRUE(Scan({.range = {100, -100}}).empty());
}

TEST_F(StoreEventsTest, ScanStopsAtLimitOrWhenTheVisitorSaysSo) {
  PutSample();
  EXPECT_EQ(Scan({.range = {}, .newest_first = true, .limit = 2}),
            (std::vector<std::string>{std::to_string(kMax) + ":last", "100:b"}));
  EXPECT_EQ(Scan({.range = {0, kMax}, .newest_first = false, .limit = 1}),
            (std::vector<std::string>{"0:z"}));
  EXPECT_TRUE(Scan({.range = {}, .newest_first = false, .limit = 0}).empty());
  int visits = 0;
  ASSERT_TRUE(
      store_
          ->ScanEvents(1, {},
                       [&](int64_t, std::string_view, std::string_view) { return ++visits < 3; })
          .ok());
  EXPECT_EQ(visits, 3);
}

TEST_F(StoreEventsTest, ExistsAndGetFindEventsByUuidWithinTheirProject) {
  PutSample();
  EXPECT_TRUE(Ok(store_->EventExists(1, "a")));
  EXPECT_FALSE(Ok(store_->EventExists(1, "other")));
  EXPECT_TRUE(Ok(store_->EventExists(2, "other")));
  auto event = Ok(store_->GetEvent(1, "x"));
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(*event, (StoredEvent{-50, "x", R"({"u":"x"})"}));
  EXPECT_FALSE(Ok(store_->GetEvent(2, "x")).has_value());
}

TEST_F(StoreEventsTest, EventsExistAnswersPerUuid) {
  PutSample();
  std::vector<std::string_view> uuids = {"a", "nope", "first", "other"};
  std::vector<bool> exists;
  ASSERT_TRUE(store_->EventsExist(1, uuids, &exists).ok());
  EXPECT_EQ(exists, (std::vector<bool>{true, false, true, false}));
  ASSERT_TRUE(store_->EventsExist(1, {}, &exists).ok());
  EXPECT_TRUE(exists.empty());
}

TEST_F(StoreEventsTest, EventCountCountsPutsPerProject) {
  PutSample();
  EXPECT_EQ(Ok(store_->EventCount(1)), 6);
  EXPECT_EQ(Ok(store_->EventCount(2)), 1);
  EXPECT_EQ(Ok(store_->EventCount(3)), 0);
}

TEST_F(StoreEventsTest, ReadEventsAfterWalksEveryEventOnceInOrder) {
  PutSample();
  std::vector<std::string> walked;
  std::optional<EventCursor> cursor;
  for (int step = 0; step < 10; ++step) {
    auto batch = Ok(store_->ReadEventsAfter(1, cursor, 4));
    for (const auto& e : batch) walked.push_back(std::to_string(e.timestamp_ms) + ":" + e.uuid);
    if (batch.size() < 4) break;
    cursor = EventCursor{batch.back().timestamp_ms, batch.back().uuid};
  }
  EXPECT_EQ(walked, Scan({}));
}

TEST_F(StoreEventsTest, BackfillResumesExactlyAfterTheSavedCursorAcrossReopen) {
  for (int i = 0; i < 25; ++i) Put(i / 3 - 4, "u" + std::to_string(100 + i));
  const std::vector<std::string> all = Scan({});
  std::vector<std::string> walked;
  // First run: two batches, saving the cursor in the same batch as the "work" each time.
  std::optional<EventCursor> cursor;
  for (int step = 0; step < 2; ++step) {
    auto events = Ok(store_->ReadEventsAfter(1, cursor, 7));
    ASSERT_EQ(events.size(), 7u);
    for (const auto& e : events) walked.push_back(std::to_string(e.timestamp_ms) + ":" + e.uuid);
    cursor = EventCursor{events.back().timestamp_ms, events.back().uuid};
    WriteBatch b = Batch();
    b.PutMeta("backfill/1/9", EncodeEventCursor(*cursor));
    Commit(b);
  }
  Reopen();  // "restart"
  auto saved = Ok(store_->GetMeta("backfill/1/9"));
  ASSERT_TRUE(saved.has_value());
  auto resumed = DecodeEventCursor(*saved);
  ASSERT_TRUE(resumed.ok());
  cursor = *resumed;
  while (true) {
    auto events = Ok(store_->ReadEventsAfter(1, cursor, 7));
    for (const auto& e : events) walked.push_back(std::to_string(e.timestamp_ms) + ":" + e.uuid);
    if (events.size() < 7) break;
    cursor = EventCursor{events.back().timestamp_ms, events.back().uuid};
  }
  EXPECT_EQ(walked, all);
}

TEST_F(StoreEventsTest, ReadEventsAfterACursorThatIsNotAnEventStartsAtTheNextOne) {
  Put(10, "b");
  Put(10, "d");
  Put(11, "a");
  auto events = Ok(store_->ReadEventsAfter(1, EventCursor{10, "c"}, 10));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].uuid, "d");
  EXPECT_EQ(events[1].uuid, "a");
  EXPECT_TRUE(Ok(store_->ReadEventsAfter(1, EventCursor{11, "a"}, 10)).empty());
  EXPECT_TRUE(Ok(store_->ReadEventsAfter(1, std::nullopt, 0)).empty());
}

}  // namespace
}  // namespace actiond::storage
