// Randomness for secrets and identifiers: project tokens, personal API keys, user uuids and
// event uuids the server makes. Bytes come from the kernel's CSPRNG (getrandom(2)).
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/capture_payload.h"

namespace actiond::service {

// engine::RandomSource over getrandom(2); stateless, so one instance may serve every thread.
class SystemRandom final : public engine::RandomSource {
 public:
  void Fill(uint8_t* out, size_t size) override;
};

// `prefix` + the URL-safe base64 of 32 random bytes (43 characters), as PostHog's
// generate_random_token (`secrets.token_urlsafe(32)`): `phc_…` project tokens, `phx_…` keys.
std::string RandomToken(std::string_view prefix);

// A random (version 4) uuid, lower-case 8-4-4-4-12.
std::string RandomUuidV4();

}  // namespace actiond::service
