#include "api/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace actiond::api {

LogLine::~LogLine() {
  // A log line must never take the process down: an allocation failure loses the line.
  try {
    Write();
  } catch (...) {
  }
}

void LogLine::Write() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char prefix[64];
  const int n = std::snprintf(prefix, sizeof(prefix), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %c ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(millis), static_cast<char>(level_));
  std::string line(prefix, n > 0 ? static_cast<size_t>(n) : 0);
  line.append(stream_.str()).push_back('\n');
  // One write per line: stdio locks the stream, so concurrent lines stay whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace actiond::api
