// Parser for PostHog's `elements_chain` string (docs/semantics.md §4 and §8.3).
//
//   button.btn.btn-primary:attr__class="btn btn-primary"nth-child="3"text="Sign up";form:...
//
// Grammar, as this parser reads it:
//   - Elements are separated by runs of `;` and ASCII whitespace outside attribute values.
//   - An element's tag/class part runs to a separator or to the first `:` that is followed
//     by a key `[A-Za-z0-9_-]+` and `=`; any other `:` (`hover:underline`), `=` or `"` there
//     is an ordinary character. The part splits on `.`: tag first, then classes (empty ones
//     are dropped).
//   - Then `key="value"` pairs back to back; in values `\"` is `"` and `\\` is `\`, any other
//     backslash is kept. `key=""` is present and empty; a key written twice takes its last
//     value. Keys `text`, `href`, `attr_id`, `nth-child`, `nth-of-type` (`[+-]?[0-9]+`
//     within int32, otherwise the pair is ignored) are fields; `attr__<name>` is the raw
//     attribute `<name>`; any other key is an attribute under its own name.
// Never fails, throws or loops, and runs in linear time: at an unterminated quote or a
// malformed pair (a key without `="`, stray bytes after a value) the rest of the chain is
// ignored; the element being read keeps what was parsed before, earlier elements count.
#pragma once

#include <string_view>

#include "engine/element.h"

namespace actiond::engine {

// Clears `out` and appends the chain's elements, clicked element first. Views in `out` point
// into `chain` (and into out's own buffer where escapes were resolved): `chain` must outlive
// the use of `out`.
void ParseElementsChain(std::string_view chain, ElementList* out) noexcept;

}  // namespace actiond::engine
