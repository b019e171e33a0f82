#include "service/ingest_pipeline.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/action_set.h"
#include "engine/capture_record.h"
#include "engine/event_reader.h"
#include "service/person_resolver.h"
#include "storage/write_batch.h"

namespace actiond::service {
namespace {

// Everything a request needs that can outlive it: one set per thread, so that a request
// allocates only for what is new in it (persons, the batch) and not per event.
struct IngestScratch {
  std::vector<std::string_view> uuids;
  std::vector<bool> skip;       // stored already, or repeated earlier in the request
  std::vector<uint32_t> order;  // event indexes sorted by uuid, to find repeats
  std::string record;
  engine::EventReader reader;
  engine::MatchScratch match;
  std::vector<engine::ActionId> matched;
  PersonResolver persons;
  OutboxStage outbox;
};

IngestScratch& Scratch() {
  thread_local IngestScratch scratch;
  return scratch;
}

// Leaves the thread's person overlay empty however the request ends, so that a big request
// does not keep its persons alive until the thread's next one.
class ClearOnExit {
 public:
  explicit ClearOnExit(PersonResolver* persons) : persons_(persons) {}
  ~ClearOnExit() { persons_->Clear(); }
  ClearOnExit(const ClearOnExit&) = delete;
  ClearOnExit& operator=(const ClearOnExit&) = delete;

 private:
  PersonResolver* persons_;
};

// Gives back the outbox places of deliveries staged by a request that did not commit.
class AbandonUnlessCommitted {
 public:
  AbandonUnlessCommitted(WebhookOutbox* outbox, OutboxStage* stage)
      : outbox_(outbox), stage_(stage) {}
  ~AbandonUnlessCommitted() {
    if (outbox_ != nullptr && !committed_) outbox_->Abandoned(*stage_);
  }
  AbandonUnlessCommitted(const AbandonUnlessCommitted&) = delete;
  AbandonUnlessCommitted& operator=(const AbandonUnlessCommitted&) = delete;
  void Committed() { committed_ = true; }

 private:
  WebhookOutbox* outbox_;
  OutboxStage* stage_;
  bool committed_ = false;
};

// An error names the event it arose at; a store that cannot write (ReserveIds while resolving
// persons or staging deliveries) is the request's, not the event's: it passes as it is, a 503
// (docs/operations.md §Disk full).
Status InEvent(size_t index, const Status& status) {
  if (status.code() == StatusCode::kUnavailable) return status;
  return Status(status.code(),
                "event " + std::to_string(index) + ": " + std::string(status.message()),
                status.attr(), status.reason());
}

// Marks in *skip every event whose uuid an earlier event of the request already has. Sorting
// indexes (stable, so the first occurrence leads its run) needs no per-event allocation.
void MarkRepeats(std::span<const std::string_view> uuids, std::vector<uint32_t>* order,
                 std::vector<bool>* skip) {
  order->resize(uuids.size());
  for (uint32_t i = 0; i < order->size(); ++i) (*order)[i] = i;
  std::stable_sort(order->begin(), order->end(),
                   [&](uint32_t a, uint32_t b) { return uuids[a] < uuids[b]; });
  for (size_t k = 1; k < order->size(); ++k) {
    if (uuids[(*order)[k]] == uuids[(*order)[k - 1]]) (*skip)[(*order)[k]] = true;
  }
}

}  // namespace

Result<IngestResult> IngestPipeline::IngestEvents(ProjectId project,
                                                  std::span<const engine::CapturedEvent> events,
                                                  const engine::CaptureDocument* parsed,
                                                  const LogPosition* position) {
  IngestResult result;
  if (events.empty() && position == nullptr) return result;
  IngestScratch& s = Scratch();
  ClearOnExit clear(&s.persons);
  storage::WriteBatch batch(*store_);

  // Check-then-write of uuids and persons, and the choice of action set, must not interleave
  // with another writer of the project (project_locks.h).
  std::lock_guard lock(locks_->For(project));
  const std::shared_ptr<const engine::ActionSet> actions = catalog_->Snapshot(project);
  std::shared_ptr<const ProjectWebhooks> webhooks;
  const bool deliver = position == nullptr || position->deliver_webhooks;
  if (webhooks_ != nullptr && outbox_ != nullptr && deliver) {
    webhooks = webhooks_->Snapshot(project);
    if (webhooks->empty()) webhooks.reset();
  }
  s.outbox.entries.clear();
  s.outbox.dropped = 0;
  AbandonUnlessCommitted abandon(outbox_, &s.outbox);

  s.uuids.clear();
  for (const engine::CapturedEvent& event : events) s.uuids.emplace_back(event.uuid);
  ACTIOND_RETURN_IF_ERROR(store_->EventsExist(project, s.uuids, &s.skip));
  MarkRepeats(s.uuids, &s.order, &s.skip);

  ProjectPersons* cached_persons = persons_.For(project);
  s.persons.Begin(store_, project, cached_persons);
  for (size_t i = 0; i < events.size(); ++i) {
    // A duplicate is skipped whole, person updates included: a retried request must not
    // apply its $set twice any more than it stores its events twice.
    if (s.skip[i]) {
      ++result.duplicates;
      continue;
    }
    const engine::CapturedEvent& event = events[i];
    Result<const Person*> person = s.persons.Resolve(event);
    if (!person.ok()) return InEvent(i, person.status());
    const Person* p = *person;
    const std::string_view person_properties =
        p != nullptr ? std::string_view(p->properties_json) : "{}";
    engine::BuildEventRecord(event, p != nullptr ? std::string_view(p->uuid) : std::string_view(),
                             person_properties, &s.record);
    batch.PutEvent(project, event.timestamp_ms, event.uuid, s.record);
    ++result.stored;

    if (actions->size() == 0) continue;  // nothing to match
    // The event as its record holds it, read from the request's parse: the record is not
    // parsed back. The person properties it points to stay valid until the next Resolve.
    Result<const engine::EventView*> view =
        s.reader.ReadCaptured(event, parsed, i, person_properties);
    if (!view.ok()) return InEvent(i, view.status());
    actions->Match(**view, &s.match, &s.matched);
    // The people endpoint resolves a match's distinct id to its person when asked, so a match
    // follows its person through later merges; a personless event lists nobody.
    const std::string_view match_distinct_id =
        p != nullptr ? std::string_view(event.distinct_id) : std::string_view();
    for (engine::ActionId action : s.matched) {
      batch.AddMatch(project, action, event.timestamp_ms, event.uuid, match_distinct_id);
    }
    result.matches += s.matched.size();
    if (webhooks && !s.matched.empty()) {
      Status staged = outbox_->Stage(project, *webhooks, event, p, s.matched, &batch, &s.outbox);
      if (!staged.ok()) return InEvent(i, staged);
    }
  }
  ACTIOND_RETURN_IF_ERROR(s.persons.Flush(&batch));
  if (position != nullptr) position->WriteTo(batch);
  if (!batch.empty()) {
    if (Status committed = store_->Commit(batch); !committed.ok()) {
      // Nothing was written, so the cache still holds what the store does; emptying it costs
      // only reads and leaves no doubt.
      cached_persons->Clear();
      return committed;
    }
  }
  s.persons.Committed();
  abandon.Committed();
  if (outbox_ != nullptr && !s.outbox.entries.empty()) outbox_->Committed(s.outbox);
  result.deliveries = s.outbox.entries.size();
  for (const OutboxStage::Entry& entry : s.outbox.entries) {
    result.last_delivery_id = std::max(result.last_delivery_id, entry.id);
  }
  result.deliveries_dropped = static_cast<size_t>(s.outbox.dropped);
  if (counters_ != nullptr) {
    OpsCounters::Add(counters_->events_ingested, static_cast<int64_t>(result.stored));
    OpsCounters::Add(counters_->events_duplicate, static_cast<int64_t>(result.duplicates));
    OpsCounters::Add(counters_->matches, static_cast<int64_t>(result.matches));
  }
  return result;
}

}  // namespace actiond::service
