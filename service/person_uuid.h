// PersonUuid: the uuid of a person created for `distinct_id` in `project` — a UUIDv5 (SHA-1,
// RFC 4122 §4.3) of "<project>:<distinct_id>" in PostHog's person namespace
// 932979b4-65c3-4424-8467-0b66ec27bc22, as PostHog's ingestion names persons
// (docs/semantics.md §7).
//
// Deterministic on purpose: every node that applies the same events makes the same persons,
// byte for byte (docs/cluster.md §Replicas), and a person keeps the uuid PostHog would give it.
// It is unique because a distinct id creates at most one person in a project: once mapped, a
// distinct id is only ever re-pointed by a merge, never unmapped, so it never creates another.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

#include "service/domain_types.h"

namespace actiond::service {

// Writes the lower-case 8-4-4-4-12 text to *out.
void PersonUuid(ProjectId project, std::string_view distinct_id, std::string* out);

}  // namespace actiond::service
