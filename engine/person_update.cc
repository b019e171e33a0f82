#include "engine/person_update.h"

#include <simdjson.h>

#include <array>

#include "engine/json_object_builder.h"
#include "engine/json_parse.h"

namespace actiond::engine {
namespace {

bool IsEmptyObjectText(std::string_view json) noexcept { return json.empty() || json == "{}"; }

// Decodes the UTF-8 code point at text[*i] and advances *i; input is valid UTF-8.
uint32_t NextCodePoint(std::string_view text, size_t* i) noexcept {
  const auto lead = static_cast<unsigned char>(text[*i]);
  int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (*i + length > text.size()) length = 1;  // truncated: take the byte alone
  uint32_t code_point = length == 1   ? lead
                        : length == 2 ? lead & 0x1F
                        : length == 3 ? lead & 0x0F
                                      : lead & 0x07;
  for (int k = 1; k < length; ++k) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[*i + k]) & 0x3F);
  }
  *i += length;
  return code_point;
}

// The WhiteSpace and LineTerminator code points String.prototype.trim() removes.
bool IsJsWhitespace(uint32_t c) noexcept {
  static constexpr uint32_t kSingles[] = {0x20,   0xA0,   0x1680, 0x2028, 0x2029,
                                          0x202F, 0x205F, 0x3000, 0xFEFF};
  if ((c >= 0x09 && c <= 0x0D) || (c >= 0x2000 && c <= 0x200A)) return true;
  for (uint32_t single : kSingles) {
    if (c == single) return true;
  }
  return false;
}

bool IsJsBlank(std::string_view text) noexcept {
  for (size_t i = 0; i < text.size();) {
    if (!IsJsWhitespace(NextCodePoint(text, &i))) return false;
  }
  return true;
}

bool EqualsAsciiLowercase(std::string_view text, std::string_view lower) noexcept {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

constexpr std::array<std::string_view, 10> kCaseInsensitiveIllegalIds = {
    "anonymous",         "guest", "distinctid", "distinct_id", "id",
    "not_authenticated", "email", "undefined",  "true",        "false"};
constexpr std::array<std::string_view, 6> kCaseSensitiveIllegalIds = {
    "[object Object]", "NaN", "None", "none", "null", "0"};

bool IsIllegalWord(std::string_view id) noexcept {
  for (std::string_view word : kCaseInsensitiveIllegalIds) {
    if (EqualsAsciiLowercase(id, word)) return true;
  }
  for (std::string_view word : kCaseSensitiveIllegalIds) {
    if (id == word) return true;
  }
  return false;
}

}  // namespace

class PersonPropertyUpdaterImpl {
 public:
  // Parses `json` (empty = {}) and hands its object to `use`.
  template <typename Use>
  Status WithObject(std::string_view json, std::string_view what, Use use) {
    if (IsEmptyObjectText(json)) return Status::Ok();
    simdjson::dom::object object;
    simdjson::dom::element root;
    if (ParseJson(parser_, json, &root, &scratch_) != simdjson::SUCCESS ||
        root.get_object().get(object) != simdjson::SUCCESS) {
      return InvalidInput(std::string(what) + " is not a JSON object");
    }
    use(object);
    return Status::Ok();
  }

  simdjson::dom::parser parser_;
  std::string scratch_;  // a document rewritten by ParseJson (json_parse.h)
  JsonObjectBuilder builder_;
};

PersonPropertyUpdater::PersonPropertyUpdater()
    : impl_(std::make_unique<PersonPropertyUpdaterImpl>()) {}
PersonPropertyUpdater::~PersonPropertyUpdater() = default;

bool PersonPropertyUpdater::HasUpdates(std::string_view set_json, std::string_view set_once_json,
                                       const std::vector<std::string>& unset_keys) noexcept {
  return !IsEmptyObjectText(set_json) || !IsEmptyObjectText(set_once_json) || !unset_keys.empty();
}

Result<bool> PersonPropertyUpdater::ApplyPersonUpdates(std::string_view current_json,
                                                       std::string_view set_json,
                                                       std::string_view set_once_json,
                                                       const std::vector<std::string>& unset_keys,
                                                       std::string* out) {
  out->clear();
  if (!HasUpdates(set_json, set_once_json, unset_keys)) {
    out->assign(current_json.empty() ? std::string_view("{}") : current_json);
    return false;
  }
  JsonObjectBuilder& builder = impl_->builder_;
  builder.Clear();
  size_t changes = 0;
  // The builder copies what it keeps, so one parser serves the three documents in turn.
  ACTIOND_RETURN_IF_ERROR(impl_->WithObject(current_json, "the person's properties",
                                            [&](simdjson::dom::object o) { builder.Assign(o); }));
  ACTIOND_RETURN_IF_ERROR(
      impl_->WithObject(set_once_json, "$set_once",
                        [&](simdjson::dom::object o) { changes += builder.AssignAbsent(o); }));
  ACTIOND_RETURN_IF_ERROR(impl_->WithObject(
      set_json, "$set", [&](simdjson::dom::object o) { changes += builder.Assign(o); }));
  for (const std::string& key : unset_keys) {
    if (builder.Remove(key)) ++changes;
  }
  builder.AppendJson(out);
  return changes > 0;
}

Status PersonPropertyUpdater::MergePersonProperties(std::string_view target_json,
                                                    std::string_view source_json,
                                                    std::string* out) {
  out->clear();
  JsonObjectBuilder& builder = impl_->builder_;
  builder.Clear();
  ACTIOND_RETURN_IF_ERROR(impl_->WithObject(target_json, "the target person's properties",
                                            [&](simdjson::dom::object o) { builder.Assign(o); }));
  ACTIOND_RETURN_IF_ERROR(
      impl_->WithObject(source_json, "the source person's properties",
                        [&](simdjson::dom::object o) { builder.AssignAbsent(o); }));
  builder.AppendJson(out);
  return Status::Ok();
}

bool IsMergeableDistinctId(std::string_view id) noexcept {
  auto never_merges = [](std::string_view text) { return IsJsBlank(text) || IsIllegalWord(text); };
  if (never_merges(id)) return false;
  // Any never-merge id wrapped in double quotes, blank ones included (`""`, `" "`).
  if (id.size() >= 2 && id.front() == '"' && id.back() == '"' &&
      never_merges(id.substr(1, id.size() - 2))) {
    return false;
  }
  return true;
}

}  // namespace actiond::engine
