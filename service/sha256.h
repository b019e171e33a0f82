// SHA-256 (FIPS 180-4), self-contained, for hashing personal API keys before they are stored.
//
// Thread-safety: Sha256 objects are not shared; the free functions are pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace actiond::service {

using Sha256Digest = std::array<uint8_t, 32>;

// Incremental hashing: Update() any number of times, then Finish() once.
class Sha256 {
 public:
  Sha256() noexcept;
  void Update(std::string_view data) noexcept;
  Sha256Digest Finish() noexcept;

 private:
  void Compress(const uint8_t* block) noexcept;

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

Sha256Digest Sha256Of(std::string_view data) noexcept;
// Lower-case hex of the digest (64 characters): the form stored as ApiKey::secure_value_hash.
std::string Sha256Hex(std::string_view data);

}  // namespace actiond::service
