#include "engine/date_time.h"

#include <algorithm>
#include <cmath>

namespace actiond::engine {
namespace {

constexpr int64_t kMillisPerHour = 3'600'000;
constexpr int64_t kMillisPerMinute = 60'000;

bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at text[*pos]; advances *pos.
bool ReadDigits(std::string_view text, size_t* pos, int count, int* value) noexcept {
  if (*pos + static_cast<size_t>(count) > text.size()) return false;
  int v = 0;
  for (int i = 0; i < count; ++i) {
    char c = text[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += count;
  *value = v;
  return true;
}

bool Consume(std::string_view text, size_t* pos, char c) noexcept {
  if (*pos < text.size() && text[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

int64_t FloorDiv(int64_t a, int64_t b) noexcept {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void AppendPadded(int64_t value, int width, std::string* out) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(buf[--n]);
}

}  // namespace

int64_t DaysFromCivil(CivilDate date) noexcept {
  const int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;                          // [0, 399]
  const int64_t mp = (date.month + 9) % 12;                   // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + date.day - 1;      // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) noexcept {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  CivilDate date;
  date.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  date.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  date.year = yoe + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

int DaysInMonth(int64_t year, int month) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

int64_t UtcDay(int64_t epoch_ms) noexcept { return FloorDiv(epoch_ms, kMillisPerDay); }

std::optional<ParsedDateTime> ParseIso8601(std::string_view text) noexcept {
  size_t pos = 0;
  int year, month, day;
  if (!ReadDigits(text, &pos, 4, &year) || !Consume(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Consume(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  ParsedDateTime result;
  const int64_t days = DaysFromCivil(CivilDate{year, month, day});
  if (pos == text.size()) {
    result.epoch_ms = days * kMillisPerDay;
    result.epoch_us = result.epoch_ms * kMicrosPerMilli;
    result.date_only = true;
    return result;
  }
  const char separator = text[pos++];
  if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
  int hour, minute, second = 0, micros = 0;
  if (!ReadDigits(text, &pos, 2, &hour) || !Consume(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute)) {
    return std::nullopt;
  }
  if (Consume(text, &pos, ':')) {
    if (!ReadDigits(text, &pos, 2, &second)) return std::nullopt;
    if (Consume(text, &pos, '.')) {
      int digits = 0;
      for (; pos < text.size() && IsDigit(text[pos]); ++pos, ++digits) {
        if (digits < 6) micros = micros * 10 + (text[pos] - '0');  // past the sixth: truncated
      }
      if (digits == 0) return std::nullopt;
      for (int i = digits; i < 6; ++i) micros *= 10;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int64_t offset_ms = 0;
  if (pos < text.size()) {
    const char zone = text[pos++];
    if (zone == 'Z' || zone == 'z') {
      // UTC
    } else if (zone == '+' || zone == '-') {
      int offset_hours, offset_minutes = 0;
      if (!ReadDigits(text, &pos, 2, &offset_hours)) return std::nullopt;
      if (pos < text.size()) {  // ±hh alone ends the text; else ±hh:mm or ±hhmm
        Consume(text, &pos, ':');
        if (!ReadDigits(text, &pos, 2, &offset_minutes)) return std::nullopt;
      }
      if (offset_hours > 23 || offset_minutes > 59) return std::nullopt;
      offset_ms = offset_hours * kMillisPerHour + offset_minutes * kMillisPerMinute;
      if (zone == '-') offset_ms = -offset_ms;
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t whole_ms = days * kMillisPerDay + hour * kMillisPerHour +
                           minute * kMillisPerMinute + second * kMillisPerSecond - offset_ms;
  result.epoch_us = whole_ms * kMicrosPerMilli + micros;
  result.epoch_ms = FloorDiv(result.epoch_us, kMicrosPerMilli);
  return result;
}

std::optional<int64_t> EpochNumberToMillis(double n) noexcept {
  if (!std::isfinite(n)) return std::nullopt;
  // Seconds are rounded to the millisecond so that binary noise (x.123 * 1000 = x122.99…) does
  // not shift them; milliseconds are floored like any instant within its millisecond.
  const double millis = std::fabs(n) < 1e11 ? std::round(n * 1000.0) : std::floor(n);
  if (std::fabs(millis) > static_cast<double>(kMaxEpochMillis)) return std::nullopt;
  return static_cast<int64_t>(millis);
}

std::optional<int64_t> EpochNumberToMicros(double n) noexcept {
  if (!std::isfinite(n)) return std::nullopt;
  const double micros = std::fabs(n) < 1e11 ? std::round(n * 1e6) : std::round(n * 1e3);
  if (std::fabs(micros) > static_cast<double>(kMaxEpochMillis) * 1e3) return std::nullopt;
  return static_cast<int64_t>(micros);
}

std::optional<RelativeDate> ParseRelativeDate(std::string_view text) noexcept {
  // "-" digits unit
  if (text.size() < 3 || text.front() != '-' || text.size() > 8) return std::nullopt;
  RelativeDate relative;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (!IsDigit(text[i])) return std::nullopt;
    relative.amount = relative.amount * 10 + (text[i] - '0');
  }
  switch (text.back()) {
    case 'h':
      relative.unit = RelativeDate::Unit::kHour;
      break;
    case 'd':
      relative.unit = RelativeDate::Unit::kDay;
      break;
    case 'w':
      relative.unit = RelativeDate::Unit::kWeek;
      break;
    case 'm':
      relative.unit = RelativeDate::Unit::kMonth;
      break;
    case 'y':
      relative.unit = RelativeDate::Unit::kYear;
      break;
    default:
      return std::nullopt;
  }
  return relative;
}

int64_t SubtractRelativeMicros(int64_t reference_ms, RelativeDate relative) noexcept {
  constexpr int64_t kLimitMs = kMaxEpochMillis + kMillisPerDay;
  const int64_t ms = std::clamp(SubtractRelative(reference_ms, relative), -kLimitMs, kLimitMs);
  return ms * kMicrosPerMilli;
}

int64_t SubtractRelative(int64_t reference_ms, RelativeDate relative) noexcept {
  switch (relative.unit) {
    case RelativeDate::Unit::kHour:
      return reference_ms - relative.amount * kMillisPerHour;
    case RelativeDate::Unit::kDay:
      return reference_ms - relative.amount * kMillisPerDay;
    case RelativeDate::Unit::kWeek:
      return reference_ms - relative.amount * 7 * kMillisPerDay;
    case RelativeDate::Unit::kMonth:
    case RelativeDate::Unit::kYear:
      break;
  }
  const int64_t day = UtcDay(reference_ms);
  const int64_t time_of_day = reference_ms - day * kMillisPerDay;
  CivilDate date = CivilFromDays(day);
  const int64_t months_back =
      relative.unit == RelativeDate::Unit::kYear ? relative.amount * 12 : relative.amount;
  const int64_t month_index = date.year * 12 + (date.month - 1) - months_back;
  date.year = FloorDiv(month_index, 12);
  date.month = static_cast<int>(month_index - date.year * 12) + 1;
  const int last = DaysInMonth(date.year, date.month);
  if (date.day > last) date.day = last;
  return DaysFromCivil(date) * kMillisPerDay + time_of_day;
}

void AppendIso8601(int64_t epoch_ms, std::string* out) {
  const int64_t day = UtcDay(epoch_ms);
  int64_t ms_of_day = epoch_ms - day * kMillisPerDay;
  const CivilDate date = CivilFromDays(day);
  if (date.year >= 0 && date.year <= 9999) {
    AppendPadded(date.year, 4, out);
  } else {
    out->push_back(date.year < 0 ? '-' : '+');
    AppendPadded(date.year < 0 ? -date.year : date.year, 6, out);
  }
  out->push_back('-');
  AppendPadded(date.month, 2, out);
  out->push_back('-');
  AppendPadded(date.day, 2, out);
  out->push_back('T');
  AppendPadded(ms_of_day / kMillisPerHour, 2, out);
  ms_of_day %= kMillisPerHour;
  out->push_back(':');
  AppendPadded(ms_of_day / kMillisPerMinute, 2, out);
  ms_of_day %= kMillisPerMinute;
  out->push_back(':');
  AppendPadded(ms_of_day / kMillisPerSecond, 2, out);
  out->push_back('.');
  AppendPadded(ms_of_day % kMillisPerSecond, 3, out);
  out->push_back('Z');
}

std::string FormatIso8601(int64_t epoch_ms) {
  std::string out;
  out.reserve(24);
  AppendIso8601(epoch_ms, &out);
  return out;
}

}  // namespace actiond::engine
