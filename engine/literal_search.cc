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

void LiteralSearch::BuildShiftAnd(Segment* segment) {
  const std::vector<uint32_t>& units = segment->units;
  segment->words = (units.size() + 63) / 64;
  segment->any_mask.assign(segment->words, 0);
  std::vector<std::pair<uint32_t, uint32_t>> all;
  for (uint32_t i = 0; i < units.size(); ++i) {
    if (units[i] == kAnyUnit) {
      segment->any_mask[i / 64] |= uint64_t{1} << (i % 64);
    } else {
      all.emplace_back(units[i], i);
    }
  }
  std::sort(all.begin(), all.end());
  for (size_t begin = 0; begin < all.size();) {
    size_t end = begin;
    while (end < all.size() && all[end].first == all[begin].first) ++end;
    if (end - begin >= segment->words) {  // frequent: at most 64 such units, a mask each
      const auto offset = static_cast<uint32_t>(segment->dense.size());
      segment->dense_units.emplace_back(all[begin].first, offset);
      segment->dense.resize(segment->dense.size() + segment->words, 0);
      for (size_t k = begin; k < end; ++k) {
        segment->dense[offset + all[k].second / 64] |= uint64_t{1} << (all[k].second % 64);
      }
    } else {
      segment->positions.insert(segment->positions.end(), all.begin() + begin, all.begin() + end);
    }
    begin = end;
  }
}

LiteralSearch LiteralSearch::Compile(std::string_view pattern, bool like, bool ignore_case) {
  LiteralSearch search;
  search.ignore_case_ = ignore_case;
  // `_` takes one code point, so a pattern with it compares code points, not bytes.
  search.code_points_ = ignore_case || (like && pattern.find('_') != std::string_view::npos);
  Segment current;
  bool has_any = false;
  auto flush = [&] {
    if (current.units.empty()) return;
    if (has_any) {
      BuildShiftAnd(&current);
    } else {
      BuildFailure(current.units, &current.failure);
    }
    search.segments_.push_back(std::move(current));
    current = Segment();
    has_any = false;
  };
  for (size_t i = 0; i < pattern.size();) {
    if (like && pattern[i] == '%') {
      flush();
      ++i;
    } else if (like && pattern[i] == '_') {
      current.units.push_back(kAnyUnit);
      has_any = true;
      ++i;
    } else if (search.code_points_) {
      const uint32_t code_point = NextCodePoint(pattern, &i);
      current.units.push_back(ignore_case ? FoldCodePoint(code_point) : code_point);
    } else {
      current.units.push_back(static_cast<unsigned char>(pattern[i++]));
    }
  }
  flush();
  return search;
}

uint32_t LiteralSearch::NextUnit(std::string_view text, size_t* pos) const noexcept {
  if (!code_points_) return static_cast<unsigned char>(text[(*pos)++]);
  const uint32_t code_point = NextCodePoint(text, pos);
  return ignore_case_ ? FoldCodePoint(code_point) : code_point;
}

bool LiteralSearch::FindKmp(const Segment& segment, std::string_view text,
                            size_t* pos) const noexcept {
  const size_t size = segment.units.size();
  size_t k = 0;
  while (*pos < text.size()) {
    const uint32_t unit = NextUnit(text, pos);
    while (k > 0 && segment.units[k] != unit) k = segment.failure[k - 1];
    if (segment.units[k] == unit) ++k;
    if (k == size) return true;
  }
  return false;
}

bool LiteralSearch::FindShiftAnd(const Segment& segment, std::string_view text,
                                 size_t* pos) const noexcept {
  thread_local std::vector<uint64_t> state;  // bit i: units[0..i] end at the current unit
  thread_local std::vector<uint64_t> shifted;
  const size_t words = segment.words;
  state.assign(words, 0);
  shifted.resize(words);
  const size_t last = segment.units.size() - 1;
  const uint64_t last_bit = uint64_t{1} << (last % 64);
  while (*pos < text.size()) {
    const uint32_t unit = NextUnit(text, pos);
    uint64_t carry = 1;  // a match may start at every unit
    for (size_t w = 0; w < words; ++w) {
      shifted[w] = (state[w] << 1) | carry;
      carry = state[w] >> 63;
    }
    auto dense = std::lower_bound(segment.dense_units.begin(), segment.dense_units.end(), unit,
                                  [](const std::pair<uint32_t, uint32_t>& entry, uint32_t value) {
                                    return entry.first < value;
                                  });
    if (dense != segment.dense_units.end() && dense->first == unit) {
      const uint64_t* mask = segment.dense.data() + dense->second;
      for (size_t w = 0; w < words; ++w) state[w] = shifted[w] & (segment.any_mask[w] | mask[w]);
    } else {
      for (size_t w = 0; w < words; ++w) state[w] = shifted[w] & segment.any_mask[w];
      auto it = std::lower_bound(segment.positions.begin(), segment.positions.end(), unit,
                                 [](const std::pair<uint32_t, uint32_t>& entry, uint32_t value) {
                                   return entry.first < value;
                                 });
      for (; it != segment.positions.end() && it->first == unit; ++it) {
        const uint32_t i = it->second;
        state[i / 64] |= shifted[i / 64] & (uint64_t{1} << (i % 64));
      }
    }
    if (state[last / 64] & last_bit) return true;
  }
  return false;
}

bool LiteralSearch::Matches(std::string_view text) const noexcept {
  size_t pos = 0;
  for (const Segment& segment : segments_) {
    // Each part is found at its earliest end after the previous one's: the `%` between them
    // takes any run, so the earliest choice leaves the most room for the rest.
    const bool found =
        segment.words > 0 ? FindShiftAnd(segment, text, &pos) : FindKmp(segment, text, &pos);
    if (!found) return false;
  }
  return true;
}

}  // namespace actiond::engine
