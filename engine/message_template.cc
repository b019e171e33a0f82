#include "engine/message_template.h"

#include <simdjson.h>

#include <array>
#include <charconv>

#include "engine/json_parse.h"
#include "engine/json_text_internal.h"
#include "engine/message_scratch_internal.h"
#include "engine/str_cat.h"
#include "engine/webhook_text.h"

namespace actiond::engine {

MessageScratch::MessageScratch() : impl_(std::make_unique<Impl>()) {}
MessageScratch::~MessageScratch() = default;

bool ParseJsonObject(simdjson::dom::parser& parser, std::string_view json, std::string* scratch,
                     simdjson::dom::element* root) {
  if (json.empty()) return false;
  if (ParseJson(parser, json, root, scratch) != simdjson::SUCCESS) return false;
  return root->is_object();
}

namespace {

using Kind = MessageTemplate::PartKind;

// PostHog's default person_display_name_properties (kept in sync there between the plugin
// server, api/person.py and the frontend's constants).
constexpr std::array<std::string_view, 8> kDefaultDisplayNameProperties = {
    "email", "Email", "$email", "name", "Name", "username", "Username", "UserName"};

bool LineTerminatorAt(std::string_view text, size_t i) {
  if (text[i] == '\n' || text[i] == '\r') return true;
  return static_cast<unsigned char>(text[i]) == 0xE2 && i + 2 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) == 0x80 &&
         (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
          static_cast<unsigned char>(text[i + 2]) == 0xA9);
}

std::vector<std::string_view> SplitOnDots(std::string_view token) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

// The result of walking a property path the way JavaScript's `a[k1][k2]…` does.
enum class Lookup : unsigned char { kFound, kUndefined, kTypeError };

// The last member named `key` (JSON.parse keeps the last of repeated keys).
// The member `key` of `object`. Documents here come through ParseJson, which already keeps only
// the last of repeated keys (docs/semantics.md §8.10), so the first match is the one.
bool FindMember(simdjson::dom::object object, std::string_view key, simdjson::dom::element* out) {
  return object.at_key(key).get(*out) == simdjson::SUCCESS;
}

// `key` as an array index when it is one in canonical form ("0", "17"; not "01" or "+1").
bool ArrayIndex(std::string_view key, size_t* index) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return false;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), *index);
  return ec == std::errc() && end == key.data() + key.size();
}

Lookup WalkPath(simdjson::dom::element root, const std::vector<std::string>& path,
                simdjson::dom::element* out) {
  simdjson::dom::element current = root;
  for (const std::string& key : path) {
    switch (current.type()) {
      case simdjson::dom::element_type::OBJECT:
        if (!FindMember(current.get_object().value_unsafe(), key, &current)) {
          return Lookup::kUndefined;
        }
        break;
      case simdjson::dom::element_type::ARRAY: {
        size_t index = 0;
        if (!ArrayIndex(key, &index)) return Lookup::kUndefined;
        auto item = current.get_array().value_unsafe().at(index);
        if (item.error()) return Lookup::kUndefined;
        current = item.value_unsafe();
        break;
      }
      case simdjson::dom::element_type::NULL_VALUE:
        return Lookup::kTypeError;  // null[key] throws in JavaScript
      default:
        return Lookup::kUndefined;  // a string, number or boolean has no such member
    }
  }
  *out = current;
  return Lookup::kFound;
}

// JavaScript truthiness of a JSON value (unlike Python's, `[]` and `{}` are true).
bool JsTruthy(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return !value.get_string().value_unsafe().empty();
    case simdjson::dom::element_type::BOOL:
      return value.get_bool().value_unsafe();
    case simdjson::dom::element_type::NULL_VALUE:
      return false;
    case simdjson::dom::element_type::INT64:
      return value.get_int64().value_unsafe() != 0;
    case simdjson::dom::element_type::UINT64:
      return value.get_uint64().value_unsafe() != 0;
    case simdjson::dom::element_type::DOUBLE:
      return value.get_double().value_unsafe() != 0;  // NaN never comes out of JSON
    default:
      return true;
  }
}

// PostHog's `stringify`: a string as is, anything else as JSON.stringify writes it.
void AppendStringified(simdjson::dom::element value, std::string* out) {
  if (value.is_string()) {
    out->append(value.get_string().value_unsafe());
  } else {
    AppendJsJson(value, out);
  }
}

// One parsed properties document, parsed on first use.
class LazyObject {
 public:
  LazyObject(simdjson::dom::parser* parser, std::string_view json, std::string* scratch)
      : parser_(parser), json_(json), scratch_(scratch) {}

  // False when the text is empty, malformed or not an object (read as `{}`).
  bool Get(simdjson::dom::element* root) {
    if (!parsed_) {
      ok_ = ParseJsonObject(*parser_, json_, scratch_, &root_);
      parsed_ = true;
    }
    *root = root_;
    return ok_;
  }

 private:
  simdjson::dom::parser* parser_;
  std::string_view json_;
  std::string* scratch_;
  simdjson::dom::element root_;
  bool parsed_ = false;
  bool ok_ = false;
};

void AppendEscaped(std::string_view text, WebhookTarget target, std::string* out) {
  if (target == WebhookTarget::kSlack) {
    AppendSlackEscaped(text, out);
  } else {
    AppendMarkdownEscaped(text, out);
  }
}

// A value token: the same escaped text in both variants.
void EmitValue(std::string_view text, WebhookTarget target, std::string* out, std::string* plain) {
  AppendEscaped(text, target, out);
  if (plain != nullptr) AppendEscaped(text, target, plain);
}

// A linked token: a link in *out, the bare label in *plain.
void EmitLinked(std::string_view label, std::string_view url, WebhookTarget target,
                std::string* out, std::string* plain) {
  if (target == WebhookTarget::kSlack) {
    out->push_back('<');
    AppendSlackEscaped(url, out);
    out->push_back('|');
    AppendSlackEscaped(label, out);
    out->push_back('>');
  } else {
    out->push_back('[');
    AppendMarkdownEscaped(label, out);
    out->append("](");
    AppendMarkdownEscaped(url, out);
    out->push_back(')');
  }
  if (plain != nullptr) AppendEscaped(label, target, plain);
}

void AppendInt(int64_t value, std::string* out) {
  char digits[24];
  out->append(digits, std::to_chars(digits, digits + sizeof(digits), value).ptr);
}

void AppendProjectUrl(const MessageContext& context, std::string* out) {
  out->append(context.site_url);
  out->append("/project/");
  AppendInt(context.project_id, out);
}

void BuildActionLink(const MessageContext& context, std::string* out) {
  out->clear();
  AppendProjectUrl(context, out);
  out->append("/action/");
  AppendInt(context.action_id, out);
}

void BuildEventLink(const MessageContext& context, std::string* out) {
  out->clear();
  AppendProjectUrl(context, out);
  out->append("/events/");
  AppendUriComponent(context.event_uuid, out);
  out->push_back('/');
  AppendUriComponent(context.timestamp, out);
}

void BuildPersonLink(const MessageContext& context, std::string* out) {
  out->clear();
  AppendProjectUrl(context, out);
  out->append("/person/");
  AppendUriComponent(context.distinct_id, out);
}

bool TryDisplayKey(simdjson::dom::element person, bool have_person, std::string_view key,
                   std::string* out) {
  if (!have_person) return false;
  simdjson::dom::element value;
  if (!FindMember(person.get_object().value_unsafe(), key, &value) || !JsTruthy(value)) {
    return false;
  }
  AppendStringified(value, out);
  return true;
}

// [person]: the first truthy display-name property, else the distinct id; then trimmed.
void BuildPersonDisplay(const MessageContext& context, LazyObject* person_props, std::string* out) {
  out->clear();
  simdjson::dom::element person;
  const bool have_person = person_props->Get(&person);
  bool found = false;
  if (context.person_display_name_properties != nullptr) {
    for (const std::string& key : *context.person_display_name_properties) {
      if ((found = TryDisplayKey(person, have_person, key, out))) break;
    }
  } else {
    for (std::string_view key : kDefaultDisplayNameProperties) {
      if ((found = TryDisplayKey(person, have_person, key, out))) break;
    }
  }
  if (!found || out->empty()) out->assign(context.distinct_id);
  const std::string_view trimmed = TrimJsWhitespace(*out);
  if (trimmed.size() != out->size()) {
    const size_t offset = static_cast<size_t>(trimmed.data() - out->data());
    out->erase(offset + trimmed.size());
    out->erase(0, offset);
  }
}

// PostHog's rendering when a template cannot be filled in: one line naming the action (the
// wording is actiond's own).
void AppendTemplateError(const MessageContext& context, WebhookTarget target, std::string* link,
                         std::string* out, std::string* plain) {
  constexpr std::string_view kBefore = "\u26A0 Error: the message format of action \"";
  constexpr std::string_view kAfter = "\" has a token that cannot be filled in.";
  BuildActionLink(context, link);
  out->append("*");
  out->append(kBefore);
  std::string label_plain;
  EmitLinked(context.action_name, *link, target, out, plain != nullptr ? &label_plain : nullptr);
  out->append(kAfter);
  out->append("*");
  if (plain != nullptr) {
    plain->append(kBefore);
    plain->append(label_plain);
    plain->append(kAfter);
  }
}

}  // namespace

MessageTemplate MessageTemplate::Compile(std::string_view format) {
  MessageTemplate compiled;
  compiled.format_.assign(format.empty() ? kDefaultMessageFormat : format);
  const std::string_view text = compiled.format_;
  std::string literal;

  auto flush_literal = [&] {
    if (literal.empty()) return;
    Part part;
    part.text = std::move(literal);
    compiled.parts_.push_back(std::move(part));
    literal.clear();
  };
  auto add = [&](Kind kind, std::vector<std::string> path = {}) {
    flush_literal();
    Part part;
    part.kind = kind;
    part.path = std::move(path);
    compiled.parts_.push_back(std::move(part));
  };
  auto rest_of = [](const std::vector<std::string_view>& parts, size_t from) {
    return std::vector<std::string>(parts.begin() + static_cast<ptrdiff_t>(from), parts.end());
  };

  auto add_token = [&](std::string_view token) {
    const std::vector<std::string_view> parts = SplitOnDots(token);
    const std::string_view root = parts[0];
    const std::string_view second = parts.size() > 1 ? parts[1] : std::string_view();
    const bool has_second = parts.size() > 1;
    if (root == "user") {
      // Deprecated in PostHog but still filled in: [user.name] is [person], any other
      // [user.X] is the event property `$X` (one level; `[user]` alone reads `$undefined`).
      if (second == "name" && has_second) {
        add(Kind::kPerson);
      } else {
        add(Kind::kEventProperty,
            {StrCat({"$", has_second ? second : std::string_view("undefined")})});
      }
    } else if (root == "person") {
      if (!has_second) {
        add(Kind::kPerson);
      } else if (second == "link") {
        add(Kind::kPersonLink);
      } else if (second == "properties" && parts.size() > 2) {
        add(Kind::kPersonProperty, rest_of(parts, 2));
      }
    } else if (root == "action" || root == "source") {
      if (has_second && second == "name") {
        add(Kind::kActionName);
      } else if (has_second && second == "link") {
        add(Kind::kActionLink);
      }
    } else if (root == "event") {
      if (!has_second) {
        add(Kind::kEvent);
      } else if (second == "link") {
        add(Kind::kEventLink);
      } else if (second == "uuid") {
        add(Kind::kEventUuid);
      } else if (second == "name" || second == "event") {
        add(Kind::kEventName);
      } else if (second == "timestamp") {
        add(Kind::kEventTimestamp);
      } else if (second == "distinct_id") {
        add(Kind::kEventDistinctId);
      } else if (second == "properties" && parts.size() > 2) {
        add(Kind::kEventProperty, rest_of(parts, 2));
      }
    } else if (root == "groups") {
      // actiond keeps no groups, so every event is one without the named group; PostHog prints
      // these two texts unescaped.
      if (!has_second) {
        literal.append("NOT SUPPORTED");
      } else {
        literal.append("(event without '");
        literal.append(second);
        literal.append("')");
      }
    } else {
      compiled.broken_ = true;
    }
  };

  size_t i = 0;
  // A `[` before this position is known to have no closing `]` on its line: the search from an
  // earlier `[` ran up to here and found none. Keeps Compile linear in the format's length.
  size_t no_close_before = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '[' || text[i + 1] == ']')) {
      literal.push_back(text[i + 1]);  // an escaped bracket prints bare
      i += 2;
      continue;
    }
    if (c == '[' && i >= no_close_before) {
      // Reaching a `[` here means no backslash precedes it: an escaping one was consumed above.
      size_t j = i + 1;
      while (j < text.size() && !LineTerminatorAt(text, j) &&
             !(text[j] == ']' && text[j - 1] != '\\')) {
        ++j;
      }
      if (j < text.size() && text[j] == ']') {
        add_token(text.substr(i + 1, j - i - 1));
        i = j + 1;
        continue;
      }
      no_close_before = j;
    }
    literal.push_back(c);
    ++i;
  }
  flush_literal();
  return compiled;
}

void MessageTemplate::Render(const MessageContext& context, WebhookTarget target,
                             MessageScratch* scratch, std::string* out, std::string* plain) const {
  MessageScratch::Impl& s = scratch->impl();
  const size_t out_start = out->size();
  const size_t plain_start = plain != nullptr ? plain->size() : 0;
  if (broken_) {
    AppendTemplateError(context, target, &s.link, out, plain);
    return;
  }
  LazyObject event_props(&s.event_parser, context.event_properties_json, &s.widen_scratch);
  LazyObject person_props(&s.person_parser, context.person_properties_json, &s.widen_scratch);

  for (const Part& part : parts_) {
    switch (part.kind) {
      case Kind::kLiteral:
        out->append(part.text);
        if (plain != nullptr) plain->append(part.text);
        break;
      case Kind::kActionName:
        BuildActionLink(context, &s.link);
        EmitLinked(context.action_name, s.link, target, out, plain);
        break;
      case Kind::kActionLink:
        BuildActionLink(context, &s.link);
        EmitValue(s.link, target, out, plain);
        break;
      case Kind::kEvent:
        BuildEventLink(context, &s.link);
        EmitLinked(context.event_name, s.link, target, out, plain);
        break;
      case Kind::kEventLink:
        BuildEventLink(context, &s.link);
        EmitValue(s.link, target, out, plain);
        break;
      case Kind::kEventUuid:
        EmitValue(context.event_uuid, target, out, plain);
        break;
      case Kind::kEventName:
        EmitValue(context.event_name, target, out, plain);
        break;
      case Kind::kEventTimestamp:
        EmitValue(context.timestamp, target, out, plain);
        break;
      case Kind::kEventDistinctId:
        EmitValue(context.distinct_id, target, out, plain);
        break;
      case Kind::kPerson:
        BuildPersonLink(context, &s.link);
        BuildPersonDisplay(context, &person_props, &s.value);
        EmitLinked(s.value, s.link, target, out, plain);
        break;
      case Kind::kPersonLink:
        BuildPersonLink(context, &s.link);
        EmitValue(s.link, target, out, plain);
        break;
      case Kind::kEventProperty:
      case Kind::kPersonProperty: {
        LazyObject& source = part.kind == Kind::kEventProperty ? event_props : person_props;
        simdjson::dom::element root;
        simdjson::dom::element value;
        const Lookup found =
            source.Get(&root) ? WalkPath(root, part.path, &value) : Lookup::kUndefined;
        if (found == Lookup::kTypeError) {
          out->resize(out_start);
          if (plain != nullptr) plain->resize(plain_start);
          AppendTemplateError(context, target, &s.link, out, plain);
          return;
        }
        s.value.clear();
        if (found == Lookup::kFound) {
          AppendStringified(value, &s.value);
        } else {
          s.value.assign("undefined");
        }
        EmitValue(s.value, target, out, plain);
        break;
      }
    }
  }
}

}  // namespace actiond::engine
