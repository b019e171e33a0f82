#include "storage/keys.h"

namespace actiond::storage::keys {

namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

uint64_t Id(int64_t id) { return static_cast<uint64_t>(id); }

}  // namespace

void AppendU64(std::string* dst, uint64_t value) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  dst->append(buf, 8);
}

// Flipping the sign bit maps INT64_MIN..INT64_MAX onto 0..UINT64_MAX monotonically.
void AppendI64(std::string* dst, int64_t value) {
  AppendU64(dst, static_cast<uint64_t>(value) ^ kSignBit);
}

uint64_t DecodeU64(std::string_view src) noexcept {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(src[i]);
  return value;
}

int64_t DecodeI64(std::string_view src) noexcept {
  return static_cast<int64_t>(DecodeU64(src) ^ kSignBit);
}

int64_t DayOf(int64_t ts_ms) noexcept {
  int64_t day = ts_ms / kMsPerDay;
  if (ts_ms % kMsPerDay < 0) --day;
  return day;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(out.back());
    if (last != 0xff) {
      ++last;
      return out;
    }
    out.pop_back();
  }
  return out;
}

void AppendProjectPrefix(std::string* dst, int64_t project) { AppendU64(dst, Id(project)); }

void AppendEventKey(std::string* dst, int64_t project, int64_t ts_ms, std::string_view uuid) {
  AppendU64(dst, Id(project));
  AppendI64(dst, ts_ms);
  dst->append(uuid);
}

void AppendEventIdKey(std::string* dst, int64_t project, std::string_view uuid) {
  AppendU64(dst, Id(project));
  dst->append(uuid);
}

void AppendMatchPrefix(std::string* dst, int64_t project, int64_t action) {
  AppendU64(dst, Id(project));
  AppendU64(dst, Id(action));
}

void AppendMatchKey(std::string* dst, int64_t project, int64_t action, int64_t ts_ms,
                    std::string_view uuid) {
  AppendMatchPrefix(dst, project, action);
  AppendI64(dst, ts_ms);
  dst->append(uuid);
}

void AppendActionTotalKey(std::string* dst, int64_t project, int64_t action) {
  AppendU64(dst, Id(project));
  dst->push_back(kActionCounterTag);
  AppendU64(dst, Id(action));
}

void AppendActionDayKey(std::string* dst, int64_t project, int64_t action, int64_t day) {
  AppendActionTotalKey(dst, project, action);
  AppendI64(dst, day);
}

void AppendEventsTotalKey(std::string* dst, int64_t project) {
  AppendU64(dst, Id(project));
  dst->push_back(kEventsTotalTag);
}

void AppendPersonsTotalKey(std::string* dst, int64_t project) {
  AppendU64(dst, Id(project));
  dst->push_back(kPersonsTotalTag);
}

void AppendPersonKey(std::string* dst, int64_t project, std::string_view person_uuid) {
  AppendU64(dst, Id(project));
  dst->push_back(kPersonByUuidTag);
  dst->append(person_uuid);
}

void AppendPersonIdPrefix(std::string* dst, int64_t project) {
  AppendU64(dst, Id(project));
  dst->push_back(kPersonByIdTag);
}

void AppendPersonIdKey(std::string* dst, int64_t project, int64_t person_id) {
  AppendPersonIdPrefix(dst, project);
  AppendU64(dst, Id(person_id));
}

void AppendDistinctIdKey(std::string* dst, int64_t project, std::string_view distinct_id) {
  AppendU64(dst, Id(project));
  dst->append(distinct_id);
}

void AppendActionKey(std::string* dst, int64_t project, int64_t action) {
  AppendU64(dst, Id(project));
  AppendU64(dst, Id(action));
}

void AppendProjectKey(std::string* dst, int64_t project) {
  dst->push_back(kProjectByIdTag);
  AppendU64(dst, Id(project));
}

void AppendProjectTokenKey(std::string* dst, std::string_view api_token) {
  dst->push_back(kProjectByTokenTag);
  dst->append(api_token);
}

void AppendApiKeyKey(std::string* dst, int64_t key_id) {
  dst->push_back(kApiKeyByIdTag);
  AppendU64(dst, Id(key_id));
}

void AppendApiKeyHashKey(std::string* dst, std::string_view secure_value_hash) {
  dst->push_back(kApiKeyByHashTag);
  dst->append(secure_value_hash);
}

void AppendHookKey(std::string* dst, int64_t project, std::string_view hook_id) {
  AppendU64(dst, Id(project));
  dst->append(hook_id);
}

void AppendDeliveryPrefix(std::string* dst, int64_t project, char state) {
  AppendU64(dst, Id(project));
  dst->push_back(state);
}

void AppendDeliveryKey(std::string* dst, int64_t project, char state, int64_t delivery_id) {
  AppendDeliveryPrefix(dst, project, state);
  AppendU64(dst, Id(delivery_id));
}

bool ParseDeliveryKey(std::string_view key, int64_t* project, char* state,
                      int64_t* delivery_id) noexcept {
  if (key.size() != 17) return false;
  *project = static_cast<int64_t>(DecodeU64(key));
  *state = key[8];
  *delivery_id = static_cast<int64_t>(DecodeU64(key.substr(9)));
  return true;
}

std::string SequenceKey(std::string_view name) {
  std::string key("s/");
  key.append(name);
  return key;
}

std::string CallerMetaKey(std::string_view key) {
  std::string out(kCallerMetaPrefix);
  out.append(key);
  return out;
}

std::string EventKey(int64_t project, int64_t ts_ms, std::string_view uuid) {
  std::string key;
  AppendEventKey(&key, project, ts_ms, uuid);
  return key;
}

std::string MatchKey(int64_t project, int64_t action, int64_t ts_ms, std::string_view uuid) {
  std::string key;
  AppendMatchKey(&key, project, action, ts_ms, uuid);
  return key;
}

std::string ActionDayKey(int64_t project, int64_t action, int64_t day) {
  std::string key;
  AppendActionDayKey(&key, project, action, day);
  return key;
}

bool ParseEventKey(std::string_view key, int64_t* project, int64_t* ts_ms,
                   std::string_view* uuid) noexcept {
  if (key.size() < 16) return false;
  *project = static_cast<int64_t>(DecodeU64(key));
  *ts_ms = DecodeI64(key.substr(8));
  *uuid = key.substr(16);
  return true;
}

bool ParseMatchKey(std::string_view key, int64_t* project, int64_t* action, int64_t* ts_ms,
                   std::string_view* uuid) noexcept {
  if (key.size() < 24) return false;
  *project = static_cast<int64_t>(DecodeU64(key));
  *action = static_cast<int64_t>(DecodeU64(key.substr(8)));
  *ts_ms = DecodeI64(key.substr(16));
  *uuid = key.substr(24);
  return true;
}

bool ParseActionDayKey(std::string_view key, int64_t* project, int64_t* action,
                       int64_t* day) noexcept {
  if (key.size() != 25 || key[8] != kActionCounterTag) return false;
  *project = static_cast<int64_t>(DecodeU64(key));
  *action = static_cast<int64_t>(DecodeU64(key.substr(9)));
  *day = DecodeI64(key.substr(17));
  return true;
}

}  // namespace actiond::storage::keys
