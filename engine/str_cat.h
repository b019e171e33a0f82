// StrCat: one string from several pieces, sized once.
//
// Preferred over `"literal" + std::string(...)` chains: it allocates once, and it sidesteps a
// GCC 12 false positive (-Wrestrict inside std::operator+(const char*, std::string&&) when
// inlined at -O3, GCC bug 105329) that would otherwise fail the -Werror Release build.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace actiond::engine {

inline std::string StrCat(std::initializer_list<std::string_view> pieces) {
  size_t size = 0;
  for (std::string_view piece : pieces) size += piece.size();
  std::string out;
  out.reserve(size);
  for (std::string_view piece : pieces) out.append(piece);
  return out;
}

}  // namespace actiond::engine
