#include "service/cluster_node.h"

#include <utility>

#include "engine/capture_log_record.h"
#include "engine/log_partition.h"
#include "service/kafka_topics.h"

namespace actiond::service {
namespace {

constexpr int kTopicTimeoutMs = 10'000;

}  // namespace

Result<std::unique_ptr<ClusterNode>> ClusterNode::Start(const ClusterSettings& settings,
                                                        storage::Store* store,
                                                        IngestPipeline* pipeline,
                                                        AccountService* accounts,
                                                        const LogFunction& log) {
  std::unique_ptr<ClusterNode> node(new ClusterNode(settings));
  ACTIOND_ASSIGN_OR_RETURN(node->producer_, KafkaProducer::Open(settings, log));
  ACTIOND_ASSIGN_OR_RETURN(node->partitions_,
                           EnsureEventsTopic(node->producer_->handle(), node->events_topic_,
                                             settings.partitions, kTopicTimeoutMs));
  ACTIOND_ASSIGN_OR_RETURN(node->applier_,
                           ClusterApplier::Start(settings, store, pipeline, accounts, log));
  return node;
}

ClusterNode::~ClusterNode() { Close(); }

void ClusterNode::Close() {
  if (applier_) applier_->Stop();
  if (producer_) producer_->Close();
}

int32_t ClusterNode::PartitionOf(std::string_view token) const {
  return engine::LogPartitionOfToken(token, partitions_);
}

void ClusterNode::ProduceCapture(std::string_view token, int64_t received_ms,
                                 std::span<const engine::CapturedEvent> events,
                                 KafkaProducer::Delivered done) {
  // One encoding buffer per calling thread (the I/O threads): no allocation per request once
  // it has grown to the largest record.
  thread_local std::string record;
  engine::EncodeCaptureLogRecord(token, received_ms, events, &record);
  producer_->Produce(events_topic_, PartitionOf(token), token, record, std::move(done));
}

}  // namespace actiond::service
