#include "engine/regex.h"

#include <string>

namespace actiond::engine {

Result<std::unique_ptr<const re2::RE2>> CompileRegex(std::string_view pattern,
                                                     RegexOptions options) {
  if (pattern.size() > kMaxPatternBytes) {
    return InvalidInput("regex is too long: " + std::to_string(pattern.size()) +
                        " bytes, at most " + std::to_string(kMaxPatternBytes) + " allowed");
  }
  re2::RE2::Options re2_options;
  re2_options.set_encoding(re2::RE2::Options::EncodingUTF8);
  re2_options.set_log_errors(false);  // engine/ never logs; the error travels in the Status
  re2_options.set_max_mem(kRegexMaxMemBytes);
  re2_options.set_case_sensitive(!options.case_insensitive);
  re2_options.set_dot_nl(options.dot_matches_newline);
  auto regex = std::make_unique<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                                re2_options);
  if (!regex->ok()) {
    if (regex->error_code() == re2::RE2::ErrorPatternTooLarge) {
      return InvalidInput("regex is too complex: its compiled form exceeds the " +
                          std::to_string(kRegexMaxMemBytes >> 20) + " MiB budget");
    }
    return InvalidInput("invalid regex: " + regex->error());
  }
  return std::unique_ptr<const re2::RE2>(std::move(regex));
}

}  // namespace actiond::engine
