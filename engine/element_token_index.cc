#include "engine/element_token_index.h"

#include <algorithm>
#include <cstring>

namespace actiond::engine {

namespace {

// Beyond this many distinct attribute names, comparing each chain attribute's name with them
// costs more than hashing it.
constexpr size_t kMaxComparedAttributeNames = 8;

constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;

uint64_t Mix(uint64_t hash, uint64_t word) noexcept {
  hash = (hash ^ word) * kMultiplier;
  return hash ^ (hash >> 32);
}

// Up to 8 bytes as one word, with fixed-size loads only: a variable-size memcpy here is a libc
// call, and that call was a third of hashing a chain. Overlapping loads are fine because the
// length is mixed in first.
uint64_t LoadShort(const char* bytes, size_t size) noexcept {
  if (size >= 4) {
    uint32_t low = 0;
    uint32_t high = 0;
    std::memcpy(&low, bytes, 4);
    std::memcpy(&high, bytes + size - 4, 4);
    return (uint64_t{high} << 32) | low;
  }
  if (size == 0) return 0;
  auto byte = [bytes](size_t i) { return uint64_t{static_cast<unsigned char>(bytes[i])}; };
  return (byte(0) << 16) | (byte(size >> 1) << 8) | byte(size - 1);
}

uint64_t MixBytes(uint64_t hash, std::string_view bytes) noexcept {
  hash = Mix(hash, bytes.size());
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = Mix(hash, word);
  }
  if (i < bytes.size()) {
    uint64_t word = 0;
    if (bytes.size() >= 8) {
      std::memcpy(&word, bytes.data() + bytes.size() - 8, 8);  // overlaps the previous word
    } else {
      word = LoadShort(bytes.data(), bytes.size());
    }
    hash = Mix(hash, word);
  }
  return hash;
}

// Seeded by the kind, so that the class "a" and the tag "a" differ.
uint64_t Hash(ElementToken::Kind kind, std::string_view value, std::string_view second) noexcept {
  uint64_t hash = MixBytes((static_cast<uint64_t>(kind) + 1) * kMultiplier, value);
  if (kind == ElementToken::Kind::kAttribute) hash = MixBytes(hash, second);
  hash *= kMultiplier;
  return hash ^ (hash >> 29);
}

// A few bits of a token that are cheap to read — kind, lengths, first and last bytes — spread
// over the quick filter's range. Equal tokens have equal classes, so a clear bit is a certain
// absence.
size_t QuickClass(ElementToken::Kind kind, std::string_view value,
                  std::string_view second) noexcept {
  auto edges = [](std::string_view s) -> uint32_t {
    if (s.empty()) return 0;
    return (uint32_t{static_cast<unsigned char>(s.front())} << 8) |
           static_cast<unsigned char>(s.back());
  };
  uint32_t key = (static_cast<uint32_t>(kind) << 24) ^ (static_cast<uint32_t>(value.size()) << 16) ^
                 edges(value);
  if (kind == ElementToken::Kind::kAttribute) {
    key = key * 0x9e3779b1u ^ (static_cast<uint32_t>(second.size()) << 16) ^ edges(second);
  }
  key *= 0x85ebca6bu;
  key ^= key >> 16;
  return key;
}

}  // namespace

uint32_t ElementTokenIndex::Add(const ElementToken& token) {
  auto [it, inserted] = ids_.try_emplace(std::make_tuple(token.kind, token.value, token.second),
                                         static_cast<uint32_t>(tokens_.size()));
  if (inserted) tokens_.push_back(token);
  return it->second;
}

void ElementTokenIndex::Build() {
  size_t capacity = 16;
  while (capacity < 2 * tokens_.size()) capacity *= 2;
  slots_.assign(capacity, Slot{});
  for (uint32_t id = 0; id < tokens_.size(); ++id) {
    const ElementToken& token = tokens_[id];
    kinds_ |= 1u << static_cast<unsigned>(token.kind);
    if (token.kind == ElementToken::Kind::kAttribute &&
        std::find(attribute_names_.begin(), attribute_names_.end(), token.value) ==
            attribute_names_.end()) {
      attribute_names_.push_back(token.value);
    }
    const size_t quick = QuickClass(token.kind, token.value, token.second) % kQuickBits;
    quick_[quick / 64] |= uint64_t{1} << (quick % 64);
    const uint64_t hash = Hash(token.kind, token.value, token.second);
    size_t slot = hash & (capacity - 1);
    while (slots_[slot].id_plus_one != 0) slot = (slot + 1) & (capacity - 1);
    slots_[slot] = Slot{hash, id + 1};
  }
  all_attribute_names_ = attribute_names_.size() > kMaxComparedAttributeNames;
}

bool ElementTokenIndex::WantedAttribute(std::string_view name) const noexcept {
  if (all_attribute_names_) return true;
  for (const std::string& wanted : attribute_names_) {
    if (wanted == name) return true;
  }
  return false;
}

void ElementTokenIndex::Lookup(ElementToken::Kind kind, std::string_view value,
                               std::string_view second, uint32_t epoch,
                               std::vector<uint32_t>* marks,
                               std::vector<uint32_t>* present) const noexcept {
  const size_t quick = QuickClass(kind, value, second) % kQuickBits;
  if ((quick_[quick / 64] & (uint64_t{1} << (quick % 64))) == 0) return;
  const uint64_t hash = Hash(kind, value, second);
  const size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask; slots_[slot].id_plus_one != 0; slot = (slot + 1) & mask) {
    if (slots_[slot].hash != hash) continue;
    const uint32_t id = slots_[slot].id_plus_one - 1;
    const ElementToken& token = tokens_[id];
    if (token.kind != kind || token.value != value || token.second != second) continue;
    if ((*marks)[id] != epoch) {
      (*marks)[id] = epoch;
      present->push_back(id);
    }
    return;
  }
}

void ElementTokenIndex::CollectPresent(const ElementList& elements, uint32_t epoch,
                                       std::vector<uint32_t>* marks,
                                       std::vector<uint32_t>* present) const noexcept {
  using Kind = ElementToken::Kind;
  if (tokens_.empty()) return;
  auto lookup = [&](Kind kind, std::string_view value, std::string_view second = {}) {
    Lookup(kind, value, second, epoch, marks, present);
  };
  for (size_t i = 0; i < elements.size(); ++i) {
    const Element& element = elements[i];
    if (Wanted(Kind::kTag)) lookup(Kind::kTag, element.tag);
    if (Wanted(Kind::kText)) lookup(Kind::kText, element.text);
    // Only an element that has an href: `[href=…]`, the one condition that requires an href
    // token, binds no other (docs/semantics.md §5).
    if (element.has_href && Wanted(Kind::kHref)) lookup(Kind::kHref, element.href);
    if (element.has_id && Wanted(Kind::kId)) lookup(Kind::kId, element.id);
    if (Wanted(Kind::kClass)) {
      for (std::string_view cls : elements.Classes(element)) lookup(Kind::kClass, cls);
    }
    if (!Wanted(Kind::kAttribute)) continue;
    for (const ElementAttribute& attribute : elements.Attributes(element)) {
      if (!attribute.raw) continue;  // no condition can test an unknown chain key
      if (!WantedAttribute(attribute.name)) continue;
      lookup(Kind::kAttribute, attribute.name, attribute.value);
    }
  }
}

}  // namespace actiond::engine
