#include "service/action_service.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>

#include "engine/action_compiler.h"
#include "engine/date_time.h"
#include "engine/utf8.h"

namespace actiond::service {

namespace {

constexpr size_t kMaxNameLength = 400;  // PostHog's Action.name max_length
// The id a definition is compiled under only to validate it, before its real id exists.
constexpr ActionId kProbeId = std::numeric_limits<ActionId>::max();

// DRF's CharField trims surrounding whitespace before validating.
std::string Trimmed(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\n\r\f\v");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\n\r\f\v");
  return std::string(text.substr(begin, end - begin + 1));
}

Result<std::string> ValidName(const std::optional<std::string>& name) {
  if (!name) return Required("This field is required.", "name");
  std::string trimmed = Trimmed(*name);
  if (trimmed.empty()) return InvalidInput("This field may not be blank.", "name");
  if (engine::CountCodePoints(trimmed) > kMaxNameLength) {
    return InvalidInput("Ensure this field has no more than 400 characters.", "name");
  }
  return trimmed;
}

Result<std::string> ValidDateTime(std::string_view text, std::string_view attr) {
  auto parsed = engine::ParseIso8601(text);
  if (!parsed) {
    return InvalidInput(
        "Datetime has wrong format. Use one of these formats instead: "
        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
        attr);
  }
  return engine::FormatIso8601(parsed->epoch_ms);
}

Status NotFoundStatus() { return NotFound("Not found."); }

// Present while an action's stored matches belong to steps it no longer has (steps changed while
// it was soft-deleted).
std::string StaleMatchesMetaKey(ProjectId project, ActionId action) {
  return "stale-matches/" + std::to_string(project) + "/" + std::to_string(action);
}

}  // namespace

ActionService::ActionService(storage::Store* store, ActionCatalog* catalog, ProjectLocks* locks,
                             ClockFunction clock, LogFunction log, ActionServiceOptions options,
                             WebhookCatalog* webhooks)
    : store_(store),
      catalog_(catalog),
      webhooks_(webhooks),
      locks_(locks),
      clock_(std::move(clock)),
      log_(std::move(log)),
      options_(options),  // declared before worker_, so copied before the move below
      worker_(store, locks, clock_, log_, std::move(options.backfill)) {}

ActionService::~ActionService() { Stop(); }

void ActionService::Stop() { worker_.Stop(); }

Status ActionService::RequireProject(ProjectId project) const {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<Project> found, store_->GetProject(project));
  if (!found) return NotFoundStatus();
  return Status::Ok();
}

Status ActionService::CheckUniqueName(ProjectId project, ActionId self,
                                      const std::string& name) const {
  ACTIOND_ASSIGN_OR_RETURN(auto actions, store_->ListActions(project));
  for (const auto& [id, json] : actions) {
    if (id == self) continue;
    ACTIOND_ASSIGN_OR_RETURN(ActionRecord other, storage::DecodeActionRecord(project, id, json));
    if (!other.deleted && other.name == name) {
      return Status(StatusCode::kAlreadyExists,
                    "This project already has an action with this name, ID " + std::to_string(id),
                    "name");
    }
  }
  return Status::Ok();
}

Status ActionService::AssignStepIds(std::vector<engine::ActionStep>* steps) const {
  auto lacks_id = [](const engine::ActionStep& step) { return !step.id || step.id->empty(); };
  const int64_t missing = std::count_if(steps->begin(), steps->end(), lacks_id);
  if (missing == 0) return Status::Ok();
  // One reservation for the whole list (one synced write under --fsync).
  ACTIOND_ASSIGN_OR_RETURN(int64_t next_id, store_->ReserveIds("action_step", missing));
  for (engine::ActionStep& step : *steps) {
    if (lacks_id(step)) step.id = std::to_string(next_id++);
  }
  return Status::Ok();
}

Result<int64_t> ActionService::StartBackfill(ProjectId project, ActionId id,
                                             storage::WriteBatch* batch) {
  ACTIOND_ASSIGN_OR_RETURN(int64_t job_id, store_->NextId("backfill"));
  BackfillState state;
  state.job_id = job_id;
  ACTIOND_ASSIGN_OR_RETURN(state.events_total, store_->EventCount(project));
  batch->PutMeta(BackfillMetaKey(project, id), EncodeBackfillState(state));
  return job_id;
}

Result<ActionChange> ActionService::PrepareCreate(ProjectId project,
                                                  const engine::ActionRequest& request,
                                                  const std::optional<ActionCreator>& creator,
                                                  bool choose_ids) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ActionChange change;
  change.op = engine::ActionLogOp::kCreate;
  change.request = request;
  // Field errors first, then the name's uniqueness when applied (DRF: fields, then validate()).
  ACTIOND_ASSIGN_OR_RETURN(change.request.name, ValidName(request.name));
  if (!change.request.steps) change.request.steps.emplace();
  ACTIOND_ASSIGN_OR_RETURN(auto probe, engine::CompileAction(kProbeId, *change.request.steps));
  (void)probe;
  if (request.last_calculated_at) {
    ACTIOND_ASSIGN_OR_RETURN(change.request.last_calculated_at,
                             ValidDateTime(*request.last_calculated_at, "last_calculated_at"));
  }
  change.created_by_json = creator ? storage::EncodeActionCreator(*creator) : "null";
  if (choose_ids) {
    ACTIOND_ASSIGN_OR_RETURN(change.id, store_->NextId("action"));
    ACTIOND_RETURN_IF_ERROR(AssignStepIds(&*change.request.steps));
    change.at_ms = clock_();
  }
  return change;
}

Result<ActionChange> ActionService::PrepareUpdate(ProjectId project, ActionId id,
                                                  const engine::ActionRequest& request,
                                                  bool partial, bool choose_ids) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ActionChange change;
  change.op = partial ? engine::ActionLogOp::kPatch : engine::ActionLogOp::kPut;
  change.id = id;
  change.request = request;
  if (request.name || !partial) {
    ACTIOND_ASSIGN_OR_RETURN(change.request.name, ValidName(request.name));
  }
  if (request.steps) {
    ACTIOND_ASSIGN_OR_RETURN(auto probe, engine::CompileAction(id, *request.steps));
    (void)probe;
  }
  if (request.last_calculated_at) {
    ACTIOND_ASSIGN_OR_RETURN(change.request.last_calculated_at,
                             ValidDateTime(*request.last_calculated_at, "last_calculated_at"));
  }
  if (choose_ids && change.request.steps) {
    ACTIOND_RETURN_IF_ERROR(AssignStepIds(&*change.request.steps));
  }
  return change;
}

Result<ActionRecord> ActionService::Create(ProjectId project, const engine::ActionRequest& request,
                                           const std::optional<ActionCreator>& creator) {
  ACTIOND_ASSIGN_OR_RETURN(const ActionChange change,
                           PrepareCreate(project, request, creator, /*choose_ids=*/false));
  return ApplyChange(project, change);
}

Result<ActionRecord> ActionService::Update(ProjectId project, ActionId id,
                                           const engine::ActionRequest& request, bool partial) {
  ACTIOND_ASSIGN_OR_RETURN(const ActionChange change,
                           PrepareUpdate(project, id, request, partial, /*choose_ids=*/false));
  return ApplyChange(project, change);
}

Result<ActionRecord> ActionService::ApplyChange(ProjectId project, const ActionChange& change,
                                                const LogPosition* position) {
  Result<ActionRecord> applied = change.op == engine::ActionLogOp::kCreate
                                     ? ApplyCreate(project, change, position)
                                     : ApplyUpdate(project, change, position);
  if (applied.ok() || position == nullptr || IsStoreFailure(applied.status().code())) {
    return applied;
  }
  // Refused by the stored state, as every replica refuses it: the record is applied all the
  // same, as a change of nothing.
  storage::WriteBatch batch(*store_);
  position->WriteTo(batch);
  ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
  return applied;
}

Status ActionService::RaiseSequencesPast(const ActionChange& change) const {
  if (change.op == engine::ActionLogOp::kCreate) {
    ACTIOND_RETURN_IF_ERROR(store_->RaiseSequence("action", change.id));
  }
  if (!change.request.steps) return Status::Ok();
  int64_t highest = 0;
  for (const engine::ActionStep& step : *change.request.steps) {
    if (!step.id) continue;
    int64_t id = 0;
    const char* end = step.id->data() + step.id->size();
    if (std::from_chars(step.id->data(), end, id).ptr == end) highest = std::max(highest, id);
  }
  return store_->RaiseSequence("action_step", highest);
}

Result<ActionRecord> ActionService::ApplyCreate(ProjectId project, const ActionChange& change,
                                                const LogPosition* position) {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  const engine::ActionRequest& request = change.request;
  ActionRecord record;
  record.team_id = project;
  record.name = request.name.value_or("");
  record.description = request.description.value_or("");
  record.tags = request.tags.value_or(std::vector<std::string>{});
  record.post_to_slack = request.post_to_slack.value_or(false);
  record.slack_message_format = request.slack_message_format.value_or("");
  record.steps = request.steps.value_or(std::vector<engine::ActionStep>{});
  record.created_by_json = change.created_by_json;
  record.deleted = request.deleted.value_or(false);
  record.last_calculated_at = request.last_calculated_at;

  std::shared_ptr<const engine::CompiledAction> compiled;
  int64_t job_id = 0;
  {
    std::lock_guard lock(locks_->For(project));
    if (!record.deleted) ACTIOND_RETURN_IF_ERROR(CheckUniqueName(project, 0, record.name));
    if (change.id != 0) {
      // Chosen by the node that wrote the change to the log. A node that held the project
      // before may have chosen the same id for an earlier change: the first one applied keeps it.
      ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> taken,
                               store_->GetAction(project, change.id));
      if (taken) {
        return Status(StatusCode::kAlreadyExists,
                      "Another change created an action with the same ID at the same time; "
                      "try again.");
      }
      ACTIOND_RETURN_IF_ERROR(RaiseSequencesPast(change));
      record.id = change.id;
    } else {
      ACTIOND_ASSIGN_OR_RETURN(record.id, store_->NextId("action"));
    }
    ACTIOND_RETURN_IF_ERROR(AssignStepIds(&record.steps));
    ACTIOND_ASSIGN_OR_RETURN(compiled, engine::CompileAction(record.id, record.steps));
    record.created_at = engine::FormatIso8601(change.at_ms != 0 ? change.at_ms : clock_());
    storage::WriteBatch batch(*store_);
    if (!record.deleted) {
      ACTIOND_ASSIGN_OR_RETURN(job_id, StartBackfill(project, record.id, &batch));
      record.is_calculating = true;
    }
    batch.PutAction(project, record.id, storage::EncodeActionRecord(record));
    if (position != nullptr) position->WriteTo(batch);
    ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
    // Published under the lock: the next event ingested for the project sees the action.
    if (!record.deleted) catalog_->Put(project, compiled);
    if (webhooks_ != nullptr && !record.deleted) webhooks_->PutAction(project, record);
  }
  if (job_id != 0) worker_.Enqueue(project, record.id, job_id, std::move(compiled));
  return record;
}

Result<ActionRecord> ActionService::ApplyUpdate(ProjectId project, const ActionChange& change,
                                                const LogPosition* position) {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  const engine::ActionRequest& request = change.request;
  const ActionId id = change.id;
  ActionRecord record;
  int64_t job_id = 0;
  std::shared_ptr<const engine::CompiledAction> compiled;
  {
    std::lock_guard lock(locks_->For(project));
    ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json, store_->GetAction(project, id));
    if (!json) return NotFoundStatus();
    ACTIOND_ASSIGN_OR_RETURN(ActionRecord old, storage::DecodeActionRecord(project, id, *json));
    record = old;
    if (request.name) record.name = *request.name;
    if (request.description) record.description = *request.description;
    if (request.tags) record.tags = *request.tags;
    if (request.post_to_slack) record.post_to_slack = *request.post_to_slack;
    if (request.slack_message_format) record.slack_message_format = *request.slack_message_format;
    if (request.last_calculated_at) record.last_calculated_at = request.last_calculated_at;
    if (request.deleted) record.deleted = *request.deleted;
    const bool steps_changed =
        request.steps && !storage::SameStepConditions(old.steps, *request.steps);
    if (request.steps) {
      record.steps = *request.steps;
      if (position != nullptr) ACTIOND_RETURN_IF_ERROR(RaiseSequencesPast(change));
      ACTIOND_RETURN_IF_ERROR(AssignStepIds(&record.steps));
    }
    const bool undeleted = old.deleted && !record.deleted;
    if (!record.deleted && (undeleted || record.name != old.name)) {
      ACTIOND_RETURN_IF_ERROR(CheckUniqueName(project, id, record.name));
    }

    // A soft-deleted action keeps answering its count from when it was deleted, so new steps
    // given while it is deleted only mark its matches stale; undeleting replaces them.
    const std::string stale_key = StaleMatchesMetaKey(project, id);
    bool stale = false;
    if (undeleted) {
      ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> mark, store_->GetMeta(stale_key));
      stale = mark.has_value();
    }
    const bool recompute = !record.deleted && (steps_changed || undeleted);

    storage::WriteBatch batch(*store_);
    if (recompute) {
      if (steps_changed || stale) batch.DeleteAllMatches(project, id);
      if (stale) batch.DeleteMeta(stale_key);
      // A new job id also stops any job still working on the old definition.
      ACTIOND_ASSIGN_OR_RETURN(job_id, StartBackfill(project, id, &batch));
      record.is_calculating = true;
      ACTIOND_ASSIGN_OR_RETURN(compiled, engine::CompileAction(id, record.steps));
    } else if (steps_changed) {
      // Changed while deleted: stop any job on the old steps; the count stays as it was.
      batch.PutMeta(stale_key, "");
      batch.DeleteMeta(BackfillMetaKey(project, id));
      record.is_calculating = false;
    }
    batch.PutAction(project, id, storage::EncodeActionRecord(record));
    if (position != nullptr) position->WriteTo(batch);
    ACTIOND_RETURN_IF_ERROR(store_->Commit(batch));
    if (record.deleted) {
      catalog_->Remove(project, id);
    } else if (compiled) {
      catalog_->Put(project, compiled);
    }
    // Name, post_to_slack and the message format may change without the steps changing.
    if (webhooks_ != nullptr) {
      if (record.deleted) {
        webhooks_->RemoveAction(project, id);
      } else {
        webhooks_->PutAction(project, record);
      }
    }
  }
  if (job_id != 0) worker_.Enqueue(project, id, job_id, std::move(compiled));
  return record;
}

Result<ActionRecord> ActionService::Get(ProjectId project, ActionId id) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json, store_->GetAction(project, id));
  if (!json) return NotFoundStatus();
  return storage::DecodeActionRecord(project, id, *json);
}

Result<std::vector<ActionRecord>> ActionService::List(ProjectId project,
                                                      bool include_deleted) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ACTIOND_ASSIGN_OR_RETURN(auto actions, store_->ListActions(project));
  std::vector<ActionRecord> out;
  out.reserve(actions.size());
  for (const auto& [id, json] : actions) {
    ACTIOND_ASSIGN_OR_RETURN(ActionRecord record, storage::DecodeActionRecord(project, id, json));
    if (record.deleted && !include_deleted) continue;
    out.push_back(std::move(record));
  }
  return out;
}

Result<int64_t> ActionService::Count(ProjectId project, ActionId id, const TimeRange& range) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json, store_->GetAction(project, id));
  if (!json) return NotFoundStatus();
  if (range.from_ms >= range.to_ms) return int64_t{0};
  return store_->Count(project, id, range);
}

Result<std::vector<ActionId>> ActionService::MatchedActions(ProjectId project,
                                                            const std::vector<ActionId>& actions,
                                                            int64_t timestamp_ms,
                                                            std::string_view uuid) const {
  std::vector<ActionId> matched;
  for (const ActionId id : actions) {
    ACTIOND_ASSIGN_OR_RETURN(const bool exists,
                             store_->MatchExists(project, id, timestamp_ms, uuid));
    if (exists) matched.push_back(id);
  }
  return matched;
}

Result<std::optional<BackfillProgress>> ActionService::Progress(ProjectId project,
                                                                ActionId id) const {
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           store_->GetMeta(BackfillMetaKey(project, id)));
  if (!bytes) return std::optional<BackfillProgress>();
  ACTIOND_ASSIGN_OR_RETURN(const BackfillState state, DecodeBackfillState(*bytes));
  BackfillProgress progress;
  progress.events_scanned = state.events_done;
  progress.events_total = std::max(state.events_total, state.events_done);
  return std::optional<BackfillProgress>(progress);
}

Result<PeoplePage> ActionService::People(ProjectId project, ActionId id, const TimeRange& range,
                                         size_t limit, size_t offset) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<std::string> json, store_->GetAction(project, id));
  if (!json) return NotFoundStatus();
  PeoplePage page;
  if (range.from_ms >= range.to_ms || limit == 0) return page;

  // Matches remember distinct ids; the person behind one is looked up now, so persons merged
  // since the match are listed once, as the person they became.
  std::unordered_set<std::string> seen_distinct_ids;
  std::unordered_set<std::string> seen_persons;
  size_t skipped = 0;
  Status lookup_error;
  ScanOptions scan;
  scan.range = range;
  ACTIOND_RETURN_IF_ERROR(store_->ScanMatches(
      project, id, scan, [&](int64_t, std::string_view, std::string_view distinct_id) {
        if (distinct_id.empty()) return true;
        if (!seen_distinct_ids.emplace(distinct_id).second) return true;
        auto person = store_->GetPersonByDistinctId(project, distinct_id);
        if (!person.ok()) {
          lookup_error = person.status();
          return false;
        }
        if (!person->has_value()) return true;
        if (!seen_persons.insert((*person)->uuid).second) return true;
        if (skipped < offset) {
          ++skipped;
          return true;
        }
        if (page.people.size() == limit) {
          page.has_more = true;
          return false;
        }
        page.people.push_back(std::move(**person));
        return true;
      }));
  ACTIOND_RETURN_IF_ERROR(lookup_error);
  return page;
}

Status ActionService::LoadAll() {
  ACTIOND_ASSIGN_OR_RETURN(std::vector<Project> projects, store_->ListProjects());
  size_t live = 0;
  for (const Project& project : projects) {
    ACTIOND_ASSIGN_OR_RETURN(auto actions, store_->ListActions(project.id));
    for (const auto& [id, json] : actions) {
      auto record = storage::DecodeActionRecord(project.id, id, json);
      if (!record.ok()) {
        if (log_) log_("action " + std::to_string(id) + " skipped: " + record.status().ToString());
        continue;
      }
      if (record->deleted) continue;
      auto compiled = engine::CompileAction(id, record->steps);
      if (!compiled.ok()) {
        if (log_) {
          log_("action " + std::to_string(id) + " of project " + std::to_string(project.id) +
               " no longer compiles and does not match: " + compiled.status().ToString());
        }
        continue;
      }
      catalog_->Put(project.id, std::move(*compiled));
      if (webhooks_ != nullptr) webhooks_->PutAction(project.id, *record);
      ++live;
    }
  }

  ACTIOND_ASSIGN_OR_RETURN(auto pending, store_->ListMeta(kBackfillMetaPrefix));
  size_t resumed = 0;
  for (const auto& [key, value] : pending) {
    ProjectId project = 0;
    ActionId id = 0;
    if (!ParseBackfillMetaKey(key, &project, &id)) continue;
    auto state = DecodeBackfillState(value);
    auto json = store_->GetAction(project, id);
    if (!state.ok() || !json.ok() || !json->has_value()) continue;
    auto record = storage::DecodeActionRecord(project, id, **json);
    if (!record.ok()) continue;
    auto compiled = engine::CompileAction(id, record->steps);
    if (!compiled.ok()) continue;
    worker_.Enqueue(project, id, state->job_id, std::move(*compiled));
    ++resumed;
  }
  if (log_) {
    log_("actions: " + std::to_string(live) + " live, " + std::to_string(resumed) +
         " backfills resumed");
  }
  if (options_.start_worker) worker_.Start();
  return Status::Ok();
}

}  // namespace actiond::service
