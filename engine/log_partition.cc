#include "engine/log_partition.h"

namespace actiond::engine {

int32_t LogPartitionOfToken(std::string_view token, int32_t partitions) {
  constexpr uint64_t kOffsetBasis = 14695981039346656037ULL;
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t hash = kOffsetBasis;
  for (const char c : token) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kPrime;
  }
  return partitions <= 1 ? 0 : static_cast<int32_t>(hash % static_cast<uint64_t>(partitions));
}

}  // namespace actiond::engine
