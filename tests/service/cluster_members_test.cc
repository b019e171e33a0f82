// The membership record each node publishes on the members topic (docs/cluster.md §Routing,
// §Webhooks).
#include "service/cluster_members.h"

#include <gtest/gtest.h>

namespace actiond::service {
namespace {

TEST(MemberRecordTest, EveryFieldSurvivesTheRoundTrip) {
  MemberRecord record;
  record.node_id = "node \"a\"";
  record.url = "http://10.0.0.5:8000";
  record.partitions = {0, 3, 11};
  record.delivered = {{0, 12}, {3, 0}, {11, 1'099'511'627'776}};  // 2^40: far past any real log
  record.at_ms = 1'764'000'000'123;
  Result<MemberRecord> decoded = DecodeMemberRecord(EncodeMemberRecord(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->node_id, record.node_id);
  EXPECT_EQ(decoded->url, record.url);
  EXPECT_EQ(decoded->partitions, record.partitions);
  EXPECT_EQ(decoded->delivered, record.delivered);
  EXPECT_EQ(decoded->at_ms, record.at_ms);
}

TEST(MemberRecordTest, ARecordWithoutDeliveredOffsetsStillReads) {
  Result<MemberRecord> decoded =
      DecodeMemberRecord(R"({"node":"a","url":"http://x","partitions":[1],"at":5})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(decoded->delivered.empty());
}

TEST(MemberRecordTest, MalformedDeliveredOffsetsAreRefused) {
  for (const char* delivered : {R"("x")", "[[1]]", "[[1,2,3]]", R"([["1",2]])", "[1]"}) {
    const std::string json = std::string(R"({"node":"a","url":"u","partitions":[],"at":5,)") +
                             R"("delivered":)" + delivered + "}";
    EXPECT_FALSE(DecodeMemberRecord(json).ok()) << json;
  }
}

}  // namespace
}  // namespace actiond::service
