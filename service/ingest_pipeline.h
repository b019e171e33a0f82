// IngestPipeline: one capture request's events → persons, matches and counters, committed as
// one atomic WriteBatch (docs/architecture.md §1): acknowledged only when safe in the WAL.
//
// For each event, in body order, under the project's lock (service/project_locks.h):
//   1. skip it when its uuid is already stored, or earlier in the same request (exactly once);
//   2. resolve its person (docs/semantics.md §7, §8.9): create on first sight, merges for
//      $identify / $create_alias / $merge_dangerously with PostHog's guards, then $set_once /
//      $set / $unset;
//      no person at all for `$process_person_profile: false`;
//   3. build the stored record (engine/capture_record.h) stamped with the person's id and
//      properties as of this event;
//   4. match the event against the project's ActionSet snapshot (one per request) and add the
//      match entries and counter increments. The matcher reads the event as the record holds
//      it, but from the request's own parse (EventReader::ReadCaptured): the record is written,
//      never parsed back (docs/architecture.md §3, one parse per event);
//   5. for each match that owes a webhook (a post_to_slack action, a REST hook: the project's
//      WebhookCatalog snapshot, one per request), stage a pending delivery in the same batch
//      (service/webhook_outbox.h), handed to the deliver stage once the batch is committed.
// Later events of a request see the person changes of earlier ones before anything is
// committed. Nothing of a request is stored unless all of it is.
//
// Persons are read through a cache of what this pipeline committed (service/person_cache.h),
// which is why a store must have one IngestPipeline writing to it at a time.
//
// Thread-safety: Ingest may be called concurrently; requests of one project are serialised.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/capture_payload.h"
#include "engine/status.h"
#include "service/action_catalog.h"
#include "service/domain_types.h"
#include "service/log_position.h"
#include "service/ops_counters.h"
#include "service/person_cache.h"
#include "service/project_locks.h"
#include "service/webhook_catalog.h"
#include "service/webhook_outbox.h"
#include "storage/store.h"

namespace actiond::service {

struct IngestResult {
  size_t stored = 0;              // events written by this request
  size_t duplicates = 0;          // events skipped: uuid already stored, or earlier in this request
  size_t matches = 0;             // match entries written
  size_t deliveries = 0;          // webhook deliveries written to the outbox
  int64_t last_delivery_id = 0;   // the highest of their ids (a project's ids grow in commit order)
  size_t deliveries_dropped = 0;  // webhook deliveries refused by a full outbox
};

class IngestPipeline {
 public:
  // `webhooks` and `outbox` may be null together (no webhooks: tests, tools). `counters`, when
  // not null, is bumped once per committed request (docs/operations.md §Metrics).
  IngestPipeline(storage::Store* store, const ActionCatalog* catalog, ProjectLocks* locks,
                 const WebhookCatalog* webhooks = nullptr, WebhookOutbox* outbox = nullptr,
                 OpsCounters* counters = nullptr)
      : store_(store),
        catalog_(catalog),
        locks_(locks),
        webhooks_(webhooks),
        outbox_(outbox),
        counters_(counters) {}

  // Stores the events that are new, with their persons' changes and their matches, in one
  // commit. A person created by the request has created_at = its first event's timestamp (as
  // PostHog) and the uuid service/person_uuid.h derives from its distinct id. Personless events
  // (`$process_person_profile: false`) are stored with `"person_properties": {}` and no
  // person_id, and their match entries carry an empty distinct_id.
  // `position`, in cluster mode, is the log record the events came from: its partition's next
  // offset is written in the same commit (docs/cluster.md §Exactly once), even when every event
  // is a duplicate, so that a record is applied once however often it is delivered.
  // Errors: the Store's (kIoError, kCorruption), or kInvalidInput "event i: …" for an event the
  // engine cannot take (a $set that is not an object); then nothing of the request is stored.
  Result<IngestResult> Ingest(ProjectId project, std::span<const engine::CapturedEvent> events,
                              const LogPosition* position = nullptr) {
    return IngestEvents(project, events, nullptr, position);
  }
  // The same for a request CapturePayloadParser parsed: matching reads the events' properties
  // from its document (request.parsed) instead of parsing them again.
  Result<IngestResult> Ingest(ProjectId project, const engine::CaptureRequest& request) {
    return IngestEvents(project, request.events, request.parsed.get(), nullptr);
  }

 private:
  // `parsed`, when not null, is the document `events` were parsed from (event i is its i-th).
  Result<IngestResult> IngestEvents(ProjectId project,
                                    std::span<const engine::CapturedEvent> events,
                                    const engine::CaptureDocument* parsed,
                                    const LogPosition* position);

  storage::Store* store_;
  const ActionCatalog* catalog_;
  ProjectLocks* locks_;
  const WebhookCatalog* webhooks_;
  WebhookOutbox* outbox_;
  OpsCounters* counters_;
  PersonCache persons_;
};

}  // namespace actiond::service
