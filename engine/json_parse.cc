#include "engine/json_parse.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "engine/json_text.h"

namespace actiond::engine {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Whether the number `token` is beyond the range of a double (1e400); underflow is not.
bool OverflowsDouble(std::string_view token) {
  const std::string text(token);
  errno = 0;
  const double value = std::strtod(text.c_str(), nullptr);
  return errno == ERANGE && std::isinf(value);
}

// Objects up to this size are checked pairwise; larger ones through a hash table of their keys.
// Pairwise costs n²/2 string compares, which at the 20-60 keys of a typical event's properties
// was most of the time spent reading a record (docs/performance.md "CPU per ingested event").
constexpr size_t kPairwiseKeys = 4;

// A key's hash from its length and its first and last eight bytes: a few instructions, where
// hashing every byte was a third of the check's time. Keys alike in those bytes only cost a
// full comparison when they land together.
uint64_t KeyHash(std::string_view key) {
  uint64_t head = 0;
  uint64_t tail = 0;
  const size_t size = key.size();
  if (size >= 8) {
    std::memcpy(&head, key.data(), 8);
    std::memcpy(&tail, key.data() + size - 8, 8);
  } else if (size > 0) {
    std::memcpy(&head, key.data(), size);
  }
  const uint64_t hash = (head * 0x9E3779B97F4A7C15ULL) ^ ((tail + size) * 0xC2B2AE3D27D4EB4FULL);
  return hash ^ (hash >> 29);
}

struct KeyScratch {
  std::vector<std::string_view> keys;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> slots;  // open addressing: index of the key + 1; 0 is empty
};

bool ObjectHasDuplicateKeys(simdjson::dom::object object, KeyScratch* s) {
  const size_t size = object.size();
  if (size < 2) return false;
  s->keys.clear();
  for (auto field : object) s->keys.push_back(field.key);
  const std::vector<std::string_view>& keys = s->keys;
  if (keys.size() <= kPairwiseKeys) {
    for (size_t i = 1; i < keys.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (keys[i] == keys[j]) return true;
      }
    }
    return false;
  }
  // At most half full, so a probe run stays short; only keys of equal hash are compared.
  const size_t capacity = std::bit_ceil(keys.size() * 2);
  const size_t mask = capacity - 1;
  s->slots.assign(capacity, 0);
  s->hashes.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const uint64_t hash = KeyHash(keys[i]);
    s->hashes[i] = hash;
    size_t pos = hash & mask;
    while (const uint32_t slot = s->slots[pos]) {
      if (s->hashes[slot - 1] == hash && keys[slot - 1] == keys[i]) return true;
      pos = (pos + 1) & mask;
    }
    s->slots[pos] = static_cast<uint32_t>(i + 1);
  }
  return false;
}

bool HasDuplicateKeysIn(simdjson::dom::element value, KeyScratch* keys) {
  simdjson::dom::array array;
  simdjson::dom::object object;
  if (value.get_array().get(array) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : array) {
      if (HasDuplicateKeysIn(item, keys)) return true;
    }
  } else if (value.get_object().get(object) == simdjson::SUCCESS) {
    if (ObjectHasDuplicateKeys(object, keys)) return true;
    for (auto field : object) {
      if (HasDuplicateKeysIn(field.value, keys)) return true;
    }
  }
  return false;
}

void AppendNumber(simdjson::dom::element value, std::string* out) {
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  if (value.get_int64().get(i) == simdjson::SUCCESS) {
    out->append(std::to_string(i));
  } else if (value.get_uint64().get(u) == simdjson::SUCCESS) {
    out->append(std::to_string(u));
  } else if (value.get_double().get(d) == simdjson::SUCCESS) {
    AppendJsNumber(d, out);  // shortest round-trip digits: reads back as the same double
  }
}

}  // namespace

void WidenBigIntegers(std::string_view json, std::string* out) {
  out->reserve(out->size() + json.size() + 16);
  size_t i = 0;
  while (i < json.size()) {
    char c = json[i];
    if (c == '"') {  // copy a string literal whole, escapes included
      size_t end = i + 1;
      while (end < json.size() && json[end] != '"') end += (json[end] == '\\') ? 2 : 1;
      end = std::min(end + 1, json.size());
      out->append(json.substr(i, end - i));
      i = end;
      continue;
    }
    if (IsDigit(c) || c == '-') {
      // A whole number token: -?digits(.digits)?([eE][+-]?digits)? — the fraction and exponent
      // digits belong to it and must not be read as integers of their own.
      size_t end = i + (c == '-' ? 1 : 0);
      const size_t digits_begin = end;
      while (end < json.size() && IsDigit(json[end])) ++end;
      const size_t digits = end - digits_begin;
      bool is_integer = true;
      if (end < json.size() && json[end] == '.') {
        is_integer = false;
        ++end;
        while (end < json.size() && IsDigit(json[end])) ++end;
      }
      if (end < json.size() && (json[end] == 'e' || json[end] == 'E')) {
        is_integer = false;
        ++end;
        if (end < json.size() && (json[end] == '+' || json[end] == '-')) ++end;
        while (end < json.size() && IsDigit(json[end])) ++end;
      }
      const std::string_view token = json.substr(i, end - i);
      i = end;  // at least the sign or one digit was consumed
      if (digits > 0 && OverflowsDouble(token)) {
        // JSON.parse reads it as ±Infinity, which JSON cannot hold: JSON.stringify writes
        // null, and so does this.
        out->append("null");
        continue;
      }
      out->append(token);
      // 19 digits may already overflow int64; a decimal of any length reads as a double.
      if (is_integer && digits > 18) out->append(".0");
      continue;
    }
    out->push_back(c);
    ++i;
  }
}

bool HasDuplicateKeys(simdjson::dom::element value) {
  thread_local KeyScratch keys;
  return HasDuplicateKeysIn(value, &keys);
}

void AppendWithoutDuplicateKeys(simdjson::dom::element value, std::string* out) {
  simdjson::dom::array array;
  simdjson::dom::object object;
  std::string_view text;
  bool boolean = false;
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY: {
      if (value.get_array().get(array) != simdjson::SUCCESS) return;
      out->push_back('[');
      bool first = true;
      for (simdjson::dom::element item : array) {
        if (!first) out->push_back(',');
        first = false;
        AppendWithoutDuplicateKeys(item, out);
      }
      out->push_back(']');
      return;
    }
    case simdjson::dom::element_type::OBJECT: {
      if (value.get_object().get(object) != simdjson::SUCCESS) return;
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      std::unordered_map<std::string_view, size_t> last;
      for (auto field : object) {
        last[field.key] = fields.size();
        fields.emplace_back(field.key, field.value);
      }
      out->push_back('{');
      bool first = true;
      for (size_t k = 0; k < fields.size(); ++k) {
        auto it = last.find(fields[k].first);
        if (it == last.end()) continue;  // written already, at its first position
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(fields[k].first, out);
        out->push_back(':');
        AppendWithoutDuplicateKeys(fields[it->second].second, out);
        last.erase(it);
      }
      out->push_back('}');
      return;
    }
    case simdjson::dom::element_type::STRING:
      if (value.get_string().get(text) != simdjson::SUCCESS) return;
      AppendJsonString(text, out);
      return;
    case simdjson::dom::element_type::BOOL:
      if (value.get_bool().get(boolean) != simdjson::SUCCESS) return;
      out->append(boolean ? "true" : "false");
      return;
    case simdjson::dom::element_type::NULL_VALUE:
      out->append("null");
      return;
    default:
      AppendNumber(value, out);
      return;
  }
}

namespace {

// One parse of `text` into `document` (the parser's own when null), retried once with big
// integer literals widened (into *scratch, which `text` may itself be).
simdjson::error_code ParseWidening(simdjson::dom::parser& parser, simdjson::dom::document* document,
                                   std::string_view text, simdjson::dom::element* root,
                                   std::string* scratch) {
  auto parse = [&](std::string_view json) {
    return document != nullptr ? parser.parse_into_document(*document, json.data(), json.size())
                               : parser.parse(json.data(), json.size());
  };
  simdjson::error_code error = parse(text).get(*root);
  if (error != simdjson::NUMBER_ERROR) return error;
  std::string widened;
  WidenBigIntegers(text, &widened);
  scratch->swap(widened);
  return parse(*scratch).get(*root);
}

}  // namespace

simdjson::error_code ParseJson(simdjson::dom::parser& parser, std::string_view json,
                               simdjson::dom::element* root, std::string* scratch,
                               JsonOrigin origin, simdjson::dom::document* document) {
  simdjson::error_code error = ParseWidening(parser, document, json, root, scratch);
  if (error != simdjson::SUCCESS || origin == JsonOrigin::kWrittenFromParsedJson ||
      !HasDuplicateKeys(*root)) {
    return error;
  }
  // The parsed tree lives in parser memory, not in the text, so it can be written out before
  // the parser reads the rewrite. Doubles are written in their shortest form, which may be an
  // integer literal beyond 64 bits again (1e20): the rewrite is widened like any input.
  std::string deduplicated;
  deduplicated.reserve(json.size());
  AppendWithoutDuplicateKeys(*root, &deduplicated);
  scratch->swap(deduplicated);
  return ParseWidening(parser, document, *scratch, root, scratch);
}

}  // namespace actiond::engine
