#include "api/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <string>

#include "engine/json_text.h"
#include "engine/str_cat.h"

namespace actiond::api {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

spdlog::level::level_enum ToSpd(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarning:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

// The one logger: stderr, unbuffered by spdlog, the message formatted by us (the pattern adds
// only the time and level). Built on first use, so lines logged before ConfigureLogging work.
spdlog::logger& Logger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto made = std::make_shared<spdlog::logger>("actiond",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %L %v", spdlog::pattern_time_type::utc);
    made->set_level(spdlog::level::info);
    made->flush_on(spdlog::level::debug);  // every line reaches stderr at once
    return made;
  }();
  return *logger;
}

// The JSON text of one line after the time and level: "msg":"…" plus the fields.
std::string JsonBody(std::string_view message, std::initializer_list<LogField> fields) {
  std::string out = "\"msg\":";
  engine::AppendJsonString(message, &out);
  for (const LogField& field : fields) {
    out.push_back(',');
    engine::AppendJsonString(field.key, &out);
    out.push_back(':');
    engine::AppendJsonString(field.value, &out);
  }
  return out;
}

std::string TextBody(std::string_view message, std::initializer_list<LogField> fields) {
  std::string out(message);
  for (const LogField& field : fields) {
    out.append(engine::StrCat({" ", field.key, "=", field.value}));
  }
  return out;
}

void Emit(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  // A log line must never take the process down: an allocation or write failure loses it.
  try {
    spdlog::logger& logger = Logger();
    const auto spd_level = ToSpd(level);
    if (!logger.should_log(spd_level)) return;
    const std::string body = g_format.load(std::memory_order_relaxed) == LogFormat::kJson
                                 ? JsonBody(message, fields)
                                 : TextBody(message, fields);
    logger.log(spd_level, spdlog::string_view_t(body.data(), body.size()));
  } catch (...) {
  }
}

}  // namespace

Status ConfigureLogging(std::string_view format, std::string_view level) {
  LogFormat parsed_format;
  if (format == "text") {
    parsed_format = LogFormat::kText;
  } else if (format == "json") {
    parsed_format = LogFormat::kJson;
  } else {
    return InvalidInput(
        engine::StrCat({"--log-format must be one of: text, json (got '", format, "')"}),
        "log_format");
  }
  spdlog::level::level_enum parsed_level;
  if (level == "debug") {
    parsed_level = spdlog::level::debug;
  } else if (level == "info") {
    parsed_level = spdlog::level::info;
  } else if (level == "warning") {
    parsed_level = spdlog::level::warn;
  } else if (level == "error") {
    parsed_level = spdlog::level::err;
  } else {
    return InvalidInput(engine::StrCat({"--log-level must be one of: debug, info, warning, "
                                        "error (got '",
                                        level, "')"}),
                        "log_level");
  }
  spdlog::logger& logger = Logger();
  logger.set_level(parsed_level);
  if (parsed_format == LogFormat::kJson) {
    // The body (after the level) is ours, already JSON: "msg":"…" and the fields.
    logger.set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                       spdlog::pattern_time_type::utc);
  } else {
    logger.set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %L %v", spdlog::pattern_time_type::utc);
  }
  g_format.store(parsed_format, std::memory_order_relaxed);
  return Status::Ok();
}

LogFormat CurrentLogFormat() noexcept { return g_format.load(std::memory_order_relaxed); }

bool LogEnabled(LogLevel level) noexcept {
  try {
    return Logger().should_log(ToSpd(level));
  } catch (...) {
    return false;
  }
}

void LogWithFields(LogLevel level, std::string_view message,
                   std::initializer_list<LogField> fields) {
  Emit(level, message, fields);
}

LogLine::~LogLine() {
  try {
    Emit(level_, stream_.str(), {});
  } catch (...) {
  }
}

}  // namespace actiond::api
