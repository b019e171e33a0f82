#include "api/resources/person_json.h"

#include "engine/json_value.h"

namespace actiond::api {
namespace {

// posthog/api/person.py PERSON_DEFAULT_DISPLAY_NAME_PROPERTIES, in its order.
constexpr std::string_view kDisplayNameProperties[] = {"email", "Email",    "$email",   "name",
                                                       "Name",  "username", "Username", "UserName"};

}  // namespace

bool IsAnonymousDistinctId(std::string_view distinct_id) noexcept {
  int runs = 0;
  size_t run_length = 0;
  for (const char c : distinct_id) {
    if (c == '-') {
      if (run_length == 0) return false;
      ++runs;
      run_length = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      ++run_length;
    } else {
      return false;
    }
  }
  return runs == 4 && run_length > 0;
}

std::string PersonDisplayNameJson(const service::Person& person) {
  if (Result<engine::JsonValue> properties = engine::ParseJsonValue(person.properties_json);
      properties.ok()) {
    for (const std::string_view key : kDisplayNameProperties) {
      const engine::JsonValue* value = properties->Find(key);
      if (value != nullptr && value->Truthy()) return value->ToJson();
    }
  }
  // Prefer a distinct id that looks chosen (an email, a user id) over an SDK's anonymous one:
  // Python's sorted(…, key=is_anonymous_id) is stable, so this is the first such id.
  for (const std::string& id : person.distinct_ids) {
    if (!IsAnonymousDistinctId(id)) return JsonQuote(id);
  }
  if (!person.distinct_ids.empty()) return JsonQuote(person.distinct_ids.front());
  return JsonQuote(std::to_string(person.id));
}

void WritePersonJson(const service::Person& person, JsonWriter& writer) {
  writer.BeginObject();
  writer.Member("id", person.uuid);
  writer.Member("uuid", person.uuid);
  writer.Key("name").Raw(PersonDisplayNameJson(person));
  writer.Key("distinct_ids").BeginArray();
  for (const std::string& id : person.distinct_ids) writer.String(id);
  writer.EndArray();
  writer.Key("properties").Raw(person.properties_json.empty() ? "{}" : person.properties_json);
  writer.Member("created_at", person.created_at);
  writer.Key("is_identified").Bool(person.is_identified);
  writer.EndObject();
}

std::string PersonJson(const service::Person& person) {
  std::string out;
  JsonWriter writer(out);
  WritePersonJson(person, writer);
  return out;
}

}  // namespace actiond::api
