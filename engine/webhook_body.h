// The JSON bodies actiond POSTs for a match (docs/webhooks.md):
// the chat message to a project's `slack_incoming_webhook`, and PostHog's REST-hook (Zapier)
// payload. Pure: they build bytes; delivery is someone else's business.
//
// Errors: none; every input renders (see message_template.h for how a message treats bad
// input). Thread-safety: pure functions; each thread brings its own MessageScratch.
// Lifetimes: nothing returned points into the inputs; the functions only append to `out`.
#pragma once

#include <string>
#include <string_view>

#include "engine/message_template.h"

namespace actiond::engine {

// PostHog's rule, on the whole URL lower-cased: containing `slack.com` → Slack; else containing
// `discord.com` → Discord; else Teams (every other URL gets the Teams body). A substring test,
// not a host test: `https://example.com/?via=slack.com` counts as Slack, as it does in PostHog.
WebhookTarget DetectWebhookTarget(std::string_view url) noexcept;

// Appends the body for `webhook_url` (compact JSON, strings escaped as JSON.stringify does):
//   Slack    {"text": <message, mrkdwn, links <url|label>>}
//   Discord  {"content": <message, Markdown, links [label](url)>}
//   Teams    {"text": <message, Markdown, links [label](url)>}
void RenderWebhookBody(const MessageTemplate& message, const MessageContext& context,
                       std::string_view webhook_url, MessageScratch* scratch, std::string* out);

// One REST hook subscription (PostHog's ee_hook row: Zapier subscribes with a target URL). In
// PostHog a hook with event `action_performed` fires for the action whose id is its
// resource_id, or for every action when that is null; choosing the hooks is the caller's job.
struct RestHook {
  std::string_view id;      // the hook's id, a random token string
  std::string_view event;   // what it subscribed to, e.g. `action_performed`
  std::string_view target;  // the URL the payload goes to
};

// Appends PostHog's REST-hook payload for one match, compact JSON:
//   {"hook": {"id", "event", "target"},
//    "data": {"eventUuid", "event", "teamId", "distinctId", "properties", "timestamp",
//             "elementsList", "person": {"uuid", "properties", "created_at"}}}
// teamId is context.project_id; properties (event and person) and elementsList are re-written
// from their JSON texts as JSON.stringify would (a text that does not parse, or is of the wrong
// type, gives `{}` / `[]`). With no context.person_uuid, "person" is `{}`.
void RenderRestHookBody(const RestHook& hook, const MessageContext& context,
                        MessageScratch* scratch, std::string* out);

}  // namespace actiond::engine
