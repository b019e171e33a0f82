// Reader for posthog-js's `$elements` array property (docs/semantics.md §8.3).
#pragma once

#include <simdjson.h>

#include "engine/element.h"

namespace actiond::engine {

// Clears `out` and appends one element per array entry: tag from `tag_name`; text from
// `$el_text` (else `text`); href from `attr__href` (else `href`); id from `attr__id` (else
// `attr_id`); classes from `classes` (array) and `attr__class` (string split on whitespace, or
// array); `nth_child`, `nth_of_type` (numbers); every `attr__*` key is an attribute. Entries
// that are not objects, and fields of the wrong type, are skipped. Views point into the parsed
// document, which must outlive the use of `out`.
void ReadElementsArray(simdjson::dom::array array, ElementList* out) noexcept;

}  // namespace actiond::engine
