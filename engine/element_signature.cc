#include "engine/element_signature.h"

#include <cstring>

namespace actiond::engine {

namespace {

constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;

uint64_t Mix(uint64_t hash, uint64_t word) noexcept {
  hash = (hash ^ word) * kMultiplier;
  return hash ^ (hash >> 32);
}

// Eight bytes at a time (the byte-at-a-time FNV-1a this replaced was most of a chain's
// signature cost); the length goes in first so that ("ab","c") and ("a","bc") differ.
uint64_t MixBytes(uint64_t hash, std::string_view bytes) noexcept {
  hash = Mix(hash, bytes.size());
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = Mix(hash, word);
  }
  if (i < bytes.size()) {
    uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, bytes.size() - i);
    hash = Mix(hash, word);
  }
  return hash;
}

// Seeded by the token kind, so that the class "a" and the tag "a" set different bits.
uint64_t Hash(ElementSignature::Token kind, std::string_view value,
              std::string_view second) noexcept {
  uint64_t hash = MixBytes((static_cast<uint64_t>(kind) + 1) * kMultiplier, value);
  if (kind == ElementSignature::Token::kAttribute) hash = MixBytes(hash, second);
  hash *= kMultiplier;
  return hash ^ (hash >> 29);
}

}  // namespace

void ElementSignature::Add(Token kind, std::string_view value, std::string_view second) noexcept {
  // Two bits per token (k = 2): a step that needs two absent tokens slips through a quarter-full
  // filter well under 1% of the time.
  kinds_ |= 1u << static_cast<unsigned>(kind);
  uint64_t hash = Hash(kind, value, second);
  for (int probe = 0; probe < 2; ++probe) {
    unsigned bit = static_cast<unsigned>(hash % (kWords * 64));
    bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
    hash >>= 16;
  }
}

ElementSignature ElementSignature::Of(const ElementList& elements, Kinds kinds) noexcept {
  auto wanted = [kinds](Token kind) { return (kinds & (1u << static_cast<unsigned>(kind))) != 0; };
  ElementSignature signature;
  for (size_t i = 0; i < elements.size(); ++i) {
    const Element& element = elements[i];
    if (wanted(Token::kTag)) signature.Add(Token::kTag, element.tag);
    if (wanted(Token::kText)) signature.Add(Token::kText, element.text);
    if (wanted(Token::kHref)) signature.Add(Token::kHref, element.href);
    if (element.has_id && wanted(Token::kId)) signature.Add(Token::kId, element.id);
    if (wanted(Token::kClass)) {
      for (std::string_view cls : elements.Classes(element)) signature.Add(Token::kClass, cls);
    }
    if (!wanted(Token::kAttribute)) continue;
    for (const ElementAttribute& attribute : elements.Attributes(element)) {
      if (!attribute.raw) continue;  // no condition can test an unknown chain key
      signature.Add(Token::kAttribute, attribute.name, attribute.value);
    }
  }
  return signature;
}

}  // namespace actiond::engine
