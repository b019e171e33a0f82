#include "engine/literal_search.h"

#include <algorithm>
#include <iterator>

namespace actiond::engine {
namespace {

struct FoldPair {
  uint32_t from;
  uint32_t to;
};

constexpr FoldPair kFolds[] = {
#include "engine/case_fold_table.inc"
};

// Decodes the code point at text[*i] and advances *i. A byte that does not start a valid
// sequence becomes a value above U+10FFFF, so that it equals no pattern code point but itself.
uint32_t NextCodePoint(std::string_view text, size_t* i) noexcept {
  const auto lead = static_cast<unsigned char>(text[*i]);
  if (lead < 0x80) {
    ++*i;
    return lead;
  }
  const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || *i + length > text.size()) {
    ++*i;
    return 0x110000u + lead;
  }
  uint32_t code_point = lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[*i + k]);
    if ((next & 0xC0) != 0x80) {
      ++*i;
      return 0x110000u + lead;
    }
    code_point = (code_point << 6) | (next & 0x3F);
  }
  *i += length;
  return code_point;
}

void BuildFailure(const std::vector<uint32_t>& units, std::vector<uint32_t>* failure) {
  failure->assign(units.size(), 0);
  uint32_t k = 0;
  for (size_t i = 1; i < units.size(); ++i) {
    while (k > 0 && units[i] != units[k]) k = (*failure)[k - 1];
    if (units[i] == units[k]) ++k;
    (*failure)[i] = k;
  }
}

}  // namespace

uint32_t FoldCodePoint(uint32_t code_point) noexcept {
  if (code_point < 0x80) {
    return (code_point >= 'A' && code_point <= 'Z') ? code_point + 32 : code_point;
  }
  const FoldPair* it =
      std::lower_bound(std::begin(kFolds), std::end(kFolds), code_point,
                       [](const FoldPair& pair, uint32_t value) { return pair.from < value; });
  return (it != std::end(kFolds) && it->from == code_point) ? it->to : code_point;
}

LiteralSearch LiteralSearch::Compile(std::string_view pattern, bool like, bool ignore_case) {
  LiteralSearch search;
  search.ignore_case_ = ignore_case;
  Segment current;
  auto flush = [&] {
    if (current.units.empty()) return;
    BuildFailure(current.units, &current.failure);
    search.segments_.push_back(std::move(current));
    current = Segment();
  };
  for (size_t i = 0; i < pattern.size();) {
    if (like && pattern[i] == '%') {
      flush();
      ++i;
      continue;
    }
    if (ignore_case) {
      current.units.push_back(FoldCodePoint(NextCodePoint(pattern, &i)));
    } else {
      current.units.push_back(static_cast<unsigned char>(pattern[i++]));
    }
  }
  flush();
  return search;
}

bool LiteralSearch::Matches(std::string_view text) const noexcept {
  size_t pos = 0;
  for (const Segment& segment : segments_) {
    // Each part is found at its earliest end after the previous one's: the `%` between them
    // takes any run, so the earliest choice leaves the most room for the rest.
    const size_t size = segment.units.size();
    size_t k = 0;
    bool found = false;
    while (pos < text.size()) {
      const uint32_t unit = ignore_case_ ? FoldCodePoint(NextCodePoint(text, &pos))
                                         : static_cast<unsigned char>(text[pos++]);
      while (k > 0 && segment.units[k] != unit) k = segment.failure[k - 1];
      if (segment.units[k] == unit) ++k;
      if (k == size) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace actiond::engine
