// Minimal logging to stderr: one line per message, prefixed with a UTC timestamp and a level.
//
//   ACTIOND_LOG(INFO) << "listening on " << endpoint;
//
// A line is formatted in a local buffer and written with one fwrite, so lines from several
// threads do not interleave. Thread-safe. Not for hot paths (it allocates).
#pragma once

#include <sstream>

namespace actiond::api {

enum class LogLevel : char { kInfo = 'I', kWarning = 'W', kError = 'E' };

class LogLine {
 public:
  explicit LogLine(LogLevel level) : level_(level) {}
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;
  ~LogLine();

  template <typename T>
  LogLine& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }

 private:
  void Write();

  LogLevel level_;
  std::ostringstream stream_;
};

}  // namespace actiond::api

#define ACTIOND_LOG_LEVEL_INFO ::actiond::api::LogLevel::kInfo
#define ACTIOND_LOG_LEVEL_WARNING ::actiond::api::LogLevel::kWarning
#define ACTIOND_LOG_LEVEL_ERROR ::actiond::api::LogLevel::kError
#define ACTIOND_LOG(level) ::actiond::api::LogLine(ACTIOND_LOG_LEVEL_##level)
