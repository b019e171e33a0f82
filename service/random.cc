#include "service/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace actiond::service {

void SystemRandom::Fill(uint8_t* out, size_t size) {
  while (size > 0) {
    const ssize_t n = ::getrandom(out, size, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // Without a CSPRNG no secret can be made safely; this never happens on Linux ≥ 3.17.
      std::fprintf(stderr, "actiond: getrandom failed, errno %d\n", errno);  // api/log is above us
      std::abort();
    }
    out += n;
    size -= static_cast<size_t>(n);
  }
}

std::string RandomToken(std::string_view prefix) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint8_t bytes[33] = {};  // 32 random bytes, plus a zero pad for the last 3-byte group
  SystemRandom().Fill(bytes, 32);
  std::string out(prefix);
  // 32 bytes → 43 characters (no padding): 10 full groups of 3, then 2 bytes → 3 characters.
  for (size_t i = 0; i < 32; i += 3) {
    const uint32_t group = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) |
                           (i + 2 < 32 ? uint32_t{bytes[i + 2]} : 0);
    const size_t chars = i + 2 < 32 ? 4 : 3;
    for (size_t c = 0; c < chars; ++c) out.push_back(kAlphabet[(group >> (18 - 6 * c)) & 63]);
  }
  return out;
}

std::string RandomUuidV4() {
  uint8_t b[16];
  SystemRandom().Fill(b, sizeof b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 15]);
  }
  return out;
}

}  // namespace actiond::service
