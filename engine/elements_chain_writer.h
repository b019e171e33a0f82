// Writes an ElementList as PostHog's `elements_chain` string, so that events sent with the
// `$elements` array (posthog-js autocapture) show the same top-level `elements_chain` as those
// sent with a chain (docs/api.md §4).
//
// Per element, as PostHog's `elements_to_string` writes it: the tag, then `.class` for each
// distinct class in byte order (quotes removed), then `:` and `key="value"` pairs in key order:
// `attr__<name>` for raw attributes, other attribute keys as they are, `attr_id`, `href`,
// `nth-child` and `nth-of-type` (0 when absent, as PostHog writes them) and `text` (the last three
// only when present and non-empty where PostHog omits empty ones). In values `"` is written `\"`
// and `\` is written `\\`, which is what ParseElementsChain reads back (PostHog escapes only
// quotes; the two agree on every value without a backslash). Elements are joined with `;`.
// A key written twice keeps its last value.
//
// Pure; thread-safe. Allocates (a read path, not the matching path).
#pragma once

#include <string>

#include "engine/element.h"

namespace actiond::engine {

class EventView;

std::string WriteElementsChain(const ElementList& elements);

// The event's elements as a chain: its own chain when it has one (the top-level
// `elements_chain`, else the property `$elements_chain`, as the matcher reads them), else one
// written from its `$elements` array; "" when it has neither.
std::string ElementsChainOf(const EventView& event);

}  // namespace actiond::engine
