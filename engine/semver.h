// Semantic versions as docs/semantics.md §8.7 reads them, for the semver_* filter operators.
//
// Grammar: optional `v`/`V`, then one to three dot-separated non-negative integers (missing
// parts are 0, leading zeros allowed, any size), then optionally a tail starting with `-`
// (pre-release) or `+` (build) that is ignored. Four or more numeric parts, or anything else,
// is unparseable. Thread-safe, allocation-free.
#pragma once

#include <optional>
#include <string_view>

namespace actiond::engine {

// Parts are views into the parsed text with leading zeros removed ("" is 0), so that numbers
// of any length compare exactly; a SemVer lives as long as that text.
struct SemVer {
  std::string_view major, minor, patch;
};

std::optional<SemVer> ParseSemVer(std::string_view text) noexcept;

// Negative, zero or positive as a < b, a == b, a > b (numerically, part by part).
int CompareSemVer(const SemVer& a, const SemVer& b) noexcept;

}  // namespace actiond::engine
