#include "service/time_zones.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

#include "engine/str_cat.h"

namespace actiond::service {
namespace {

Status UnknownZone(std::string_view name) {
  return InvalidInput(engine::StrCat({"Unknown time zone '", name,
                                      "'. Use an IANA name such as Europe/Paris or UTC."}),
                      "timezone");
}

std::string ZoneInfoDir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

}  // namespace

Result<std::shared_ptr<const engine::TimeZone>> FindTimeZone(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const engine::TimeZone>, std::less<>> cache;
  if (name == "UTC") {
    static const auto utc = std::make_shared<const engine::TimeZone>(engine::TimeZone::Utc());
    return utc;
  }
  if (!engine::TimeZone::IsValidName(name)) return UnknownZone(name);
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(name); it != cache.end()) return it->second;
  }
  std::ifstream file(engine::StrCat({ZoneInfoDir(), "/", name}), std::ios::binary);
  if (!file) return UnknownZone(name);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  auto zone = engine::TimeZone::FromTzif(std::string(name), bytes.str());
  if (!zone.ok()) return UnknownZone(name);  // a directory, or not a zone file
  auto shared = std::make_shared<const engine::TimeZone>(std::move(*zone));
  std::lock_guard lock(mutex);
  return cache.emplace(std::string(name), std::move(shared)).first->second;
}

}  // namespace actiond::service
