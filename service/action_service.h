// ActionService: the lifecycle of actions — create, update, soft delete, undelete — with live
// matching (the project's compiled set in the ActionCatalog) and backfills (backfill.h), and
// the exact count and people queries. Everything the Actions REST API does besides moving
// bytes lives here.
//
// Rules (PostHog's; docs/api.md §9):
//   - name: required on create and PUT, not blank, at most 400 characters (code points), and
//     unique among the project's non-deleted actions (400 `unique`, attr `name`);
//   - steps: compiled by engine::CompileAction; its errors (attr `steps__N__…`) pass through;
//   - changing the steps (as the matcher sees them; step ids and names do not count) drops the
//     action's matches and counters and recomputes them by a backfill, in one commit with the
//     new record, under the project's lock, together with the catalog swap; other changes
//     (name, description, …) leave matches alone;
//   - `deleted: true` (soft delete) removes the action from live matching and keeps its matches
//     and counters, so its count stays what it was (a backfill in progress still completes);
//     changing its steps while it is deleted stops any backfill and only marks those matches
//     stale (the count still stays); `deleted: false` publishes it again and backfills the
//     events it missed meanwhile, or, after a step change, replaces its matches by a backfill;
//   - `is_calculating` is true from a create or step change until its backfill finishes, which
//     sets `last_calculated_at`.
//
// Errors: kNotFound for an unknown project or action; the 400 codes above; kIoError /
// kCorruption from the store.
// Thread-safety: every method may be called concurrently. Writers of one project are
// serialised by its ProjectLocks stripe (the same lock ingestion takes).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/action_definition.h"
#include "engine/action_log_record.h"
#include "engine/explain_request.h"
#include "engine/match_explanation.h"
#include "engine/status.h"
#include "engine/time_buckets.h"
#include "engine/time_zone.h"
#include "service/action_catalog.h"
#include "service/backfill.h"
#include "service/domain_types.h"
#include "service/log_position.h"
#include "service/project_locks.h"
#include "service/webhook_catalog.h"
#include "storage/action_record.h"
#include "storage/store.h"

namespace actiond::service {

struct ActionServiceOptions {
  BackfillOptions backfill;
  // Start the backfill worker thread in LoadAll(). Tests that drive backfills step by step
  // (backfill_worker()->RunOneChunk()) turn it off.
  bool start_worker = true;
};

// How far an unfinished backfill has got (docs/api.md §9 "Counts during a recompute").
struct BackfillProgress {
  int64_t events_scanned = 0;  // events the backfill has read
  // The project's events when the backfill started (an O(1) counter read then), or
  // events_scanned when more have been read since (events ingested meanwhile are read too).
  int64_t events_total = 0;
};

// A count series request (docs/api.md §9 "Counts over time").
struct SeriesQuery {
  TimeRange range;  // unbounded ends: the first match / now
  engine::Interval interval = engine::Interval::kDay;
  const engine::TimeZone* zone = nullptr;  // must outlive the call; nullptr: UTC
  bool distinct_persons = false;           // count persons (each once per bucket), not matches
  int64_t now_ms = 0;                      // the end of a range without date_to
};

struct SeriesBucket {
  int64_t key = 0;  // engine::Bucketing's key; Label(key) is the API's `date`
  int64_t count = 0;
};

struct CountSeries {
  // Matches in the range, or with distinct_persons the persons (each once over the range).
  int64_t total = 0;
  std::vector<SeriesBucket> buckets;  // ascending, every bucket of the range, empty ones too
};

// The most buckets one series answers; more is a 400 naming `interval`.
inline constexpr size_t kMaxSeriesBuckets = 10'000;

// One page of the persons who performed an action.
struct PeoplePage {
  std::vector<Person> people;  // each person once, in the order of their first match
  bool has_more = false;       // persons remain after this page
};

// A create, PATCH or PUT, validated, in the form ApplyChange applies it. In cluster mode it is
// what an action log record carries (engine/action_log_record.h; docs/cluster.md §Actions):
// everything a replica could choose differently is chosen before it is written to the log.
struct ActionChange {
  engine::ActionLogOp op = engine::ActionLogOp::kCreate;
  ActionId id = 0;  // the action; a create's 0: the next id, chosen when applied
  // Validated: the name trimmed, last_calculated_at normalised; when ids were chosen, every
  // step has an id.
  engine::ActionRequest request;
  std::string created_by_json = "null";  // a create's `created_by`
  int64_t at_ms = 0;                     // a create's created_at; 0: the clock when applied
};

class ActionService {
 public:
  // The pointees must outlive the service. `clock` stamps created_at / last_calculated_at;
  // `log` receives backfill progress and start-up problems.
  // `webhooks` may be null (no webhooks); otherwise every change of a live action's name,
  // post_to_slack or message format is published there under the project's lock.
  ActionService(storage::Store* store, ActionCatalog* catalog, ProjectLocks* locks,
                ClockFunction clock, LogFunction log, ActionServiceOptions options = {},
                WebhookCatalog* webhooks = nullptr);
  ~ActionService();  // Stop()
  ActionService(const ActionService&) = delete;
  ActionService& operator=(const ActionService&) = delete;

  // At start-up: compiles and publishes every non-deleted action of every project, re-queues
  // every unfinished backfill from its saved cursor, and starts the backfill worker. An action
  // that no longer compiles is logged and left out of matching (never fatal).
  Status LoadAll();
  // Stops the backfill worker after its current chunk (graceful shutdown). Idempotent.
  void Stop();

  // `creator` is shown as created_by (null when nullopt).
  Result<ActionRecord> Create(ProjectId project, const engine::ActionRequest& request,
                              const std::optional<ActionCreator>& creator);
  // PATCH when `partial`, PUT otherwise (then `name` is required). Only fields present in
  // `request` change.
  Result<ActionRecord> Update(ProjectId project, ActionId id, const engine::ActionRequest& request,
                              bool partial);

  // The two halves of Create and Update, apart for the cluster, whose log lies between them.
  // Prepare* validate exactly as Create and Update do (the same 400s, in the same order) and,
  // with `choose_ids`, choose the action's id, its steps' ids and its creation time.
  Result<ActionChange> PrepareCreate(ProjectId project, const engine::ActionRequest& request,
                                     const std::optional<ActionCreator>& creator,
                                     bool choose_ids) const;
  Result<ActionChange> PrepareUpdate(ProjectId project, ActionId id,
                                     const engine::ActionRequest& request, bool partial,
                                     bool choose_ids) const;
  // Applies a prepared change to the action as it is now. The checks that depend on the
  // stored state — the project and the action exist, the name is unique, a chosen id is free —
  // are made here. `position` (cluster mode) is committed with the change, and alone when the
  // change is refused (the refusal is then the result): a log record is applied once, and every
  // replica refuses what one refuses.
  Result<ActionRecord> ApplyChange(ProjectId project, const ActionChange& change,
                                   const LogPosition* position = nullptr);

  // The action, also when soft-deleted.
  Result<ActionRecord> Get(ProjectId project, ActionId id) const;
  // The project's actions in id order; soft-deleted ones only when `include_deleted`.
  Result<std::vector<ActionRecord>> List(ProjectId project, bool include_deleted = false) const;

  // Matches with timestamps in `range`, from counters (never scans events).
  Result<int64_t> Count(ProjectId project, ActionId id, const TimeRange& range = {}) const;
  // Which of `actions` have the stored event (timestamp_ms, uuid) in their match index, in the
  // order given: one point lookup per action, never a scan (the events list's matched_actions,
  // docs/api.md §4).
  Result<std::vector<ActionId>> MatchedActions(ProjectId project,
                                               const std::vector<ActionId>& actions,
                                               int64_t timestamp_ms, std::string_view uuid) const;
  // The backfill's progress while one is unfinished for the action; nullopt otherwise.
  Result<std::optional<BackfillProgress>> Progress(ProjectId project, ActionId id) const;
  // Counts per bucket. Day, week and month buckets in UTC read the per-day counters (one per day);
  // hours, other time zones and distinct persons read the match index of the range
  // (O(matches in range)), so that every bucket is exact in its own zone.
  Result<CountSeries> Series(ProjectId project, ActionId id, const SeriesQuery& query) const;
  // The persons behind the matches in `range` (merged persons once, events without a person
  // left out), skipping `offset` persons and returning at most `limit`.
  Result<PeoplePage> People(ProjectId project, ActionId id, const TimeRange& range, size_t limit,
                            size_t offset) const;

  // Explain (docs/api.md §Explain): why action `id` (also when soft-deleted) does or does not
  // match `subject`, a stored event of the project (kNotFound when its uuid is unknown) or a
  // posted event (service/action_explain.cc). Reads only; changes nothing.
  Result<engine::ActionExplanation> Explain(ProjectId project, ActionId id,
                                            const engine::ExplainSubject& subject) const;
  // The same for steps that are not saved, validated exactly as Create validates them (the
  // same 400s and attrs).
  Result<engine::ActionExplanation> ExplainSteps(ProjectId project,
                                                 const std::vector<engine::ActionStep>& steps,
                                                 const engine::ExplainSubject& subject) const;

  BackfillWorker* backfill_worker() noexcept { return &worker_; }
  // Blocks until no backfill is queued or running, or `timeout` passes; true when idle.
  bool WaitForBackfills(std::chrono::milliseconds timeout) { return worker_.WaitIdle(timeout); }

 private:
  Status RequireProject(ProjectId project) const;
  // The stored record an explain request is about (action_explain.cc).
  Result<std::string> ExplainedRecord(ProjectId project,
                                      const engine::ExplainSubject& subject) const;
  Status CheckUniqueName(ProjectId project, ActionId self, const std::string& name) const;
  // Gives every step without an id a fresh one.
  Status AssignStepIds(std::vector<engine::ActionStep>* steps) const;
  // Raises the id sequences past the ids a change from the log chose (Store::RaiseSequence).
  Status RaiseSequencesPast(const ActionChange& change) const;
  Result<ActionRecord> ApplyCreate(ProjectId project, const ActionChange& change,
                                   const LogPosition* position);
  Result<ActionRecord> ApplyUpdate(ProjectId project, const ActionChange& change,
                                   const LogPosition* position);
  // Writes a fresh backfill state (new job id) into `batch`; returns the job id.
  Result<int64_t> StartBackfill(ProjectId project, ActionId id, storage::WriteBatch* batch);

  storage::Store* store_;
  ActionCatalog* catalog_;
  WebhookCatalog* webhooks_;  // may be null
  ProjectLocks* locks_;
  ClockFunction clock_;
  LogFunction log_;
  ActionServiceOptions options_;
  BackfillWorker worker_;
};

}  // namespace actiond::service
