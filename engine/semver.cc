#include "engine/semver.h"

namespace actiond::engine {
namespace {

// Compares two digit strings without leading zeros as numbers.
int CompareDigits(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::optional<SemVer> ParseSemVer(std::string_view text) noexcept {
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == 'v' || text[pos] == 'V')) ++pos;
  std::string_view parts[3];
  int count = 0;
  while (true) {
    const size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;  // empty part: "", "v", "1.", "1..2", "x"
    std::string_view digits = text.substr(start, pos - start);
    while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
    parts[count++] = digits;
    if (pos == text.size() || text[pos] != '.') break;
    if (count == 3) return std::nullopt;  // a fourth numeric part
    ++pos;
  }
  if (pos != text.size() && text[pos] != '-' && text[pos] != '+') return std::nullopt;
  // The tail after `-` or `+` must not be empty: `1.2-` and `1.2.3+` are unparseable.
  if (pos + 1 == text.size()) return std::nullopt;
  return SemVer{parts[0], parts[1], parts[2]};
}

int CompareSemVer(const SemVer& a, const SemVer& b) noexcept {
  if (int c = CompareDigits(a.major, b.major); c != 0) return c;
  if (int c = CompareDigits(a.minor, b.minor); c != 0) return c;
  return CompareDigits(a.patch, b.patch);
}

}  // namespace actiond::engine
