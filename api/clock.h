// The wall clock, read in one place: handlers stamp created_at and receipt times with it, and
// pass the value down (engine/, storage/ and service/ never read a clock themselves). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace actiond::api {

// Milliseconds since the Unix epoch, UTC.
inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace actiond::api
