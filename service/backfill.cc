#include "service/backfill.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <future>
#include <optional>
#include <utility>
#include <vector>

#include "engine/action_set.h"
#include "engine/date_time.h"
#include "engine/event_reader.h"
#include "engine/json_fields.h"
#include "engine/str_cat.h"
#include "service/thread_name.h"
#include "storage/action_record.h"

namespace actiond::service {

namespace {

void AppendFixed64(uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}

uint64_t ReadFixed64(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

bool ParseDecimal(std::string_view text, int64_t* out) {
  if (text.size() != 20) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out >= 0;
}

// A matched event's match value: its distinct_id when the event has a person (the people
// endpoint resolves it to the person, following merges), else "" (no person to list).
std::string MatchValue(std::string_view record) {
  static constexpr std::array<std::string_view, 2> kKeys = {"person_id", "distinct_id"};
  std::vector<engine::JsonMember> members;
  if (!engine::ReadTopLevelMembers(record, kKeys, &members).ok()) return {};
  const bool has_person =
      members[0].kind == engine::JsonMember::Kind::kString && !members[0].text.empty();
  if (!has_person || members[1].kind != engine::JsonMember::Kind::kString) return {};
  return std::move(members[1].text);
}

}  // namespace

std::string BackfillMetaKey(ProjectId project, ActionId action) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%020lld/%020lld", static_cast<long long>(project),
                static_cast<long long>(action));
  return std::string(kBackfillMetaPrefix) + buffer;
}

bool ParseBackfillMetaKey(std::string_view key, ProjectId* project, ActionId* action) {
  if (!key.starts_with(kBackfillMetaPrefix)) return false;
  key.remove_prefix(kBackfillMetaPrefix.size());
  if (key.size() != 41 || key[20] != '/') return false;
  return ParseDecimal(key.substr(0, 20), project) && ParseDecimal(key.substr(21), action);
}

std::string EncodeBackfillState(const BackfillState& state) {
  std::string out;
  out.push_back(static_cast<char>(kBackfillStateWithTotal));
  AppendFixed64(static_cast<uint64_t>(state.job_id), &out);
  AppendFixed64(static_cast<uint64_t>(state.events_done), &out);
  AppendFixed64(static_cast<uint64_t>(state.events_total), &out);
  if (state.cursor) out.append(storage::EncodeEventCursor(*state.cursor));
  return out;
}

Result<BackfillState> DecodeBackfillState(std::string_view bytes) {
  const unsigned char format = bytes.empty() ? 0 : static_cast<unsigned char>(bytes[0]);
  const size_t fixed = format == kBackfillStateWithTotal ? 25 : 17;
  if (bytes.size() < fixed ||
      (format != storage::kRecordFormat && format != kBackfillStateWithTotal)) {
    return Status(StatusCode::kCorruption, "unreadable backfill state");
  }
  BackfillState state;
  state.job_id = static_cast<int64_t>(ReadFixed64(bytes.substr(1)));
  state.events_done = static_cast<int64_t>(ReadFixed64(bytes.substr(9)));
  if (fixed == 25) state.events_total = static_cast<int64_t>(ReadFixed64(bytes.substr(17)));
  if (bytes.size() > fixed) {
    ACTIOND_ASSIGN_OR_RETURN(EventCursor cursor, storage::DecodeEventCursor(bytes.substr(fixed)));
    state.cursor = std::move(cursor);
  }
  return state;
}

BackfillWorker::BackfillWorker(storage::Store* store, ProjectLocks* locks, ClockFunction clock,
                               LogFunction log, BackfillOptions options)
    : store_(store),
      locks_(locks),
      clock_(std::move(clock)),
      log_(std::move(log)),
      options_(std::move(options)) {
  if (options_.chunk_events == 0) options_.chunk_events = 1;
  if (options_.log_every_chunks <= 0) options_.log_every_chunks = 1;
}

BackfillWorker::~BackfillWorker() { Stop(); }

void BackfillWorker::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    NameThisThread("backfill");
    Loop();
  });
}

void BackfillWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackfillWorker::Enqueue(ProjectId project, ActionId action, int64_t job_id,
                             std::shared_ptr<const engine::CompiledAction> compiled) {
  {
    std::lock_guard lock(mutex_);
    Job job;
    job.project = project;
    job.action = action;
    job.job_id = job_id;
    job.compiled = std::move(compiled);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

size_t BackfillWorker::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + (running_chunk_ ? 1 : 0);
}

bool BackfillWorker::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !running_chunk_; });
}

bool BackfillWorker::RunOneChunk() {
  Job job;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return false;
    job = std::move(queue_.front());
    queue_.pop_front();
    running_chunk_ = true;
  }
  const ChunkResult result = RunChunk(job);
  if (job.back_off) {
    // A failing store fails again at once: pause (with no lock held) instead of spinning; a
    // store that cannot write stays so until an operator makes room, so wait longer then.
    const bool store_unwritable = !store_->writable();
    job.back_off = false;
    std::this_thread::sleep_for(std::chrono::milliseconds(store_unwritable ? 1000 : 100));
  }
  {
    std::lock_guard lock(mutex_);
    running_chunk_ = false;
    // Round-robin: the job goes behind the others, so a big project's backfill does not hold
    // back a small one's.
    if (result == ChunkResult::kMore) queue_.push_back(std::move(job));
    if (queue_.empty()) idle_.notify_all();
  }
  return true;
}

void BackfillWorker::Loop() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
    }
    RunOneChunk();
    if (options_.pause_between_chunks.count() > 0) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.pause_between_chunks, [this] { return stop_; });
    }
  }
}

BackfillWorker::ChunkResult BackfillWorker::RunChunk(Job& job) {
  const std::string meta_key = BackfillMetaKey(job.project, job.action);
  auto stored = store_->GetMeta(meta_key);
  if (!stored.ok()) return RetryLater(job, "cannot read its progress", stored.status());
  if (!stored->has_value()) return ChunkResult::kDropped;
  auto state = DecodeBackfillState(**stored);
  if (!state.ok() || state->job_id != job.job_id) return ChunkResult::kDropped;
  if (job.chunks == 0) {
    job.started_ms = clock_();
    job.started_done = state->events_done;
    Log(engine::StrCat({"backfill of action ", std::to_string(job.action), " (project ",
                        std::to_string(job.project), ") started",
                        state->events_done > 0 ? " (resumed)" : ""}));
  }

  auto events = store_->ReadEventsAfter(job.project, state->cursor, options_.chunk_events);
  if (!events.ok()) return RetryLater(job, "cannot read events", events.status());
  // Matching happens outside the project lock; only the dedupe-and-commit below holds it.
  thread_local engine::EventReader reader;
  std::vector<Candidate> matched;
  for (const StoredEvent& event : *events) {
    auto view = reader.Read(event.record_json);
    if (!view.ok()) continue;  // unreadable records match nothing, live or here
    if (engine::ActionMatches(*job.compiled, **view)) {
      matched.push_back({event.timestamp_ms, event.uuid, MatchValue(event.record_json)});
    }
  }
  ChunkCommit commit{.read_state = *state,
                     .next = *state,
                     .matched = std::move(matched),
                     .finished = events->size() < options_.chunk_events};
  commit.next.events_done += static_cast<int64_t>(events->size());
  if (options_.events_read != nullptr) {
    options_.events_read->fetch_add(static_cast<int64_t>(events->size()),
                                    std::memory_order_relaxed);
  }
  if (!events->empty()) {
    commit.next.cursor = EventCursor{events->back().timestamp_ms, events->back().uuid};
  }
  if (std::optional<ChunkResult> early = CommitInProjectOrder(job, commit)) return *early;

  ++job.chunks;
  const int64_t elapsed_ms = std::max<int64_t>(1, clock_() - job.started_ms);
  const int64_t done_here = commit.next.events_done - job.started_done;
  if (commit.finished) {
    Log("backfill of action " + std::to_string(job.action) + " (project " +
        std::to_string(job.project) + ") done: " + std::to_string(commit.next.events_done) +
        " events in " + std::to_string(elapsed_ms) + " ms");
    return ChunkResult::kFinished;
  }
  if (job.chunks % options_.log_every_chunks == 0) {
    auto total = store_->EventCount(job.project);
    Log("backfill of action " + std::to_string(job.action) + " (project " +
        std::to_string(job.project) + "): " + std::to_string(commit.next.events_done) + " of " +
        (total.ok() ? std::to_string(*total) : std::string("?")) + " events, " +
        std::to_string(done_here * 1000 / elapsed_ms) + " events/s");
  }
  return ChunkResult::kMore;
}

std::optional<BackfillWorker::ChunkResult> BackfillWorker::CommitChunk(Job& job,
                                                                       const ChunkCommit& commit) {
  const std::string meta_key = BackfillMetaKey(job.project, job.action);
  std::lock_guard project_lock(locks_->For(job.project));
  // Re-check under the lock: the action may have changed (new job id) since we read.
  auto current = store_->GetMeta(meta_key);
  if (!current.ok()) return RetryLater(job, "cannot read its progress", current.status());
  if (!current->has_value()) return ChunkResult::kDropped;
  auto current_state = DecodeBackfillState(**current);
  if (!current_state.ok() || current_state->job_id != job.job_id) return ChunkResult::kDropped;
  if (!(*current_state == commit.read_state)) return ChunkResult::kMore;  // another runner moved on

  storage::WriteBatch batch(*store_);
  for (const Candidate& candidate : commit.matched) {
    auto exists =
        store_->MatchExists(job.project, job.action, candidate.timestamp_ms, candidate.uuid);
    if (!exists.ok()) return RetryLater(job, "cannot read matches", exists.status());
    if (!*exists) {
      batch.AddMatch(job.project, job.action, candidate.timestamp_ms, candidate.uuid,
                     candidate.distinct_id);
    }
  }
  if (commit.finished) {
    if (Status s = FinishRecord(job, &batch); !s.ok()) {
      return RetryLater(job, "cannot update its record", s);
    }
    batch.DeleteMeta(meta_key);
  } else {
    batch.PutMeta(meta_key, EncodeBackfillState(commit.next));
  }
  if (Status s = store_->Commit(batch); !s.ok()) return RetryLater(job, "cannot commit", s);
  return std::nullopt;
}

std::optional<BackfillWorker::ChunkResult> BackfillWorker::CommitInProjectOrder(
    Job& job, const ChunkCommit& commit) {
  if (!options_.run_in_project_order) return CommitChunk(job, commit);
  // The strand runs every job it accepted, even while stopping (ApplyExecutor::Stop), so the
  // promise is always kept; `job` and `commit` outlive the wait.
  std::promise<std::optional<ChunkResult>> done;
  std::future<std::optional<ChunkResult>> result = done.get_future();
  const bool accepted =
      options_.run_in_project_order(job.project, [&] { done.set_value(CommitChunk(job, commit)); });
  if (!accepted) {
    job.back_off = true;  // the apply queue is full: ingestion first, this chunk again later
    return ChunkResult::kMore;
  }
  return result.get();
}

Status BackfillWorker::FinishRecord(const Job& job, storage::WriteBatch* batch) const {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json,
                           store_->GetAction(job.project, job.action));
  if (!json) return Status::Ok();  // nothing to mark (never happens: actions are not removed)
  ACTIOND_ASSIGN_OR_RETURN(ActionRecord record,
                           storage::DecodeActionRecord(job.project, job.action, *json));
  record.is_calculating = false;
  record.last_calculated_at = engine::FormatIso8601(clock_());
  batch->PutAction(job.project, job.action, storage::EncodeActionRecord(record));
  return Status::Ok();
}

BackfillWorker::ChunkResult BackfillWorker::RetryLater(Job& job, std::string_view what,
                                                       const Status& status) const {
  job.back_off = true;
  // The store logs once when it cannot write; a line per retried chunk would flood the log.
  if (status.reason() == StatusReason::kStoreUnwritable) return ChunkResult::kMore;
  Log("backfill of action " + std::to_string(job.action) + " (project " +
      std::to_string(job.project) + ") " + std::string(what) +
      ", will retry: " + status.ToString());
  return ChunkResult::kMore;
}

void BackfillWorker::Log(const std::string& message) const {
  if (log_) log_(message);
}

}  // namespace actiond::service
