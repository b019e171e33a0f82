// Logging through spdlog to stderr: one line per message (docs/operations.md §Logs).
//
//   ACTIOND_LOG(INFO) << "listening on " << endpoint;
//
// ConfigureLogging() picks the format once at start-up, before other threads run:
//   text  2026-01-02T03:04:05.678Z I listening on …      (UTC; level letter D, I, W or E)
//   json  {"ts":"2026-01-02T03:04:05.678Z","level":"info","msg":"listening on …"}
// and the least level written (debug, info, warning, error). Until it is called, lines are
// text at level info. spdlog writes each line with one write under its sink's lock, so lines
// from several threads do not interleave. Thread-safe. Not for hot paths (it allocates).
#pragma once

#include <initializer_list>
#include <sstream>
#include <string_view>
#include <utility>

#include "engine/status.h"

namespace actiond::api {

enum class LogLevel : char { kDebug = 'D', kInfo = 'I', kWarning = 'W', kError = 'E' };
enum class LogFormat { kText, kJson };

// kInvalidInput naming the allowed values when `format` or `level` is not one of them.
Status ConfigureLogging(std::string_view format, std::string_view level);
LogFormat CurrentLogFormat() noexcept;
bool LogEnabled(LogLevel level) noexcept;

// One line with extra fields: in JSON they are keys of their own next to "msg" (string values
// are escaped); in text they follow the message as ` key=value`. Field names are fixed by the
// caller, never by a client.
struct LogField {
  std::string_view key;
  std::string_view value;
};
void LogWithFields(LogLevel level, std::string_view message,
                   std::initializer_list<LogField> fields);

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
  LogLevel level_;
  std::ostringstream stream_;
};

}  // namespace actiond::api

#define ACTIOND_LOG_LEVEL_DEBUG ::actiond::api::LogLevel::kDebug
#define ACTIOND_LOG_LEVEL_INFO ::actiond::api::LogLevel::kInfo
#define ACTIOND_LOG_LEVEL_WARNING ::actiond::api::LogLevel::kWarning
#define ACTIOND_LOG_LEVEL_ERROR ::actiond::api::LogLevel::kError
#define ACTIOND_LOG(level) ::actiond::api::LogLine(ACTIOND_LOG_LEVEL_##level)
