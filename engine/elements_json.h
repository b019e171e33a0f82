// The JSON array of an event's elements as PostHog's REST-hook payload carries it
// (`elementsList`, docs/webhooks.md §4): one object per element, the clicked element first —
//   {"text", "tag_name", "href", "attr_id", "attr_class": [..], "nth_child", "nth_of_type",
//    "attributes": {"attr__<name>": value, ...}, "order": i}
// Absent text/href/id and positions are null, as PostHog's Element model prints them.
//
// Thread-safety: pure; only appends to `out`.
#pragma once

#include <string>

#include "engine/element.h"

namespace actiond::engine {

void AppendElementsJson(const ElementList& elements, std::string* out);

}  // namespace actiond::engine
