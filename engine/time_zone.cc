#include "engine/time_zone.h"

#include <algorithm>

namespace actiond::engine {
namespace {

struct Counts {
  uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

uint32_t ReadU32(std::string_view b, size_t at) {
  return (uint32_t{static_cast<unsigned char>(b[at])} << 24) |
         (uint32_t{static_cast<unsigned char>(b[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(b[at + 2])} << 8) |
         uint32_t{static_cast<unsigned char>(b[at + 3])};
}

int64_t ReadI64(std::string_view b, size_t at) {
  const uint64_t hi = ReadU32(b, at);
  const uint64_t lo = ReadU32(b, at + 4);
  return static_cast<int64_t>((hi << 32) | lo);
}

bool ReadHeader(std::string_view b, size_t at, Counts* c) {
  if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return false;
  const size_t p = at + 20;
  *c = {ReadU32(b, p),      ReadU32(b, p + 4),  ReadU32(b, p + 8),
        ReadU32(b, p + 12), ReadU32(b, p + 16), ReadU32(b, p + 20)};
  return c->typecnt > 0 && c->typecnt <= 256 && c->timecnt <= 100'000;
}

// Bytes of a data block whose times are `time_size` bytes wide.
uint64_t BlockSize(const Counts& c, uint64_t time_size) {
  return c.timecnt * time_size + c.timecnt + c.typecnt * 6ULL + c.charcnt +
         c.leapcnt * (time_size + 4) + c.isstdcnt + c.isutcnt;
}

Status NotTzif() { return InvalidInput("Not a readable time zone file.", "timezone"); }

}  // namespace

TimeZone TimeZone::Utc() { return TimeZone(); }

bool TimeZone::IsValidName(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64) return false;
  size_t part_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/') {
      const std::string_view part = name.substr(part_start, i - part_start);
      if (part.empty() || part == "." || part == "..") return false;
      part_start = i + 1;
      continue;
    }
    const char c = name[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<TimeZone> TimeZone::FromTzif(std::string name, std::string_view bytes) {
  Counts c{};
  if (!ReadHeader(bytes, 0, &c)) return NotTzif();
  size_t data = 44;
  uint64_t time_size = 4;
  const char version = bytes[4];
  if (version >= '2') {
    const uint64_t v2_header = 44 + BlockSize(c, 4);
    if (v2_header > bytes.size() || !ReadHeader(bytes, v2_header, &c)) return NotTzif();
    data = v2_header + 44;
    time_size = 8;
  }
  if (data + BlockSize(c, time_size) > bytes.size()) return NotTzif();

  const size_t times_at = data;
  const size_t indices_at = times_at + c.timecnt * time_size;
  const size_t types_at = indices_at + c.timecnt;
  std::vector<int32_t> type_offsets(c.typecnt);
  for (uint32_t t = 0; t < c.typecnt; ++t) {
    type_offsets[t] = static_cast<int32_t>(ReadU32(bytes, types_at + t * 6ULL));
    if (type_offsets[t] < -89'999 || type_offsets[t] > 93'599) return NotTzif();  // RFC 8536
  }
  TimeZone zone;
  zone.name_ = std::move(name);
  zone.initial_offset_s_ = type_offsets[0];
  zone.transitions_ms_.reserve(c.timecnt);
  zone.offsets_s_.reserve(c.timecnt);
  for (uint32_t i = 0; i < c.timecnt; ++i) {
    const int64_t seconds = time_size == 8
                                ? ReadI64(bytes, times_at + i * 8ULL)
                                : static_cast<int32_t>(ReadU32(bytes, times_at + i * 4ULL));
    const auto index = static_cast<unsigned char>(bytes[indices_at + i]);
    if (index >= c.typecnt) return NotTzif();
    // Clamp far-past sentinels (-2^59 in some files) so that ms never overflows.
    const int64_t clamped = std::clamp<int64_t>(seconds, -(int64_t{1} << 50), int64_t{1} << 50);
    if (!zone.transitions_ms_.empty() && clamped * 1000 <= zone.transitions_ms_.back()) {
      return NotTzif();
    }
    zone.transitions_ms_.push_back(clamped * 1000);
    zone.offsets_s_.push_back(type_offsets[index]);
  }
  return zone;
}

bool TimeZone::is_utc() const noexcept {
  return initial_offset_s_ == 0 &&
         std::all_of(offsets_s_.begin(), offsets_s_.end(), [](int32_t o) { return o == 0; });
}

int64_t TimeZone::OffsetMs(int64_t utc_ms) const noexcept {
  // The last transition at or before utc_ms.
  const auto it = std::upper_bound(transitions_ms_.begin(), transitions_ms_.end(), utc_ms);
  if (it == transitions_ms_.begin()) return int64_t{initial_offset_s_} * 1000;
  return int64_t{offsets_s_[static_cast<size_t>(it - transitions_ms_.begin() - 1)]} * 1000;
}

int64_t TimeZone::LocalToUtcMs(int64_t local_ms) const noexcept {
  // The candidates are local_ms minus one of the offsets in force around it: try the offset
  // before and after, keep those that map back to local_ms, prefer the earlier instant.
  const int64_t day = 86'400'000;
  const int64_t before = OffsetMs(local_ms - day);
  const int64_t after = OffsetMs(local_ms + day);
  const int64_t a = local_ms - before;
  const int64_t b = local_ms - after;
  const bool a_ok = a + OffsetMs(a) == local_ms;
  const bool b_ok = b + OffsetMs(b) == local_ms;
  if (a_ok && b_ok) return std::min(a, b);
  if (a_ok) return a;
  if (b_ok) return b;
  // In a gap: it ends at the transition between the two candidates.
  const auto it = std::upper_bound(transitions_ms_.begin(), transitions_ms_.end(), std::min(a, b));
  return it != transitions_ms_.end() ? *it : std::max(a, b);
}

}  // namespace actiond::engine
