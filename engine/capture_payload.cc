#include "engine/capture_payload.h"

#include <simdjson.h>

#include <algorithm>

#include "engine/capture_document_internal.h"
#include "engine/capture_fields_internal.h"
#include "engine/json_error.h"
#include "engine/json_object_builder.h"
#include "engine/json_parse.h"
#include "engine/json_text_internal.h"
#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

// PostHog reads the `_` query parameter as milliseconds only when that lands after 2020
// (older SDKs sent seconds there).
constexpr int64_t kMinQuerySentAtMs = 1'609'459'200'000;  // 2021-01-01T00:00:00Z

std::string EventPrefix(size_t index) {
  std::string prefix = "event ";
  prefix.append(std::to_string(index)).append(": ");
  return prefix;
}

Status EventError(size_t index, std::string_view what) {
  return InvalidInput(EventPrefix(index).append(what));
}

Status BodyError(simdjson::error_code error, std::string_view body) {
  switch (error) {
    case simdjson::UTF8_ERROR:
      return InvalidInput("the body is not valid UTF-8");
    case simdjson::STRING_ERROR:
      return InvalidInput("invalid string in the body: a bad escape or a lone surrogate");
    case simdjson::CAPACITY:
      return Status(StatusCode::kTooLarge, "the body is too large to parse");
    case simdjson::MEMALLOC:
      return Status(StatusCode::kUnavailable, "out of memory while parsing the body");
    default:
      // Where the body stops being JSON (engine/json_error.h); the capture table puts
      // "Malformed request data: " before it.
      return Status(StatusCode::kParseError,
                    MalformedJsonMessage(body, simdjson::error_message(error), false));
  }
}

// The member `key` of `object` when present and not null.
bool FindNonNull(simdjson::dom::object object, std::string_view key, simdjson::dom::element* out) {
  return object[key].get(*out) == simdjson::SUCCESS && !out->is_null();
}

bool StringMember(simdjson::dom::object object, std::string_view key, std::string_view* out) {
  return object[key].get_string().get(*out) == simdjson::SUCCESS;
}

void AddUnsetKeys(simdjson::dom::element value, std::vector<std::string>* keys) {
  auto add = [keys](std::string_view key) {
    if (std::find(keys->begin(), keys->end(), key) == keys->end()) keys->emplace_back(key);
  };
  simdjson::dom::array list;
  simdjson::dom::object object;
  if (value.get_array().get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : list) {
      std::string_view key;
      if (item.get_string().get(key) == simdjson::SUCCESS) add(key);
    }
  } else if (value.get_object().get(object) == simdjson::SUCCESS) {
    for (auto field : object) add(field.key);
  }
}

}  // namespace

class CapturePayloadParserImpl {
 public:
  Status Parse(std::string_view body, const CaptureOptions& options, CaptureRequest* out);

 private:
  Status ResolveToken(const CaptureOptions& options, std::optional<std::string_view> batch_token,
                      std::string* token) const;
  Status ParseEvent(size_t index, simdjson::dom::object event, const CaptureOptions& options,
                    std::optional<int64_t> sent_at_ms, bool engage_body, CaptureDocument* parsed,
                    CapturedEvent* out);
  Status MergeSets(size_t index, std::string_view key, simdjson::dom::object event,
                   const simdjson::dom::object* properties, std::string* out);
  size_t CompactSize(simdjson::dom::object event, size_t properties_size, bool has_properties);

  simdjson::dom::parser parser_;
  std::vector<simdjson::dom::object> events_;
  JsonObjectBuilder builder_;
  std::string scratch_;
  std::string widened_;  // the body with big integer literals widened (json_parse.h)
  bool check_event_size_ = true;
};

// Compact JSON as JavaScript writes it is never longer than its source text but for numbers,
// and a number grows at most about five times (`1e20` → `100000000000000000000`): an event of a
// body this small cannot reach kMaxEventJsonBytes, and measuring every event's size (1.5% of
// the server's CPU per event; docs/performance.md "CPU per ingested event") can be skipped.
constexpr size_t kBodyTooSmallForLargeEvents = kMaxEventJsonBytes / 8;

Status CapturePayloadParserImpl::Parse(std::string_view body, const CaptureOptions& options,
                                       CaptureRequest* out) {
  out->token.clear();
  out->events.clear();
  events_.clear();

  // The document goes with the request (to the apply stage, where matching reads it); the
  // parser's own buffers stay with this thread.
  if (out->parsed == nullptr) out->parsed = std::make_unique<CaptureDocument>();
  CaptureDocument& parsed = *out->parsed;
  parsed.StartEvents(0);  // a failed parse leaves no event pointing into a stale body
  simdjson::dom::element root;
  // ParseJson, not parser_.parse: integer literals beyond 64 bits (1e21 sent as digits) are
  // valid JSON that JavaScript clients send.
  if (auto error =
          ParseJson(parser_, body, &root, &widened_, JsonOrigin::kUnchecked, &parsed.dom())) {
    return BodyError(error, body);
  }
  check_event_size_ = body.size() > kBodyTooSmallForLargeEvents;

  std::optional<std::string_view> batch_token;
  std::optional<int64_t> sent_at_ms;
  bool engage_body = false;
  auto add_events = [this](simdjson::dom::array items) -> Status {
    for (simdjson::dom::element item : items) {
      simdjson::dom::object event;
      if (item.get_object().get(event) != simdjson::SUCCESS) {
        return EventError(events_.size(), "not a JSON object");
      }
      events_.push_back(event);
    }
    return Status::Ok();
  };

  simdjson::dom::array items;
  simdjson::dom::object object;
  if (root.get_array().get(items) == simdjson::SUCCESS) {
    ACTIOND_RETURN_IF_ERROR(add_events(items));
  } else if (root.get_object().get(object) == simdjson::SUCCESS) {
    simdjson::dom::element batch;
    if (object["batch"].get(batch) == simdjson::SUCCESS) {
      if (batch.get_array().get(items) != simdjson::SUCCESS) {
        return InvalidInput("`batch` must be an array of events");
      }
      ACTIOND_RETURN_IF_ERROR(add_events(items));
      for (std::string_view key : {"api_key", "token", "$token"}) {
        simdjson::dom::element value;
        if (!FindNonNull(object, key, &value)) continue;
        std::string_view text;
        if (value.get_string().get(text) != simdjson::SUCCESS) {
          return InvalidInput(std::string("`") + std::string(key) + "` must be a string");
        }
        batch_token = text;
        break;
      }
      // posthog-node's v1 body names its send time `created_at`.
      std::string_view sent_at;
      if (StringMember(object, "sent_at", &sent_at) ||
          StringMember(object, "created_at", &sent_at)) {
        sent_at_ms = ParseCaptureTimestamp(sent_at);
      }
    } else {
      events_.push_back(object);
      engage_body = options.engage;
    }
  } else {
    return InvalidInput("the body must be a JSON object or array of events");
  }
  if (!sent_at_ms && options.query_sent_at_ms && *options.query_sent_at_ms >= kMinQuerySentAtMs) {
    sent_at_ms = options.query_sent_at_ms;
  }
  if (events_.empty()) return InvalidInput("the request holds no events");

  ACTIOND_RETURN_IF_ERROR(ResolveToken(options, batch_token, &out->token));
  out->events.resize(events_.size());
  parsed.StartEvents(events_.size());
  for (size_t i = 0; i < events_.size(); ++i) {
    ACTIOND_RETURN_IF_ERROR(
        ParseEvent(i, events_[i], options, sent_at_ms, engage_body, &parsed, &out->events[i]));
  }
  return Status::Ok();
}

Status CapturePayloadParserImpl::ResolveToken(const CaptureOptions& options,
                                              std::optional<std::string_view> batch_token,
                                              std::string* token) const {
  std::optional<std::string_view> request_token;
  if (!options.external_token.empty()) request_token = options.external_token;
  if (batch_token) {
    if (request_token && *request_token != *batch_token) {
      return InvalidInput("mixed tokens: the Authorization header and the body disagree");
    }
    request_token = batch_token;
  }
  if (!request_token) {
    // No request-level token: every event names the project itself, and all the same one.
    for (size_t i = 0; i < events_.size(); ++i) {
      std::optional<std::string_view> event_token;
      for (std::string_view key : {"token", "$token", "api_key"}) {
        simdjson::dom::element value;
        if (!FindNonNull(events_[i], key, &value)) continue;
        std::string_view text;
        if (value.get_string().get(text) != simdjson::SUCCESS) {
          return EventError(i, StrCat({"`", key, "` must be a string"}));
        }
        event_token = text;
        break;
      }
      if (!event_token) {
        simdjson::dom::object properties;
        std::string_view text;
        if (events_[i]["properties"].get_object().get(properties) == simdjson::SUCCESS &&
            StringMember(properties, "token", &text)) {
          event_token = text;
        }
      }
      if (i == 0) {
        request_token = event_token;
      } else if (event_token != request_token) {
        return EventError(i, "mixed tokens: its project token differs from event 0's");
      }
    }
  }
  if (!request_token || request_token->empty()) {
    return Status(StatusCode::kUnauthenticated,
                  "no project token: send `api_key` in the body (the project's token)", {},
                  StatusReason::kNoCredentials);
  }
  if (request_token->substr(0, 4) == "phx_") {
    return Status(StatusCode::kUnauthenticated,
                  "a personal API key cannot capture events; use the project token (phc_…)");
  }
  token->assign(*request_token);
  return Status::Ok();
}

size_t CapturePayloadParserImpl::CompactSize(simdjson::dom::object event, size_t properties_size,
                                             bool has_properties) {
  // The size of the event as compact JSON, reusing the properties text already written.
  size_t size = 2;  // braces
  bool first = true;
  for (auto field : event) {
    if (!first) ++size;  // comma
    first = false;
    scratch_.clear();
    AppendJsonString(field.key, &scratch_);
    size += scratch_.size() + 1;  // key and colon
    if (has_properties && field.key == "properties") {
      size += properties_size;
    } else {
      scratch_.clear();
      AppendJsJson(field.value, &scratch_);
      size += scratch_.size();
    }
  }
  return size;
}

Status CapturePayloadParserImpl::MergeSets(size_t index, std::string_view key,
                                           simdjson::dom::object event,
                                           const simdjson::dom::object* properties,
                                           std::string* out) {
  out->clear();
  simdjson::dom::object top, nested;
  bool has_top = false, has_nested = false;
  simdjson::dom::element value;
  if (FindNonNull(event, key, &value)) {
    if (value.get_object().get(top) != simdjson::SUCCESS) {
      return EventError(index, StrCat({"`", key, "` must be an object"}));
    }
    has_top = true;
  }
  // Under properties a non-object is left alone, as PostHog's person processing does.
  if (properties != nullptr && (*properties)[key].get_object().get(nested) == simdjson::SUCCESS) {
    has_nested = true;
  }
  if (!has_top && !has_nested) {
    out->assign("{}");
    return Status::Ok();
  }
  builder_.Clear();
  if (has_nested) builder_.Assign(nested);
  if (has_top) builder_.Assign(top);  // top-level keys win
  builder_.AppendJson(out);
  return Status::Ok();
}

Status CapturePayloadParserImpl::ParseEvent(size_t index, simdjson::dom::object event,
                                            const CaptureOptions& options,
                                            std::optional<int64_t> sent_at_ms, bool engage_body,
                                            CaptureDocument* parsed, CapturedEvent* out) {
  simdjson::dom::element value;

  if (FindNonNull(event, "event", &value)) {
    std::string_view name;
    if (value.get_string().get(name) != simdjson::SUCCESS) {
      return EventError(index, "the event name must be a string");
    }
    if (name.empty()) return EventError(index, "the event name is empty");
    if (name.size() > kMaxEventNameBytes) {
      return EventError(index, "the event name is longer than 1024 bytes");
    }
    out->event.assign(name);
  } else if (engage_body) {
    out->event.assign("$identify");  // an /engage person update
  } else {
    return EventError(index, "the event name (`event`) is missing");
  }

  simdjson::dom::object properties;
  bool has_properties = false;
  out->properties_json.clear();
  if (FindNonNull(event, "properties", &value)) {
    if (value.get_object().get(properties) != simdjson::SUCCESS) {
      return EventError(index, "`properties` must be an object");
    }
    has_properties = true;
    AppendJsJson(value, &out->properties_json);
    parsed->SetProperties(index, properties);
  } else {
    out->properties_json.assign("{}");
  }
  if (check_event_size_ &&
      CompactSize(event, out->properties_json.size(), has_properties) > kMaxEventJsonBytes) {
    return Status(StatusCode::kTooLarge,
                  EventPrefix(index).append("the event is larger than 1 MiB"));
  }

  bool has_id = FindNonNull(event, "distinct_id", &value) ||
                FindNonNull(event, "$distinct_id", &value) ||
                (has_properties && FindNonNull(properties, "distinct_id", &value));
  if (!has_id) return EventError(index, "`distinct_id` is missing");
  if (!DistinctIdFromJson(value, &out->distinct_id)) {
    return EventError(index, "`distinct_id` is empty");
  }

  std::string_view text;
  if (FindNonNull(event, "uuid", &value) &&
      (value.get_string().get(text) != simdjson::SUCCESS || !text.empty())) {
    if (text.empty()) return EventError(index, "`uuid` must be a string");
    if (!NormalizeUuid(text, &out->uuid)) return EventError(index, "`uuid` is not a valid UUID");
  } else {  // absent, null or "": PostHog makes one
    if (options.random == nullptr) return Internal("no random source to make event uuids");
    uint8_t random[10];
    options.random->Fill(random, sizeof(random));
    MakeUuidV7(options.now_ms, random, &out->uuid);
  }

  std::optional<int64_t> timestamp_ms, offset_ms;
  if (FindNonNull(event, "timestamp", &value)) {
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      return EventError(index, "`timestamp` must be an ISO 8601 string");
    }
    timestamp_ms = ParseCaptureTimestamp(text);  // unparseable: as if absent
  }
  if (FindNonNull(event, "offset", &value)) {
    int64_t offset;
    if (value.get_int64().get(offset) != simdjson::SUCCESS) {
      return EventError(index, "`offset` must be an integer (milliseconds)");
    }
    offset_ms = offset;
  }
  bool ignore_sent_at = false;
  if (has_properties &&
      properties["$ignore_sent_at"].get_bool().get(ignore_sent_at) != simdjson::SUCCESS) {
    ignore_sent_at = false;  // only a JSON true ignores sent_at
  }
  out->timestamp_ms = ComputeEventTimestamp(
      timestamp_ms, offset_ms, ignore_sent_at ? std::nullopt : sent_at_ms, options.now_ms);

  const simdjson::dom::object* nested = has_properties ? &properties : nullptr;
  ACTIOND_RETURN_IF_ERROR(MergeSets(index, "$set", event, nested, &out->set_json));
  ACTIOND_RETURN_IF_ERROR(MergeSets(index, "$set_once", event, nested, &out->set_once_json));
  out->unset_keys.clear();
  if (has_properties && FindNonNull(properties, "$unset", &value)) {
    AddUnsetKeys(value, &out->unset_keys);
  }
  if (FindNonNull(event, "$unset", &value)) AddUnsetKeys(value, &out->unset_keys);

  out->elements_chain.clear();
  if (StringMember(event, "elements_chain", &text)) out->elements_chain.assign(text);

  // Only a JSON false turns person processing off; "false", 0 or null do not.
  bool process_person_profile = true;
  if (has_properties && properties["$process_person_profile"].get_bool().get(
                            process_person_profile) != simdjson::SUCCESS) {
    process_person_profile = true;
  }
  out->process_person_profile = process_person_profile;

  out->anon_distinct_id.clear();
  out->alias.clear();
  if (has_properties) {
    if (out->event == "$identify") {
      if (properties["$anon_distinct_id"].get(value) == simdjson::SUCCESS) {
        AppendJsString(value, &out->anon_distinct_id);
      }
    } else if (out->event == "$create_alias" || out->event == "$merge_dangerously") {
      if (properties["alias"].get(value) == simdjson::SUCCESS) {
        AppendJsString(value, &out->alias);
      }
    }
  }
  return Status::Ok();
}

CaptureRequest::CaptureRequest() = default;
CaptureRequest::~CaptureRequest() = default;
CaptureRequest::CaptureRequest(CaptureRequest&&) noexcept = default;
CaptureRequest& CaptureRequest::operator=(CaptureRequest&&) noexcept = default;

void ReleaseLargeBuffers(CaptureRequest* request) {
  if (request->parsed != nullptr) request->parsed->ReleaseIfLarge();
}

CapturePayloadParser::CapturePayloadParser()
    : impl_(std::make_unique<CapturePayloadParserImpl>()) {}
CapturePayloadParser::~CapturePayloadParser() = default;

Status CapturePayloadParser::Parse(std::string_view body, const CaptureOptions& options,
                                   CaptureRequest* out) {
  return impl_->Parse(body, options, out);
}

}  // namespace actiond::engine
