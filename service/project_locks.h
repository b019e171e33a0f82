// One writer at a time per project.
//
// Ingestion (dedupe by uuid, person read-modify-write, match, commit), action changes (reset
// matches, swap the compiled set) and each backfill chunk (match-if-absent, commit) all check
// stored state and then write it. Holding the project's lock across check and commit is what
// makes a uuid stored and counted once and keeps a backfill from double-counting events that
// live matching already counted. Reads never take it.
//
// Projects hash onto a fixed array of mutexes: two projects may share a stripe (harmless: they
// only wait for each other), and the array never grows, so taking a lock never allocates.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>

namespace actiond::service {

class ProjectLocks {
 public:
  std::mutex& For(int64_t project) noexcept {
    return stripes_[static_cast<uint64_t>(project) % kStripes];
  }

 private:
  static constexpr size_t kStripes = 64;
  std::array<std::mutex, kStripes> stripes_;
};

}  // namespace actiond::service
