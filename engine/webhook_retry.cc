#include "engine/webhook_retry.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "engine/date_time.h"

namespace actiond::engine {

DeliveryOutcome ClassifyHttpStatus(int status) noexcept {
  if (status >= 200 && status < 300) return DeliveryOutcome::kDelivered;
  if (status >= 400 && status < 500 && status != 408 && status != 429) {
    return DeliveryOutcome::kFinal;
  }
  return DeliveryOutcome::kRetry;
}

int64_t BackoffMs(int64_t failed_attempts, int64_t base_ms, double jitter) noexcept {
  int64_t delay = std::max<int64_t>(base_ms, 1);
  for (int64_t i = 1; i < failed_attempts && delay < kMaxBackoffMs; ++i) delay *= 3;
  delay = std::min(delay, kMaxBackoffMs);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return static_cast<int64_t>(static_cast<double>(delay) * (0.8 + 0.4 * jitter));
}

namespace {

bool ParseDigits(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// IMF-fixdate, RFC 9110 §5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`.
std::optional<int64_t> ParseImfFixdate(std::string_view text) {
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (month == kMonths.end()) return std::nullopt;
  char iso[] = "YYYY-MM-DDTHH:MM:SSZ";
  const int m = static_cast<int>(month - kMonths.begin()) + 1;
  std::copy_n(text.data() + 12, 4, iso);
  iso[5] = static_cast<char>('0' + m / 10);
  iso[6] = static_cast<char>('0' + m % 10);
  std::copy_n(text.data() + 5, 2, iso + 8);
  std::copy_n(text.data() + 17, 8, iso + 11);
  auto parsed = ParseIso8601(std::string_view(iso, sizeof(iso) - 1));
  if (!parsed) return std::nullopt;
  return parsed->epoch_ms;
}

}  // namespace

std::optional<int64_t> ParseRetryAfterMs(std::string_view value, int64_t now_ms) noexcept {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  int64_t seconds = 0;
  if (ParseDigits(value, &seconds)) {
    if (seconds < 0) return std::nullopt;
    return std::min(seconds, kMaxRetryAfterMs / 1000) * 1000;
  }
  std::optional<int64_t> at = ParseImfFixdate(value);
  if (!at) return std::nullopt;
  return std::clamp<int64_t>(*at - now_ms, 0, kMaxRetryAfterMs);
}

}  // namespace actiond::engine
