// Small UTF-8 helpers shared by validation code in every layer.
#pragma once

#include <cstddef>
#include <string_view>

namespace actiond::engine {

// The number of code points in valid UTF-8 `text` (bytes that are not continuation bytes), the
// length Django's max_length checks count.
inline size_t CountCodePoints(std::string_view text) noexcept {
  size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace actiond::engine
