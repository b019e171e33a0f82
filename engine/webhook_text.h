// Text transforms that webhook messages need, each as PostHog's plugin server applies it
// (docs/webhooks.md): Slack's and Markdown's escaping, JavaScript's encodeURIComponent for the
// path segments of links, and JavaScript's String.prototype.trim for person display names.
//
// Every function appends to `out` and never clears it. Input is taken as UTF-8 bytes; only
// ASCII bytes are ever escaped, so valid UTF-8 stays valid and multi-byte sequences pass
// through unchanged (the percent-encoder excepted, which encodes every non-ASCII byte, as
// encodeURIComponent does for valid UTF-8).
//
// Errors: none. Thread-safety: pure functions. Allocation: only `out` grows.
#pragma once

#include <string>
#include <string_view>

namespace actiond::engine {

// Slack's mrkdwn escaping: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, nothing else.
void AppendSlackEscaped(std::string_view text, std::string* out);

// PostHog's Markdown escaping (Teams, Discord): a backslash goes before `#`, `-` and `+` when
// they start a line, and before any of \ ` * _ { } [ ] ( ) ! that does not start a line.
// The first character of `text` counts as starting a line, as does any character right
// after `\n` or `\r`. (So a `*` at the start of a line, or a `#` inside one, stays bare: this is
// PostHog's rule, kept as is so that messages read the same.)
void AppendMarkdownEscaped(std::string_view text, std::string* out);

// encodeURIComponent: every byte except A–Z a–z 0–9 - _ . ! ~ * ' ( ) becomes %XX (upper-case
// hex).
void AppendUriComponent(std::string_view text, std::string* out);

// String.prototype.trim: strips ECMAScript white space and line terminators (ASCII TAB, LF, VT,
// FF, CR, space; U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and
// U+FEFF) from both ends. Returns a view into `text`.
std::string_view TrimJsWhitespace(std::string_view text) noexcept;

}  // namespace actiond::engine
