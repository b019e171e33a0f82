// StringMap<V>: an unordered map keyed by std::string that is looked up with a std::string_view
// without building a string (heterogeneous lookup), for the maps read once per event.
//
// Thread-safety: as std::unordered_map.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace actiond::engine {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace actiond::engine
