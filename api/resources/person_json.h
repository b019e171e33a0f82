// A person as PostHog's persons API shows it:
//   {"id": uuid, "uuid": uuid, "name", "distinct_ids": […], "properties": {…}, "created_at",
//    "is_identified"}
// `id` is the uuid (docs/api.md §5). `name` follows PostHog's get_person_name: the first truthy
// property among email, Email, $email, name, Name, username, Username, UserName (its JSON value
// as stored), else the first distinct id that does not look anonymous
// (`^([a-z0-9]+-){4}[a-z0-9]+$`, as posthog.utils.is_anonymous_id), else the first distinct id,
// else the numeric person id as a string.
//
// Used by the persons endpoints and the actions people endpoint. Thread-safety: pure.
#pragma once

#include <string>
#include <string_view>

#include "api/http/json_writer.h"
#include "service/domain_types.h"

namespace actiond::api {

// Writes the person object as one value (inside an array, or after a Key()).
void WritePersonJson(const service::Person& person, JsonWriter& writer);

// The person object as a JSON document.
std::string PersonJson(const service::Person& person);

// The `name` value as JSON text (a JSON string, or the property's own JSON value).
std::string PersonDisplayNameJson(const service::Person& person);

// posthog.utils.is_anonymous_id: five dash-separated runs of [a-z0-9].
bool IsAnonymousDistinctId(std::string_view distinct_id) noexcept;

}  // namespace actiond::api
