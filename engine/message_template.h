// MessageTemplate: an action's `slack_message_format`, compiled once when the action is
// compiled or updated, and rendered for each live match into the message that is posted to the
// project's `slack_incoming_webhook` (docs/webhooks.md).
//
// A format is literal text with tokens in square brackets: `[action.name] was triggered by
// [person]`. An empty format renders PostHog's default, kDefaultMessageFormat. Compile splits
// the format into literal and token parts; Render fills the tokens in for one event, escaped
// for the target chat (Slack mrkdwn, or the Markdown that Teams and Discord read), with no
// regex and, once the scratch buffers have grown, no allocation beyond `out`'s growth.
// docs/webhooks.md lists every token, with what it prints per target.
//
// What counts as a token (PostHog's plugin server, the same rules):
//   - `[` starts one unless a backslash precedes it; the token ends at the first `]` that no
//     backslash precedes; a token never spans a line (LF, CR, U+2028, U+2029). An unmatched
//     `[` is literal text.
//   - In literal text `\[` and `\]` print as `[` and `]`.
//   - A token's text is split on `.`: `event.properties.a b.c` → event / properties / `a b` / c.
//   - A token whose first part is none of user, person, action, source, event, groups (an
//     empty `[]` too) breaks the whole message: Render then writes a one-line error naming the
//     action instead, as PostHog does. A known first part with an unknown rest (`[event.foo]`)
//     prints nothing.
//
// Errors: Compile cannot fail; any text is a format. Render cannot fail either: a JSON text in
// the context that does not parse counts as `{}`, and a property path that runs into a JSON
// null (`[event.properties.a.b]` with `a: null`, a TypeError in PostHog) yields the error
// message, like a broken token.
//
// Thread-safety: a MessageTemplate is immutable after Compile and may be shared by any number of
// threads; each thread brings its own MessageScratch. Lifetimes: nothing returned points into
// the context or the scratch; Render only appends to the caller's strings.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace actiond::engine {

// PostHog's format for an action whose slack_message_format is empty (or null).
inline constexpr std::string_view kDefaultMessageFormat = "[action.name] was triggered by [person]";

// Where a message goes, which decides its escaping, its link syntax and its body
// (DetectWebhookTarget in webhook_body.h).
enum class WebhookTarget : unsigned char {
  kSlack,    // mrkdwn: `&<>` escaped, links `<url|label>`
  kDiscord,  // Markdown: links `[label](url)`
  kTeams,    // Markdown, as Discord; also every URL that is neither Slack nor Discord
};

// Everything a message may print about one match. Plain views, owned by the caller, read only
// during the call. The ingest pipeline fills it from the stored event and person; the engine
// does not know where they come from.
struct MessageContext {
  // Links: `{site_url}/project/{project_id}/action/{action_id}`,
  // `{site_url}/project/{project_id}/events/{uuid}/{timestamp}` and
  // `{site_url}/project/{project_id}/person/{distinct_id}` (the last three parts
  // percent-encoded). site_url is used as given (PostHog's SITE_URL; no trailing slash).
  std::string_view site_url;
  int64_t project_id = 0;
  int64_t action_id = 0;
  std::string_view action_name;

  std::string_view event_uuid;
  std::string_view event_name;
  std::string_view distinct_id;
  // The event's timestamp as PostHog prints it: ISO 8601 UTC with milliseconds,
  // `2021-10-31T00:44:00.000Z` (AppendIso8601 in date_time.h writes it from epoch ms).
  std::string_view timestamp;
  // The event's `properties` and the person's properties, each the text of one JSON object.
  // Empty, malformed or not an object → treated as `{}`.
  std::string_view event_properties_json;
  std::string_view person_properties_json;

  // The person properties `[person]` tries, in order, for a display name (PostHog's per-project
  // `person_display_name_properties`). nullptr → PostHog's default list: email, Email, $email,
  // name, Name, username, Username, UserName. An empty vector → always the distinct id.
  const std::vector<std::string>* person_display_name_properties = nullptr;

  // Only RenderRestHookBody (webhook_body.h) reads these.
  std::string_view person_uuid;        // empty → the payload's `person` is `{}`
  std::string_view person_created_at;  // ISO 8601, as stored
  std::string_view elements_json;      // the event's elements as a JSON array; empty → `[]`
};

// Per-thread reusable buffers (JSON parsers and strings) for Render and the body builders.
// Grows to the largest message it has served. Not shareable between threads.
class MessageScratch {
 public:
  MessageScratch();
  ~MessageScratch();
  MessageScratch(const MessageScratch&) = delete;
  MessageScratch& operator=(const MessageScratch&) = delete;

  struct Impl;
  Impl& impl() noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

class MessageTemplate {
 public:
  // Compiles `format`; an empty one compiles kDefaultMessageFormat. Never fails.
  static MessageTemplate Compile(std::string_view format);

  // Appends the message for `target` to *out: for Slack mrkdwn with `<url|label>` links, for
  // Discord and Teams Markdown with `[label](url)` links. When `plain` is not null, also
  // appends to it the same message with labels instead of links (PostHog's `text` variant, the
  // notification fallback). Cannot fail.
  void Render(const MessageContext& context, WebhookTarget target, MessageScratch* scratch,
              std::string* out, std::string* plain = nullptr) const;

  // False when a token has an unknown first part, so every Render gives the error message.
  // The API may use it to warn when a format is saved.
  bool all_tokens_known() const noexcept { return !broken_; }

  // The format that was compiled (the default one for an empty input).
  const std::string& format() const noexcept { return format_; }

  enum class PartKind : unsigned char {
    kLiteral,          // text, printed unescaped
    kActionName,       // [action.name] [source.name]: the action's name, linked
    kActionLink,       // [action.link] [source.link]
    kEvent,            // [event]: the event's name, linked
    kEventLink,        // [event.link]
    kEventUuid,        // [event.uuid]
    kEventName,        // [event.event] [event.name]
    kEventTimestamp,   // [event.timestamp]
    kEventDistinctId,  // [event.distinct_id]
    kEventProperty,    // [event.properties.a.b…]; [user.X] is event property `$X`
    kPerson,           // [person] [user.name]: the person's display name, linked
    kPersonLink,       // [person.link]
    kPersonProperty,   // [person.properties.a.b…]
  };
  struct Part {
    PartKind kind = PartKind::kLiteral;
    std::string text;               // kLiteral
    std::vector<std::string> path;  // kEventProperty, kPersonProperty: ≥ 1 key
  };
  const std::vector<Part>& parts() const noexcept { return parts_; }

 private:
  std::string format_;
  std::vector<Part> parts_;
  bool broken_ = false;
};

}  // namespace actiond::engine
