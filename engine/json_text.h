// Text forms of JSON values as JavaScript writes them (docs/semantics.md §6 "Comparison form").
// No simdjson type here, so every module may include it; the form of a parsed simdjson value is
// engine-internal (json_text_internal.h).
#pragma once

#include <string>
#include <string_view>

namespace actiond::engine {

// Appends ECMAScript Number::toString(value): shortest round-trip digits, `1e+21`, `1e-7`,
// `-0` → `0`, integers below 1e21 in full. NaN/Infinity (never produced by JSON) print as
// JavaScript does.
void AppendJsNumber(double value, std::string* out);

// Appends `text` as a JSON string literal (quotes included), escaped as JSON.stringify does.
void AppendJsonString(std::string_view text, std::string* out);

// Appends `text` as a JSON string literal as Django REST framework renders it (what the REST API
// answers): `"` `\` and control characters escaped (\b \f \n \r \t, others \u00XX), U+2028
// and U+2029 escaped too; valid UTF-8 passes through and each byte of an invalid UTF-8 sequence
// becomes U+FFFD, so the output is always valid UTF-8.
void AppendDrfJsonString(std::string_view text, std::string* out);

// docs/semantics.md §8.5 "parses wholly as a number": trims ASCII whitespace, then an optional
// sign, digits with an optional fraction (≥ 1 digit), optional exponent; the result must be finite.
// Returns false otherwise (hex, NaN, Infinity, empty).
bool ParseWholeNumber(std::string_view text, double* out) noexcept;

}  // namespace actiond::engine
