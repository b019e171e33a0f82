#include "api/http/base64.h"

#include <array>
#include <cstdint>

namespace actiond::api {
namespace {

constexpr int8_t kInvalid = -1;
constexpr int8_t kSkip = -2;
constexpr int8_t kPad = -3;

constexpr std::array<int8_t, 256> MakeTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  for (int i = 0; i < 26; ++i) {
    t['A' + i] = static_cast<int8_t>(i);
    t['a' + i] = static_cast<int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<int8_t>(52 + i);
  t['+'] = 62;
  t['-'] = 62;
  t[' '] = 62;
  t['/'] = 63;
  t['_'] = 63;
  t['\r'] = kSkip;
  t['\n'] = kSkip;
  t['\t'] = kSkip;
  t['='] = kPad;
  return t;
}

constexpr std::array<int8_t, 256> kTable = MakeTable();

}  // namespace

std::optional<std::string> Base64Decode(std::string_view text, size_t spare_capacity) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3 + spare_capacity);
  uint32_t acc = 0;
  int bits = 0;
  size_t digits = 0;
  bool padding = false;
  for (const char ch : text) {
    const int8_t v = kTable[static_cast<unsigned char>(ch)];
    if (v == kSkip) continue;
    if (v == kPad) {
      padding = true;
      continue;
    }
    if (v == kInvalid || padding) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++digits;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (digits % 4 == 1) return std::nullopt;  // 6 bits cannot make a byte
  return out;
}

}  // namespace actiond::api
