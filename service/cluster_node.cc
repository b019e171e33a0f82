#include "service/cluster_node.h"

#include <chrono>
#include <utility>

#include "engine/capture_log_record.h"
#include "engine/log_partition.h"
#include "engine/str_cat.h"
#include "service/kafka_topics.h"
#include "service/thread_name.h"

namespace actiond::service {
namespace {

constexpr int kTopicTimeoutMs = 10'000;
constexpr std::chrono::milliseconds kPublishEvery{1'000};

}  // namespace

Result<std::unique_ptr<ClusterNode>> ClusterNode::Start(const ClusterSettings& settings,
                                                        ClusterApplier::Services services,
                                                        const ClockFunction& clock,
                                                        const LogFunction& log) {
  std::unique_ptr<ClusterNode> node(new ClusterNode(settings, clock));
  ACTIOND_ASSIGN_OR_RETURN(node->producer_, KafkaProducer::Open(settings, log));
  ACTIOND_ASSIGN_OR_RETURN(node->partitions_,
                           EnsureTopic(node->producer_->handle(), node->events_topic_,
                                       settings.partitions, LogTopicConfigs(), kTopicTimeoutMs));
  // One partition each: the meta log's order is the order every node applies it in; the members
  // topic only carries each node's latest word about itself.
  ACTIOND_RETURN_IF_ERROR(EnsureTopic(node->producer_->handle(), node->meta_topic_, 1,
                                      LogTopicConfigs(), kTopicTimeoutMs)
                              .status());
  ACTIOND_RETURN_IF_ERROR(EnsureTopic(node->producer_->handle(), settings.members_topic(), 1,
                                      MembersTopicConfigs(), kTopicTimeoutMs)
                              .status());
  ACTIOND_ASSIGN_OR_RETURN(node->members_, ClusterMembers::Start(settings, clock, log));
  // Before the events: a capture record names a project that an earlier meta record created.
  ACTIOND_ASSIGN_OR_RETURN(node->meta_,
                           ClusterMetaApplier::Start(settings, node->meta_topic_, services.store,
                                                     services.accounts, log));
  services.meta = node->meta_.get();
  services.members = node->members_.get();
  ACTIOND_ASSIGN_OR_RETURN(node->applier_, ClusterApplier::Start(settings, services, log));
  ClusterNode* self = node.get();
  node->publisher_ = std::thread([self] {
    NameThisThread("cluster-publish");
    std::unique_lock lock(self->stop_mutex_);
    while (!self->stopping_) {
      lock.unlock();
      self->PublishMembership(/*leaving=*/false, {});
      lock.lock();
      self->stop_.wait_for(lock, kPublishEvery, [self] { return self->stopping_; });
    }
  });
  return node;
}

ClusterNode::~ClusterNode() { Close(); }

void ClusterNode::Close() {
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_.notify_all();
  if (publisher_.joinable()) publisher_.join();
  // How far this node's deliveries got, taken while it still holds its partitions: the last
  // record keeps them, so that the next holder does not send them again (§Webhooks).
  std::map<int32_t, int64_t> delivered;
  if (applier_) delivered = DeliveredOffsets();
  if (applier_) applier_->Stop();
  // Says at once that this node holds nothing now, so that requests stop coming here before
  // the group has moved the partitions.
  if (producer_ && members_) PublishMembership(/*leaving=*/true, std::move(delivered));
  if (members_) members_->Stop();
  if (meta_) meta_->Stop();
  if (producer_) producer_->Close();
}

void ClusterNode::ProduceMeta(std::string_view record, KafkaProducer::DeliveredAt done) {
  producer_->ProduceAt(meta_topic_, 0, {}, record, std::move(done));
}

void ClusterNode::ProduceActionChange(std::string_view token, std::string_view record,
                                      KafkaProducer::DeliveredAt done) {
  producer_->ProduceAt(events_topic_, PartitionOf(token), token, record, std::move(done));
}

std::map<int32_t, int64_t> ClusterNode::DeliveredOffsets() const {
  std::map<int32_t, int64_t> delivered;
  for (const PartitionProgress& p : applier_->Progress()) {
    delivered[p.partition] = applier_->DeliveredFrom(p.partition);
  }
  return delivered;
}

void ClusterNode::PublishMembership(bool leaving, std::map<int32_t, int64_t> delivered) {
  MemberRecord record;
  record.node_id = settings_.node_id;
  record.url = settings_.advertise;
  record.at_ms = clock_();
  if (!leaving) {
    for (const PartitionProgress& p : applier_->Progress()) {
      record.partitions.push_back(p.partition);
    }
    delivered = DeliveredOffsets();
  }
  record.delivered = std::move(delivered);
  // Best effort: a lost heartbeat is replaced by the next one a second later.
  producer_->Produce(settings_.members_topic(), 0, settings_.node_id, EncodeMemberRecord(record),
                     [](const Status&) {});
}

ClusterNode::Route ClusterNode::RouteFor(std::string_view token) const {
  const int32_t partition = PartitionOf(token);
  Route route;
  for (const PartitionProgress& p : applier_->Progress()) {
    if (p.partition != partition) continue;
    if (p.caught_up_at < 0 || p.applied < p.caught_up_at) {
      route.kind = Route::Kind::kUnavailable;
      route.reason = engine::StrCat({"This node is catching up with partition ",
                                     std::to_string(partition), " of the event log; retry later."});
    }
    return route;  // kLocal unless catching up
  }
  const std::optional<MemberRecord> holder = members_->HolderOf(partition);
  if (!holder || holder->node_id == settings_.node_id) {
    route.kind = Route::Kind::kUnavailable;
    route.reason = engine::StrCat({"No node holds partition ", std::to_string(partition),
                                   " of the event log right now (a rebalance is moving it); "
                                   "retry later."});
    return route;
  }
  route.kind = Route::Kind::kForward;
  route.url = holder->url;
  return route;
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
