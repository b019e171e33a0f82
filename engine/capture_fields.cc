#include <limits>

#include "engine/capture_fields_internal.h"
#include "engine/date_time.h"
#include "engine/json_text_internal.h"

namespace actiond::engine {
namespace {

bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `YYYY-MM-DDTHH:MM:SS[.f…]±HH`: the one non-standard zone PostHog's parser normalises
// (to `±HH:00`) before reading ISO 8601.
bool HasBareHourZone(std::string_view text) noexcept {
  if (text.size() < 22) return false;
  const size_t n = text.size();
  if ((text[n - 3] != '+' && text[n - 3] != '-') || !IsDigit(text[n - 2]) ||
      !IsDigit(text[n - 1])) {
    return false;
  }
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !IsDigit(text[i]) : text[i] != kShape[i]) return false;
  }
  const size_t rest = kShape.size();
  if (rest == n - 3) return true;
  if (text[rest] != '.' || rest + 1 == n - 3) return false;
  for (size_t i = rest + 1; i < n - 3; ++i) {
    if (!IsDigit(text[i])) return false;
  }
  return n - 3 - (rest + 1) <= 9;
}

int64_t SaturatingAdd(int64_t a, int64_t b) noexcept {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return sum;
}

int64_t SaturatingSub(int64_t a, int64_t b) noexcept {
  int64_t difference;
  if (__builtin_sub_overflow(a, b, &difference)) {
    return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return difference;
}

}  // namespace

std::optional<int64_t> ParseCaptureTimestamp(std::string_view text) noexcept {
  if (auto parsed = ParseIso8601(text)) return parsed->epoch_ms;
  if (!HasBareHourZone(text)) return std::nullopt;
  char buffer[48];
  if (text.size() + 3 > sizeof(buffer)) return std::nullopt;
  text.copy(buffer, text.size());
  buffer[text.size()] = ':';
  buffer[text.size() + 1] = '0';
  buffer[text.size() + 2] = '0';
  if (auto parsed = ParseIso8601(std::string_view(buffer, text.size() + 3))) {
    return parsed->epoch_ms;
  }
  return std::nullopt;
}

int64_t ComputeEventTimestamp(std::optional<int64_t> timestamp_ms, std::optional<int64_t> offset_ms,
                              std::optional<int64_t> sent_at_ms, int64_t now_ms) noexcept {
  int64_t result = now_ms;
  if (offset_ms) {
    result = SaturatingSub(now_ms, *offset_ms);
  } else if (timestamp_ms && sent_at_ms) {
    // The client's clock may be off; what it measured is the delay between the event and
    // the send, so that delay is counted back from the server's clock.
    result = SaturatingAdd(now_ms, SaturatingSub(*timestamp_ms, *sent_at_ms));
  } else if (timestamp_ms) {
    result = *timestamp_ms;
  }
  if (SaturatingSub(result, now_ms) > kFutureEventCutoffMs) result = now_ms;
  if (result < kMinStoredTimestampMs || result >= kEndStoredTimestampMs) result = 0;
  return result;
}

bool NormalizeUuid(std::string_view text, std::string* out) {
  std::string_view hex = text;
  bool hyphenated;
  if (text.size() == 32) {
    hyphenated = false;
  } else if (text.size() == 36) {
    hyphenated = true;
  } else if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
    hex = text.substr(1, 36);
    hyphenated = true;
  } else if (text.size() == 45 && text.substr(0, 9) == "urn:uuid:") {
    hex = text.substr(9);
    hyphenated = true;
  } else {
    return false;
  }
  out->clear();
  size_t digits = 0;
  for (size_t i = 0; i < hex.size(); ++i) {
    if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (hex[i] != '-') return false;
      continue;
    }
    const int value = HexValue(hex[i]);
    if (value < 0) return false;
    if (digits == 8 || digits == 12 || digits == 16 || digits == 20) out->push_back('-');
    out->push_back("0123456789abcdef"[value]);
    ++digits;
  }
  return true;
}

void MakeUuidV7(int64_t now_ms, const uint8_t random[10], std::string* out) {
  uint8_t bytes[16];
  const auto millis = static_cast<uint64_t>(now_ms);
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(millis >> (8 * (5 - i)));
  bytes[6] = static_cast<uint8_t>(0x70 | (random[0] & 0x0F));
  bytes[7] = random[1];
  bytes[8] = static_cast<uint8_t>(0x80 | (random[2] & 0x3F));
  for (int i = 9; i < 16; ++i) bytes[i] = random[i - 6];
  out->clear();
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    out->push_back("0123456789abcdef"[bytes[i] >> 4]);
    out->push_back("0123456789abcdef"[bytes[i] & 0x0F]);
  }
}

bool DistinctIdFromJson(simdjson::dom::element value, std::string* out) {
  out->clear();
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    out->assign(text);
  } else {
    AppendJsJson(value, out);
  }
  // NUL cannot be stored in every downstream system; PostHog swaps it for U+FFFD.
  for (size_t at = out->find('\0'); at != std::string::npos; at = out->find('\0', at + 3)) {
    out->replace(at, 1, "\xEF\xBF\xBD");
  }
  size_t code_points = 0;
  for (size_t i = 0; i < out->size(); ++i) {
    if ((static_cast<unsigned char>((*out)[i]) & 0xC0) == 0x80) continue;  // continuation
    if (code_points == kMaxDistinctIdCodePoints) {
      out->resize(i);
      break;
    }
    ++code_points;
  }
  return !out->empty();
}

void AppendJsString(simdjson::dom::element value, std::string* out) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      out->append(std::string_view(value.get_string().value_unsafe()));
      break;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      AppendJsNumber(value.get_double().value_unsafe(), out);
      break;
    case simdjson::dom::element_type::BOOL:
      out->append(value.get_bool().value_unsafe() ? "true" : "false");
      break;
    case simdjson::dom::element_type::NULL_VALUE:
      out->append("null");
      break;
    case simdjson::dom::element_type::OBJECT:
      out->append("[object Object]");
      break;
    case simdjson::dom::element_type::ARRAY: {
      bool first = true;
      const simdjson::dom::array items = value.get_array().value_unsafe();  // not a temporary
      for (simdjson::dom::element item : items) {
        if (!first) out->push_back(',');
        first = false;
        if (!item.is_null()) AppendJsString(item, out);  // [null] joins as ""
      }
      break;
    }
  }
}

}  // namespace actiond::engine
