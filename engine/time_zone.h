// TimeZone: UTC offsets of an IANA time zone, read from its compiled TZif file (RFC 8536), for
// the count series' local days and hours (docs/api.md §9 "Counts over time").
//
// Why not std::chrono: GCC 12's libstdc++ has no std::chrono::tzdb (locate_zone arrived in
// GCC 13/14), and localtime_r reads the process-wide TZ variable, which threads cannot set
// each. So the service reads /usr/share/zoneinfo/<name> and hands its bytes here.
//
// What is read: the 64-bit (version 2+) transition table when present, else the 32-bit one.
// Before the first transition the first time type applies; after the last listed transition its
// offset stays. The TZif footer (the POSIX TZ rule for times after the table) is not read:
// Debian's tzdata is built "fat", with transitions listed through 2037, so the table covers
// every date the API is asked about until then (docs/api.md §9 says so).
//
// Errors: FromTzif returns kInvalidInput (attr `timezone`) for bytes that are not a TZif file.
// Thread-safety: immutable after construction; any number of threads may read it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace actiond::engine {

class TimeZone {
 public:
  // UTC: offset 0 at every instant.
  static TimeZone Utc();
  static Result<TimeZone> FromTzif(std::string name, std::string_view bytes);
  // An IANA name a file may be looked up by: 1-64 bytes of [A-Za-z0-9_+-] in `/`-separated
  // parts, none empty, "." or "..", and not starting with `/`. Nothing else is ever opened.
  static bool IsValidName(std::string_view name) noexcept;

  const std::string& name() const noexcept { return name_; }
  // True when the offset is 0 at every instant (UTC, Etc/UTC, …): UTC days are its days.
  bool is_utc() const noexcept;
  // Milliseconds to add to a UTC instant to get the local wall-clock time.
  int64_t OffsetMs(int64_t utc_ms) const noexcept;
  // The UTC instant of a local wall-clock time (ms since 1970-01-01 as if the zone were UTC).
  // A time the clocks skipped (a spring-forward gap) gives the instant the gap ends; a time
  // they repeated gives its first (earlier) instant.
  int64_t LocalToUtcMs(int64_t local_ms) const noexcept;

 private:
  std::string name_ = "UTC";
  std::vector<int64_t> transitions_ms_;  // ascending
  std::vector<int32_t> offsets_s_;       // offsets_s_[i] applies from transitions_ms_[i]
  int32_t initial_offset_s_ = 0;         // before the first transition
};

}  // namespace actiond::engine
