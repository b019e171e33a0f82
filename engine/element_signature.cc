#include "engine/element_signature.h"

namespace actiond::engine {

namespace {

// FNV-1a seeded by the token kind, so that the class "a" and the tag "a" set different bits.
uint64_t Hash(ElementSignature::Token kind, std::string_view value,
              std::string_view second) noexcept {
  uint64_t hash = 0xcbf29ce484222325ULL ^ (static_cast<uint64_t>(kind) + 1) * 0x9e3779b97f4a7c15ULL;
  auto mix = [&hash](std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash ^= c;
      hash *= 0x100000001b3ULL;
    }
  };
  mix(value);
  if (kind == ElementSignature::Token::kAttribute) {
    hash ^= 0xff;  // a separator no UTF-8 text contains: ("ab","c") ≠ ("a","bc")
    hash *= 0x100000001b3ULL;
    mix(second);
  }
  return hash ^ (hash >> 29);
}

}  // namespace

void ElementSignature::Add(Token kind, std::string_view value, std::string_view second) noexcept {
  // Two bits per token (k = 2): a step that needs two absent tokens slips through a quarter-full
  // filter well under 1% of the time.
  uint64_t hash = Hash(kind, value, second);
  for (int probe = 0; probe < 2; ++probe) {
    unsigned bit = static_cast<unsigned>(hash % (kWords * 64));
    bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
    hash >>= 16;
  }
}

ElementSignature ElementSignature::Of(const ElementList& elements) noexcept {
  ElementSignature signature;
  for (size_t i = 0; i < elements.size(); ++i) {
    const Element& element = elements[i];
    signature.Add(Token::kTag, element.tag);
    signature.Add(Token::kText, element.text);
    signature.Add(Token::kHref, element.href);
    if (element.has_id) signature.Add(Token::kId, element.id);
    for (std::string_view cls : elements.Classes(element)) signature.Add(Token::kClass, cls);
    for (const ElementAttribute& attribute : elements.Attributes(element)) {
      if (!attribute.raw) continue;  // no condition can test an unknown chain key
      signature.Add(Token::kAttribute, attribute.name, attribute.value);
    }
  }
  return signature;
}

}  // namespace actiond::engine
