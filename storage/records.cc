#include "storage/records.h"

#include <tuple>

#include "storage/keys.h"

namespace actiond::storage {

namespace {

// Writes one field at a time, its encoding chosen by the field's type.
class Writer {
 public:
  Writer(std::string* out, unsigned char format) : out_(out) {
    out_->push_back(static_cast<char>(format));
  }

  void Put(int64_t value) {
    auto v = static_cast<uint64_t>(value);
    for (int i = 0; i < 8; ++i) {
      out_->push_back(static_cast<char>(v & 0xff));
      v >>= 8;
    }
  }
  void Put(bool value) { out_->push_back(value ? 1 : 0); }
  void Put(const std::string& value) {
    PutVarint(value.size());
    out_->append(value);
  }
  void Put(const std::vector<std::string>& values) {
    PutVarint(values.size());
    for (const auto& v : values) Put(v);
  }
  void Put(const std::vector<int64_t>& values) {
    PutVarint(values.size());
    for (int64_t v : values) Put(v);
  }

 private:
  void PutVarint(uint64_t value) {
    while (value >= 0x80) {
      out_->push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out_->push_back(static_cast<char>(value));
  }

  std::string* out_;
};

// Reads fields in order, each the inverse of Writer::Put for its type. The first failure
// sticks (later fields read as empty) so callers check once, in Finish.
class Reader {
 public:
  Reader(std::string_view in, unsigned char format) : in_(in) {
    if (in_.empty() || static_cast<unsigned char>(in_[0]) != format) {
      ok_ = false;
    } else {
      in_.remove_prefix(1);
    }
  }

  void Get(int64_t* value) {
    *value = 0;
    if (!Need(8)) return;
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in_[i]);
    in_.remove_prefix(8);
    *value = static_cast<int64_t>(v);
  }
  void Get(bool* value) {
    *value = false;
    if (!Need(1)) return;
    auto b = static_cast<unsigned char>(in_[0]);
    in_.remove_prefix(1);
    if (b > 1) ok_ = false;
    *value = b == 1;
  }
  void Get(std::string* value) {
    value->clear();
    uint64_t size = GetVarint();
    if (!Need(size)) return;
    value->assign(in_.substr(0, size));
    in_.remove_prefix(size);
  }
  template <typename Item>
  void Get(std::vector<Item>* values) {
    values->clear();
    uint64_t n = GetVarint();
    for (uint64_t i = 0; i < n && ok_; ++i) Get(&values->emplace_back());
  }

  Status Finish(std::string_view what) const {
    if (ok_ && in_.empty()) return Status::Ok();
    return Status(StatusCode::kCorruption, std::string("unreadable stored ") + std::string(what));
  }

 private:
  uint64_t GetVarint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!Need(1)) return 0;
      auto byte = static_cast<unsigned char>(in_[0]);
      in_.remove_prefix(1);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok_ = false;
    return 0;
  }

  bool Need(uint64_t n) {
    if (!ok_ || in_.size() < n) {
      ok_ = false;
      return false;
    }
    return true;
  }

  std::string_view in_;
  bool ok_ = true;
};

// The number of members of an aggregate: the most initialisers `T{...}` accepts. Lets each
// field table below be checked against its struct, so a member added to a record but not to
// its table fails to compile instead of being silently dropped from the store.
struct AnyMember {
  template <typename T>
  operator T() const;  // declared only: used in unevaluated code
};

template <typename T, typename... Initialisers>
constexpr size_t MemberCount() {
  if constexpr (requires { T{Initialisers{}..., AnyMember{}}; }) {
    return MemberCount<T, Initialisers..., AnyMember>();
  } else {
    return sizeof...(Initialisers);
  }
}

// Each record's fields in stored order: the one description that both Encode and Decode walk.
// The order is the stored format: changing a table needs a new kRecordFormat and a way to
// read records of the old one.
constexpr auto kProjectFieldsV1 =
    std::make_tuple(&Project::id, &Project::name, &Project::api_token, &Project::created_at);
constexpr auto kProjectFields =
    std::make_tuple(&Project::id, &Project::name, &Project::api_token, &Project::created_at,
                    &Project::slack_incoming_webhook);
constexpr auto kApiKeyFieldsV1 = std::make_tuple(
    &ApiKey::id, &ApiKey::label, &ApiKey::secure_value_hash, &ApiKey::scopes, &ApiKey::scoped_teams,
    &ApiKey::user_id, &ApiKey::created_at, &ApiKey::mask_value);
constexpr auto kApiKeyFields = std::make_tuple(
    &ApiKey::id, &ApiKey::label, &ApiKey::secure_value_hash, &ApiKey::scopes, &ApiKey::scoped_teams,
    &ApiKey::user_id, &ApiKey::created_at, &ApiKey::mask_value, &ApiKey::last_used_at);
constexpr auto kPersonFields =
    std::make_tuple(&Person::uuid, &Person::id, &Person::created_at, &Person::properties_json,
                    &Person::is_identified, &Person::distinct_ids);

constexpr auto kHookFields = std::make_tuple(&Hook::id, &Hook::project, &Hook::event, &Hook::target,
                                             &Hook::resource_id, &Hook::user_id, &Hook::created_at);
constexpr auto kDeliveryFields =
    std::make_tuple(&Delivery::id, &Delivery::action_id, &Delivery::hook_id, &Delivery::event_uuid,
                    &Delivery::target, &Delivery::body, &Delivery::created_ms, &Delivery::attempts,
                    &Delivery::next_attempt_ms, &Delivery::last_status, &Delivery::last_error);

static_assert(MemberCount<Project>() == std::tuple_size_v<decltype(kProjectFields)>);
static_assert(MemberCount<Hook>() == std::tuple_size_v<decltype(kHookFields)>);
static_assert(MemberCount<Delivery>() == std::tuple_size_v<decltype(kDeliveryFields)>);
static_assert(MemberCount<ApiKey>() == std::tuple_size_v<decltype(kApiKeyFields)>);
static_assert(MemberCount<Person>() == std::tuple_size_v<decltype(kPersonFields)>);

template <typename Record, typename FieldTable>
std::string Encode(const Record& record, const FieldTable& fields,
                   unsigned char format = kRecordFormat) {
  std::string out;
  Writer w(&out, format);
  // A comma fold runs left to right: fields are written in table order.
  std::apply([&](auto... member) { (w.Put(record.*member), ...); }, fields);
  return out;
}

template <typename Record, typename FieldTable>
Result<Record> Decode(std::string_view bytes, const FieldTable& fields, std::string_view what,
                      unsigned char format = kRecordFormat) {
  Reader r(bytes, format);
  Record record;
  std::apply([&](auto... member) { (r.Get(&(record.*member)), ...); }, fields);
  Status status = r.Finish(what);
  if (!status.ok()) return status;
  return record;
}

}  // namespace

std::string EncodeProject(const Project& project) {
  return Encode(project, kProjectFields, kProjectRecordFormat);
}

Result<Project> DecodeProject(std::string_view bytes) {
  if (!bytes.empty() && static_cast<unsigned char>(bytes[0]) == kRecordFormat) {
    return Decode<Project>(bytes, kProjectFieldsV1, "project");  // stored before format 2
  }
  return Decode<Project>(bytes, kProjectFields, "project", kProjectRecordFormat);
}

std::string EncodeHook(const Hook& hook) { return Encode(hook, kHookFields); }

Result<Hook> DecodeHook(std::string_view bytes) { return Decode<Hook>(bytes, kHookFields, "hook"); }

std::string EncodeDelivery(const Delivery& delivery) { return Encode(delivery, kDeliveryFields); }

Result<Delivery> DecodeDelivery(std::string_view bytes) {
  return Decode<Delivery>(bytes, kDeliveryFields, "webhook delivery");
}

std::string EncodeApiKey(const ApiKey& key) {
  return Encode(key, kApiKeyFields, kApiKeyRecordFormat);
}

Result<ApiKey> DecodeApiKey(std::string_view bytes) {
  if (!bytes.empty() && static_cast<unsigned char>(bytes[0]) == kRecordFormat) {
    return Decode<ApiKey>(bytes, kApiKeyFieldsV1, "api key");  // stored before format 2
  }
  return Decode<ApiKey>(bytes, kApiKeyFields, "api key", kApiKeyRecordFormat);
}

std::string EncodePerson(const Person& person) { return Encode(person, kPersonFields); }

Result<Person> DecodePerson(std::string_view bytes) {
  return Decode<Person>(bytes, kPersonFields, "person");
}

// Not a field table: the cursor is a key tail (order-preserving big-endian, uuid unprefixed).
std::string EncodeEventCursor(const EventCursor& cursor) {
  std::string out;
  keys::AppendI64(&out, cursor.timestamp_ms);
  out.append(cursor.uuid);
  return out;
}

Result<EventCursor> DecodeEventCursor(std::string_view bytes) {
  if (bytes.size() < 8) return Status(StatusCode::kCorruption, "unreadable stored event cursor");
  return EventCursor{keys::DecodeI64(bytes), std::string(bytes.substr(8))};
}

}  // namespace actiond::storage
