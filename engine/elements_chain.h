// Parser for PostHog's `elements_chain` string (SEMANTICS §4 and §8).
//
//   button.btn.btn-primary:attr__class="btn btn-primary"nth-child="3"text="Sign up";form:...
//
// Never fails, throws or loops: at malformed input the rest of the chain is ignored and the
// elements read so far are kept.
#pragma once

#include <string_view>

#include "engine/element.h"

namespace actiond::engine {

// Clears `out` and appends the chain's elements, clicked element first. Views in `out` point
// into `chain` (and into out's own buffer where escapes were resolved): `chain` must outlive
// the use of `out`.
void ParseElementsChain(std::string_view chain, ElementList* out) noexcept;

}  // namespace actiond::engine
