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
                           EnsureTopic(node->producer_->handle(), node->events_topic_,
                                       settings.partitions, LogTopicConfigs(), kTopicTimeoutMs));
  // One partition: the meta log's order is the order every node applies it in.
  ACTIOND_RETURN_IF_ERROR(EnsureTopic(node->producer_->handle(), node->meta_topic_, 1,
                                      LogTopicConfigs(), kTopicTimeoutMs)
                              .status());
  // Before the events: a capture record names a project that an earlier meta record created.
  ACTIOND_ASSIGN_OR_RETURN(
      node->meta_, ClusterMetaApplier::Start(settings, node->meta_topic_, store, accounts, log));
  ACTIOND_ASSIGN_OR_RETURN(node->applier_, ClusterApplier::Start(settings, store, pipeline,
                                                                 accounts, log, node->meta_.get()));
  return node;
}

ClusterNode::~ClusterNode() { Close(); }

void ClusterNode::Close() {
  if (applier_) applier_->Stop();
  if (meta_) meta_->Stop();
  if (producer_) producer_->Close();
}

void ClusterNode::ProduceMeta(std::string_view record, KafkaProducer::DeliveredAt done) {
  producer_->ProduceAt(meta_topic_, 0, {}, record, std::move(done));
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
