#include "storage/write_batch.h"

#include "storage/keys.h"
#include "storage/write_batch_rep.h"

namespace actiond::storage {

WriteBatch::WriteBatch(const BatchTarget& target) : rep_(std::make_unique<Rep>()) {
  rep_->cfs = &target.column_families();
}

WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

void WriteBatch::PutEvent(ProjectId project, int64_t timestamp_ms, std::string_view uuid,
                          std::string_view record_json) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendEventKey(&r.key, project, timestamp_ms, uuid);
  r.Put(Cf::kEvents, r.key, record_json);
  r.key.clear();
  keys::AppendEventIdKey(&r.key, project, uuid);
  r.value.clear();
  keys::AppendI64(&r.value, timestamp_ms);
  r.Put(Cf::kEventIds, r.key, r.value);
  r.key.clear();
  keys::AppendEventsTotalKey(&r.key, project);
  r.AddToCounter(r.key, 1);
}

void WriteBatch::PutPerson(ProjectId project, const Person& person, PersonWrite kind) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendPersonKey(&r.key, project, person.uuid);
  r.Put(Cf::kPersons, r.key, EncodePerson(person));
  r.key.clear();
  keys::AppendPersonIdKey(&r.key, project, person.id);
  r.Put(Cf::kPersons, r.key, person.uuid);
  if (kind == PersonWrite::kCreate) {
    r.key.clear();
    keys::AppendPersonsTotalKey(&r.key, project);
    r.AddToCounter(r.key, 1);
  }
}

void WriteBatch::DeletePerson(ProjectId project, const Person& person) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendPersonKey(&r.key, project, person.uuid);
  r.Delete(Cf::kPersons, r.key);
  r.key.clear();
  keys::AppendPersonIdKey(&r.key, project, person.id);
  r.Delete(Cf::kPersons, r.key);
  r.key.clear();
  keys::AppendPersonsTotalKey(&r.key, project);
  r.AddToCounter(r.key, -1);
}

void WriteBatch::PutDistinctId(ProjectId project, std::string_view distinct_id,
                               std::string_view person_uuid) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendDistinctIdKey(&r.key, project, distinct_id);
  r.Put(Cf::kDistinctIds, r.key, person_uuid);
}

void WriteBatch::DeleteDistinctId(ProjectId project, std::string_view distinct_id) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendDistinctIdKey(&r.key, project, distinct_id);
  r.Delete(Cf::kDistinctIds, r.key);
}

void WriteBatch::AddMatch(ProjectId project, ActionId action, int64_t timestamp_ms,
                          std::string_view uuid, std::string_view distinct_id) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendMatchKey(&r.key, project, action, timestamp_ms, uuid);
  r.Put(Cf::kMatches, r.key, distinct_id);
  r.key.clear();
  keys::AppendActionTotalKey(&r.key, project, action);
  r.AddToCounter(r.key, 1);
  keys::AppendI64(&r.key, keys::DayOf(timestamp_ms));  // the total key is the day key's prefix
  r.AddToCounter(r.key, 1);
}

void WriteBatch::DeleteAllMatches(ProjectId project, ActionId action) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendMatchPrefix(&r.key, project, action);
  r.DeletePrefix(Cf::kMatches, r.key);
  r.key.clear();
  keys::AppendActionTotalKey(&r.key, project, action);
  r.DeletePrefix(Cf::kCounters, r.key);
}

void WriteBatch::PutAction(ProjectId project, ActionId action, std::string_view json) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendActionKey(&r.key, project, action);
  r.Put(Cf::kActions, r.key, json);
}

void WriteBatch::DeleteAction(ProjectId project, ActionId action) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendActionKey(&r.key, project, action);
  r.Delete(Cf::kActions, r.key);
}

void WriteBatch::PutProject(const Project& project) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendProjectKey(&r.key, project.id);
  r.Put(Cf::kProjects, r.key, EncodeProject(project));
  r.key.clear();
  keys::AppendProjectTokenKey(&r.key, project.api_token);
  r.value.clear();
  keys::AppendU64(&r.value, static_cast<uint64_t>(project.id));
  r.Put(Cf::kProjects, r.key, r.value);
}

void WriteBatch::PutApiKey(const ApiKey& key) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendApiKeyKey(&r.key, key.id);
  r.Put(Cf::kApiKeys, r.key, EncodeApiKey(key));
  r.key.clear();
  keys::AppendApiKeyHashKey(&r.key, key.secure_value_hash);
  r.value.clear();
  keys::AppendU64(&r.value, static_cast<uint64_t>(key.id));
  r.Put(Cf::kApiKeys, r.key, r.value);
}

void WriteBatch::DeleteApiKey(const ApiKey& key) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendApiKeyKey(&r.key, key.id);
  r.Delete(Cf::kApiKeys, r.key);
  r.key.clear();
  keys::AppendApiKeyHashKey(&r.key, key.secure_value_hash);
  r.Delete(Cf::kApiKeys, r.key);
}

void WriteBatch::PutHook(const Hook& hook) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendHookKey(&r.key, hook.project, hook.id);
  r.Put(Cf::kHooks, r.key, EncodeHook(hook));
}

void WriteBatch::DeleteHook(ProjectId project, std::string_view hook_id) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendHookKey(&r.key, project, hook_id);
  r.Delete(Cf::kHooks, r.key);
}

void WriteBatch::PutDelivery(ProjectId project, DeliveryState state, const Delivery& delivery) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendDeliveryKey(&r.key, project, static_cast<char>(state), delivery.id);
  r.Put(Cf::kDeliveries, r.key, EncodeDelivery(delivery));
}

void WriteBatch::DeleteDelivery(ProjectId project, DeliveryState state, int64_t delivery_id) {
  Rep& r = *rep_;
  r.key.clear();
  keys::AppendDeliveryKey(&r.key, project, static_cast<char>(state), delivery_id);
  r.Delete(Cf::kDeliveries, r.key);
}

void WriteBatch::PutMeta(std::string_view key, std::string_view value) {
  Rep& r = *rep_;
  r.key.assign(keys::kCallerMetaPrefix).append(key);
  r.Put(Cf::kMeta, r.key, value);
}

void WriteBatch::DeleteMeta(std::string_view key) {
  Rep& r = *rep_;
  r.key.assign(keys::kCallerMetaPrefix).append(key);
  r.Delete(Cf::kMeta, r.key);
}

size_t WriteBatch::Count() const { return static_cast<size_t>(rep_->Sealed().Count()); }

size_t WriteBatch::ByteSize() const { return rep_->Sealed().GetDataSize(); }

void WriteBatch::Clear() {
  rep_->batch.Clear();
  rep_->counters.Clear();
  rep_->status = Status::Ok();
}

const Status& WriteBatch::status() const {
  rep_->Sealed();  // recording the pending counter additions is where a last error can occur
  return rep_->status;
}

}  // namespace actiond::storage
