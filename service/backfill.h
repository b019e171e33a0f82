// Backfill: recomputing one action's matches over every stored event of its project, in the
// background, exactly once per event even while ingestion goes on (docs/architecture.md §1).
//
// A job is identified by a job id that is unique for all time (Store::NextId("backfill")). Its
// progress lives in the meta entry BackfillMetaKey(project, action) as a BackfillState; that
// entry exists while the action's backfill is unfinished, and names the one job allowed to
// work on it. Whoever changes the action (ActionService) writes a fresh state with a new job id
// in the same batch as the change; a job that finds another id there (or none) stops without
// writing: that is how an outdated definition's job ends.
//
// The worker processes jobs round-robin, one chunk at a time (ReadEventsAfter → match with the
// plain matcher outside any lock → under locks.For(project): check the job id, AddMatch for
// every matched event that has no match entry yet, save the cursor, commit), so ingestion
// waits at most for one chunk's commit. In the server that commit runs as a job on the
// project's strand of the apply stage, between two of the project's applies
// (BackfillOptions::run_in_project_order). Correctness rests on the caller having published the
// action to the live catalog, under the same project lock, before the job's meta entry was
// committed: an event committed after that is matched live, one committed before is in the
// store for the backfill to read, and MatchExists under the lock makes both count once. When a
// chunk reaches the end of the events, the job finishes in that chunk's batch: the action's
// record gets is_calculating=false and last_calculated_at=now, and the meta entry is removed.
// A restart resumes every job from its saved cursor (ActionService::LoadAll re-enqueues them).
//
// Thread-safety: all public methods may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/action_definition.h"
#include "engine/status.h"
#include "service/clock_and_log.h"
#include "service/domain_types.h"
#include "service/project_locks.h"
#include "storage/store.h"

namespace actiond::engine {
class CompiledAction;
}

namespace actiond::service {

// The progress of an unfinished backfill.
struct BackfillState {
  int64_t job_id = 0;
  int64_t events_done = 0;  // events read so far (for progress reports)
  // The project's stored events when the job started (Store::EventCount, O(1)): the progress
  // estimate's denominator. Events ingested meanwhile are read too, so events_done may pass it
  // (docs/api.md §9 "Counts during a recompute"). 0 in states written before it was kept.
  int64_t events_total = 0;
  std::optional<EventCursor> cursor;  // the last event processed; nullopt: none yet

  friend bool operator==(const BackfillState&, const BackfillState&) = default;
};

inline constexpr std::string_view kBackfillMetaPrefix = "backfill/";
// "backfill/" + project and action as 20-digit decimals (so ListMeta returns them in order).
std::string BackfillMetaKey(ProjectId project, ActionId action);
// Reads a key made by BackfillMetaKey; false for anything else.
bool ParseBackfillMetaKey(std::string_view key, ProjectId* project, ActionId* action);
// Layout: a format byte, job_id, events_done, [events_total when the byte is
// kBackfillStateWithTotal], then the cursor when there is one. States written with
// storage::kRecordFormat (before events_total was kept) still decode, with events_total 0.
inline constexpr unsigned char kBackfillStateWithTotal = 2;
std::string EncodeBackfillState(const BackfillState& state);
Result<BackfillState> DecodeBackfillState(std::string_view bytes);

struct BackfillOptions {
  size_t chunk_events = 1000;  // events per chunk (and per lock hold)
  int log_every_chunks = 100;  // progress line every this many chunks of a job
  // Bumped by the events each chunk reads (docs/operations.md §Metrics); null: not counted.
  std::atomic<int64_t>* events_read = nullptr;
  // Pause of the worker thread after each chunk that leaves work: leaves the disk and a core
  // to ingestion on a busy machine (--backfill-pause-ms; 0: none).
  std::chrono::milliseconds pause_between_chunks{0};
  // Where a chunk's commit runs: handed to the project's strand of the apply stage
  // (ApplyExecutor::TrySubmit), so it takes its turn between the project's applies instead of
  // holding an apply thread waiting for the project lock; false when the strand refuses (its
  // queue is full), and the chunk is retried later. Empty: the worker thread commits itself.
  std::function<bool(ProjectId, std::function<void()>)> run_in_project_order;
};

class BackfillWorker {
 public:
  // The pointees must outlive the worker. `log` and `clock` are called on the worker thread,
  // and on the apply stage's threads when commits run there (run_in_project_order).
  BackfillWorker(storage::Store* store, ProjectLocks* locks, ClockFunction clock, LogFunction log,
                 BackfillOptions options = {});
  ~BackfillWorker();  // Stop()
  BackfillWorker(const BackfillWorker&) = delete;
  BackfillWorker& operator=(const BackfillWorker&) = delete;

  // Starts the worker thread; jobs enqueued before wait for it. Idempotent.
  void Start();
  // Finishes the chunk in progress, then joins the thread. Unfinished jobs stay in the meta
  // column family and resume after the next start. Idempotent.
  void Stop();

  // Queues job `job_id` for the action. Its BackfillState must already be committed.
  void Enqueue(ProjectId project, ActionId action, int64_t job_id,
               std::shared_ptr<const engine::CompiledAction> compiled);

  // Runs one chunk of the job at the head of the queue on the calling thread (for tests that
  // drive the worker without its thread). Returns false when the queue was empty.
  bool RunOneChunk();

  // Blocks until no job is queued or running, or `timeout` passes; true when idle.
  bool WaitIdle(std::chrono::milliseconds timeout);

  // Number of queued jobs (including one running).
  size_t pending() const;

 private:
  struct Job {
    ProjectId project = 0;
    ActionId action = 0;
    int64_t job_id = 0;
    std::shared_ptr<const engine::CompiledAction> compiled;
    int64_t chunks = 0;
    int64_t started_ms = 0;
    int64_t started_done = 0;  // events_done when this process picked the job up
    bool back_off = false;     // the last chunk failed transiently
  };
  enum class ChunkResult { kMore, kFinished, kDropped };
  struct Candidate {  // a stored event the action matched
    int64_t timestamp_ms;
    std::string uuid;
    std::string distinct_id;
  };

  void Loop();
  ChunkResult RunChunk(Job& job);
  // What a chunk commits once its events are matched: under the project lock, the matches the
  // live path has not written, and the job's next state (or its end).
  struct ChunkCommit {
    BackfillState read_state;  // the state the chunk started from
    BackfillState next;
    std::vector<Candidate> matched;
    bool finished = false;
  };
  // nullopt once committed; else how the chunk ended early (dropped, retry, moved on).
  std::optional<ChunkResult> CommitChunk(Job& job, const ChunkCommit& commit);
  // CommitChunk on the project's strand when there is one (options_.run_in_project_order),
  // waiting for it; else on this thread.
  std::optional<ChunkResult> CommitInProjectOrder(Job& job, const ChunkCommit& commit);
  Status FinishRecord(const Job& job, storage::WriteBatch* batch) const;
  // Logs a transient failure and asks for the job to be retried after a pause.
  ChunkResult RetryLater(Job& job, std::string_view what, const Status& status) const;
  void Log(const std::string& message) const;

  storage::Store* store_;
  ProjectLocks* locks_;
  ClockFunction clock_;
  LogFunction log_;
  BackfillOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // a job arrived, or stop
  std::condition_variable idle_;  // the queue drained
  std::deque<Job> queue_;         // guarded by mutex_
  bool running_chunk_ = false;    // guarded by mutex_
  bool stop_ = false;             // guarded by mutex_
  std::thread thread_;
};

}  // namespace actiond::service
