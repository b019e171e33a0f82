#include "engine/personal_api_key_format.h"

#include <string>

#include "engine/str_cat.h"

namespace actiond::engine {

Status CheckPersonalApiKeyFormat(std::string_view key) {
  constexpr std::string_view kPrefix = "phx_";
  if (key.substr(0, kPrefix.size()) != kPrefix) {
    return InvalidInput(key.substr(0, 4) == "phc_"
                            ? "the personal API key starts with phc_: that is a project token; "
                              "a personal API key starts with phx_"
                            : "the personal API key must start with phx_",
                        "personal_api_key");
  }
  const std::string_view secret = key.substr(kPrefix.size());
  if (secret.size() < kMinPersonalApiKeySecretChars) {
    return InvalidInput(
        StrCat({"the personal API key must have at least ",
                std::to_string(kMinPersonalApiKeySecretChars), " characters after phx_ (",
                std::to_string(kRecommendedPersonalApiKeySecretChars),
                " or more recommended; it has ", std::to_string(secret.size()), ")"}),
        "personal_api_key");
  }
  for (const char c : secret) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      return InvalidInput(
          "the personal API key may hold only letters, digits, '_' and '-' after phx_",
          "personal_api_key");
    }
  }
  return Status::Ok();
}

bool PersonalApiKeyIsShort(std::string_view key) noexcept {
  return key.size() < 4 + kRecommendedPersonalApiKeySecretChars;
}

}  // namespace actiond::engine
