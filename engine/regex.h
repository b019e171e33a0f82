// The one place RE2 patterns are compiled: with a memory budget and a length cap, so that a
// pattern too costly to compile (`\pL{1000}`) is a validation error at create/update and never
// a stall or an unbounded allocation. Matching never compiles (docs/style.md §5).
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string_view>

#include "engine/status.h"

namespace actiond::engine {

inline constexpr size_t kMaxPatternBytes = 4096;
inline constexpr int64_t kRegexMaxMemBytes = 2 << 20;  // per compiled program

struct RegexOptions {
  bool case_insensitive = false;
  bool dot_matches_newline = false;
};

// Compiles `pattern` (RE2 syntax, UTF-8). Errors are InvalidInput with RE2's reason, or a
// message saying the pattern is too long or too costly.
Result<std::unique_ptr<const re2::RE2>> CompileRegex(std::string_view pattern,
                                                     RegexOptions options = {});

}  // namespace actiond::engine
