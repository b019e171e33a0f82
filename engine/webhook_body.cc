#include "engine/webhook_body.h"

#include <simdjson.h>

#include <charconv>

#include "engine/json_parse.h"
#include "engine/json_text_internal.h"
#include "engine/message_scratch_internal.h"

namespace actiond::engine {
namespace {

bool ContainsIgnoringAsciiCase(std::string_view haystack, std::string_view lower_needle) {
  if (lower_needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + lower_needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < lower_needle.size()) {
      char c = haystack[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower_needle[k]) break;
      ++k;
    }
    if (k == lower_needle.size()) return true;
  }
  return false;
}

void AppendKey(std::string_view key, std::string* out) {
  AppendJsonString(key, out);
  out->push_back(':');
}

// `"key":"value",` — a string member followed by the comma of the member after it.
void AppendStringMember(std::string_view key, std::string_view value, std::string* out) {
  AppendKey(key, out);
  AppendJsonString(value, out);
  out->push_back(',');
}

// Re-writes a JSON text of the expected kind as JSON.stringify would, or `fallback`.
void AppendJsonOf(simdjson::dom::parser& parser, std::string_view json, bool want_array,
                  std::string_view fallback, std::string* scratch, std::string* out) {
  simdjson::dom::element root;
  if (!json.empty() && ParseJson(parser, json, &root, scratch) == simdjson::SUCCESS &&
      (want_array ? root.is_array() : root.is_object())) {
    AppendJsJson(root, out);
  } else {
    out->append(fallback);
  }
}

}  // namespace

WebhookTarget DetectWebhookTarget(std::string_view url) noexcept {
  if (ContainsIgnoringAsciiCase(url, "slack.com")) return WebhookTarget::kSlack;
  if (ContainsIgnoringAsciiCase(url, "discord.com")) return WebhookTarget::kDiscord;
  return WebhookTarget::kTeams;
}

void RenderWebhookBody(const MessageTemplate& message, const MessageContext& context,
                       std::string_view webhook_url, MessageScratch* scratch, std::string* out) {
  const WebhookTarget target = DetectWebhookTarget(webhook_url);
  std::string& text = scratch->impl().message;
  text.clear();
  message.Render(context, target, scratch, &text);
  out->push_back('{');
  AppendKey(target == WebhookTarget::kDiscord ? "content" : "text", out);
  AppendJsonString(text, out);
  out->push_back('}');
}

void RenderRestHookBody(const RestHook& hook, const MessageContext& context,
                        MessageScratch* scratch, std::string* out) {
  MessageScratch::Impl& s = scratch->impl();
  out->append("{");
  AppendKey("hook", out);
  out->push_back('{');
  AppendStringMember("id", hook.id, out);
  AppendStringMember("event", hook.event, out);
  AppendKey("target", out);
  AppendJsonString(hook.target, out);
  out->append("},");

  AppendKey("data", out);
  out->push_back('{');
  AppendStringMember("eventUuid", context.event_uuid, out);
  AppendStringMember("event", context.event_name, out);
  AppendKey("teamId", out);
  char digits[24];
  out->append(digits, std::to_chars(digits, digits + sizeof(digits), context.project_id).ptr);
  out->push_back(',');
  AppendStringMember("distinctId", context.distinct_id, out);
  AppendKey("properties", out);
  AppendJsonOf(s.event_parser, context.event_properties_json, false, "{}", &s.widen_scratch, out);
  out->push_back(',');
  AppendStringMember("timestamp", context.timestamp, out);
  AppendKey("elementsList", out);
  AppendJsonOf(s.event_parser, context.elements_json, true, "[]", &s.widen_scratch, out);
  out->push_back(',');
  AppendKey("person", out);
  if (context.person_uuid.empty()) {
    out->append("{}");
  } else {
    out->push_back('{');
    AppendStringMember("uuid", context.person_uuid, out);
    AppendKey("properties", out);
    AppendJsonOf(s.person_parser, context.person_properties_json, false, "{}", &s.widen_scratch,
                 out);
    out->push_back(',');
    AppendKey("created_at", out);
    AppendJsonString(context.person_created_at, out);
    out->push_back('}');
  }
  out->append("}}");
}

}  // namespace actiond::engine
