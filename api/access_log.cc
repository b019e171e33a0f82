#include "api/access_log.h"

#include <cstdio>
#include <string>

#include "api/log.h"

namespace actiond::api {
namespace {

bool IsNumber(std::string_view text) noexcept {
  if (text.empty() || text.size() > 19) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

void LogAccess(const RequestRecord& request) {
  if (!LogEnabled(LogLevel::kInfo)) return;
  const std::string status = std::to_string(request.status);
  const std::string bytes = std::to_string(request.body_bytes);
  char duration[32];
  std::snprintf(duration, sizeof(duration), "%.3f", request.seconds * 1000);
  const std::string_view project = IsNumber(request.project_id) ? request.project_id : "";
  if (project.empty()) {
    LogWithFields(LogLevel::kInfo, "access",
                  {{"method", request.method},
                   {"route", request.route},
                   {"status", status},
                   {"bytes", bytes},
                   {"duration_ms", duration}});
  } else {
    LogWithFields(LogLevel::kInfo, "access",
                  {{"method", request.method},
                   {"route", request.route},
                   {"status", status},
                   {"bytes", bytes},
                   {"duration_ms", duration},
                   {"project_id", project}});
  }
}

}  // namespace actiond::api
