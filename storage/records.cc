#include "storage/records.h"

#include "storage/keys.h"

namespace actiond::storage {

namespace {

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {
    out_->push_back(static_cast<char>(kRecordFormat));
  }

  void Int(int64_t value) {
    auto v = static_cast<uint64_t>(value);
    for (int i = 0; i < 8; ++i) {
      out_->push_back(static_cast<char>(v & 0xff));
      v >>= 8;
    }
  }
  void Bool(bool value) { out_->push_back(value ? 1 : 0); }
  void Varint(uint64_t value) {
    while (value >= 0x80) {
      out_->push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out_->push_back(static_cast<char>(value));
  }
  void String(std::string_view value) {
    Varint(value.size());
    out_->append(value);
  }
  void Strings(const std::vector<std::string>& values) {
    Varint(values.size());
    for (const auto& v : values) String(v);
  }
  void Ints(const std::vector<int64_t>& values) {
    Varint(values.size());
    for (int64_t v : values) Int(v);
  }

 private:
  std::string* out_;
};

// Reads fields in order; the first failure sticks so callers check once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {
    if (in_.empty() || static_cast<unsigned char>(in_[0]) != kRecordFormat) {
      ok_ = false;
    } else {
      in_.remove_prefix(1);
    }
  }

  int64_t Int() {
    if (!Need(8)) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in_[i]);
    in_.remove_prefix(8);
    return static_cast<int64_t>(v);
  }
  bool Bool() {
    if (!Need(1)) return false;
    unsigned char b = static_cast<unsigned char>(in_[0]);
    in_.remove_prefix(1);
    if (b > 1) ok_ = false;
    return b == 1;
  }
  uint64_t Varint() {
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
  std::string String() {
    uint64_t size = Varint();
    if (!Need(size)) return {};
    std::string out(in_.substr(0, size));
    in_.remove_prefix(size);
    return out;
  }
  std::vector<std::string> Strings() {
    std::vector<std::string> out;
    uint64_t n = Varint();
    for (uint64_t i = 0; i < n && ok_; ++i) out.push_back(String());
    return out;
  }
  std::vector<int64_t> Ints() {
    std::vector<int64_t> out;
    uint64_t n = Varint();
    for (uint64_t i = 0; i < n && ok_; ++i) out.push_back(Int());
    return out;
  }

  Status Finish(std::string_view what) const {
    if (ok_ && in_.empty()) return Status::Ok();
    return Status(StatusCode::kCorruption, std::string("unreadable stored ") + std::string(what));
  }

 private:
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

}  // namespace

std::string EncodeProject(const Project& project) {
  std::string out;
  Writer w(&out);
  w.Int(project.id);
  w.String(project.name);
  w.String(project.api_token);
  w.String(project.created_at);
  return out;
}

Result<Project> DecodeProject(std::string_view bytes) {
  Reader r(bytes);
  Project p;
  p.id = r.Int();
  p.name = r.String();
  p.api_token = r.String();
  p.created_at = r.String();
  ACTIOND_RETURN_IF_ERROR(r.Finish("project"));
  return p;
}

std::string EncodeApiKey(const ApiKey& key) {
  std::string out;
  Writer w(&out);
  w.Int(key.id);
  w.String(key.label);
  w.String(key.secure_value_hash);
  w.Strings(key.scopes);
  w.Ints(key.scoped_teams);
  w.Int(key.user_id);
  w.String(key.created_at);
  w.String(key.mask_value);
  return out;
}

Result<ApiKey> DecodeApiKey(std::string_view bytes) {
  Reader r(bytes);
  ApiKey k;
  k.id = r.Int();
  k.label = r.String();
  k.secure_value_hash = r.String();
  k.scopes = r.Strings();
  k.scoped_teams = r.Ints();
  k.user_id = r.Int();
  k.created_at = r.String();
  k.mask_value = r.String();
  ACTIOND_RETURN_IF_ERROR(r.Finish("api key"));
  return k;
}

std::string EncodePerson(const Person& person) {
  std::string out;
  Writer w(&out);
  w.String(person.uuid);
  w.Int(person.id);
  w.String(person.created_at);
  w.String(person.properties_json);
  w.Bool(person.is_identified);
  w.Strings(person.distinct_ids);
  return out;
}

Result<Person> DecodePerson(std::string_view bytes) {
  Reader r(bytes);
  Person p;
  p.uuid = r.String();
  p.id = r.Int();
  p.created_at = r.String();
  p.properties_json = r.String();
  p.is_identified = r.Bool();
  p.distinct_ids = r.Strings();
  ACTIOND_RETURN_IF_ERROR(r.Finish("person"));
  return p;
}

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
