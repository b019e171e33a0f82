// Webhook messages: the token table per target, escaping, the chat bodies and the REST-hook
// payload. Expected texts follow PostHog's plugin server (docs/webhooks.md).
#include "engine/message_template.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/webhook_body.h"
#include "engine/webhook_text.h"

namespace actiond::engine {
namespace {

constexpr std::string_view kEventProps = R"({
  "$browser": "Chrome", "page_title": "Pricing", "with space": "yes sir",
  "nested": {"a": {"b": 5}}, "list": ["x", "y"], "nothing": null, "flag": false,
  "num": 1.5, "big": 100000000000000000000000, "twice": 1, "twice": 2,
  "unicode": "héllo ✓ 日本", "markup": "*bold* <b> & _x_"})";
constexpr std::string_view kPersonProps = R"({"email": "test@posthog.com", "plan": {"tier": 3}})";

MessageContext BaseContext() {
  MessageContext c;
  c.site_url = "http://localhost:8000";
  c.project_id = 123;
  c.action_id = 1;
  c.action_name = "action1";
  c.event_uuid = "123";
  c.event_name = "$pageview";
  c.distinct_id = "WALL-E";
  c.timestamp = "2021-10-31T00:44:00.000Z";
  c.event_properties_json = kEventProps;
  c.person_properties_json = kPersonProps;
  return c;
}

struct Rendered {
  std::string markdown;
  std::string plain;
};

Rendered RenderWith(std::string_view format, const MessageContext& context, WebhookTarget target) {
  MessageScratch scratch;
  const MessageTemplate compiled = MessageTemplate::Compile(format);
  Rendered r;
  compiled.Render(context, target, &scratch, &r.markdown, &r.plain);
  return r;
}

std::string Teams(std::string_view format, const MessageContext& context = BaseContext()) {
  return RenderWith(format, context, WebhookTarget::kTeams).markdown;
}
std::string Slack(std::string_view format, const MessageContext& context = BaseContext()) {
  return RenderWith(format, context, WebhookTarget::kSlack).markdown;
}

constexpr std::string_view kActionUrl = "http://localhost:8000/project/123/action/1";
constexpr std::string_view kEventUrl =
    "http://localhost:8000/project/123/events/123/2021-10-31T00%3A44%3A00.000Z";
constexpr std::string_view kPersonUrl = "http://localhost:8000/project/123/person/WALL-E";
constexpr std::string_view kErrorTeams =
    "*\u26A0 Error: the message format of action \"[action1](http://localhost:8000/project/123/"
    "action/1)\" has a token that cannot be filled in.*";

struct TokenCase {
  std::string_view format;
  std::string teams;  // Markdown, as Teams and Discord get it
  std::string slack;  // mrkdwn
};

TEST(MessageTemplateTest, TokenTable) {
  const std::string action_md = "[action1](" + std::string(kActionUrl) + ")";
  const std::string action_slack = "<" + std::string(kActionUrl) + "|action1>";
  const std::vector<TokenCase> cases = {
      {"[action.name]", action_md, action_slack},
      {"[source.name]", action_md, action_slack},
      {"[action.link]", std::string(kActionUrl), std::string(kActionUrl)},
      {"[event]", "[$pageview](" + std::string(kEventUrl) + ")",
       "<" + std::string(kEventUrl) + "|$pageview>"},
      {"[event.link]", std::string(kEventUrl), std::string(kEventUrl)},
      {"[event.event]", "$pageview", "$pageview"},
      {"[event.name]", "$pageview", "$pageview"},
      {"[event.uuid]", "123", "123"},
      {"[event.distinct_id]", "WALL-E", "WALL-E"},
      {"[event.timestamp]", "2021-10-31T00:44:00.000Z", "2021-10-31T00:44:00.000Z"},
      {"[event.properties.$browser]", "Chrome", "Chrome"},
      {"[event.properties.with space]", "yes sir", "yes sir"},
      {"[event.properties.nested.a.b]", "5", "5"},
      {"[event.properties.nested.a]", R"({"b":5\})", R"({"b":5})"},
      {"[event.properties.list]", R"(["x","y"\])", R"(["x","y"])"},
      {"[event.properties.list.1]", "y", "y"},
      {"[event.properties.list.01]", "undefined", "undefined"},
      {"[event.properties.list.2]", "undefined", "undefined"},
      {"[event.properties.nothing]", "null", "null"},
      {"[event.properties.flag]", "false", "false"},
      {"[event.properties.num]", "1.5", "1.5"},
      {"[event.properties.big]", "1e+23", "1e+23"},
      {"[event.properties.twice]", "2", "2"},
      {"[event.properties.unicode]", "héllo ✓ 日本", "héllo ✓ 日本"},
      {"[event.properties.markup]", R"(*bold\* <b> & \_x\_)", "*bold* &lt;b&gt; &amp; _x_"},
      {"[event.properties.missing]", "undefined", "undefined"},
      {"[event.properties.nested.missing.deeper]", "undefined", "undefined"},
      {"[event.properties.flag.x]", "undefined", "undefined"},
      {"[event.properties]", "", ""},
      {"[event.foo]", "", ""},
      {"[person]", "[test@posthog.com](" + std::string(kPersonUrl) + ")",
       "<" + std::string(kPersonUrl) + "|test@posthog.com>"},
      {"[person.link]", std::string(kPersonUrl), std::string(kPersonUrl)},
      {"[person.properties.email]", "test@posthog.com", "test@posthog.com"},
      {"[person.properties.plan.tier]", "3", "3"},
      {"[person.properties.missing]", "undefined", "undefined"},
      {"[person.foo]", "", ""},
      {"[user.name]", "[test@posthog.com](" + std::string(kPersonUrl) + ")",
       "<" + std::string(kPersonUrl) + "|test@posthog.com>"},
      {"[user.browser]", "Chrome", "Chrome"},
      {"[user.missing_property]", "undefined", "undefined"},
      {"[user]", "undefined", "undefined"},
      {"[action.foo]", "", ""},
      {"[action]", "", ""},
      {"[groups]", "NOT SUPPORTED", "NOT SUPPORTED"},
      {"[groups.organization]", "(event without 'organization')", "(event without 'organization')"},
  };
  for (const TokenCase& c : cases) {
    EXPECT_EQ(Teams(c.format), c.teams) << c.format;
    EXPECT_EQ(RenderWith(c.format, BaseContext(), WebhookTarget::kDiscord).markdown, c.teams)
        << c.format;
    EXPECT_EQ(Slack(c.format), c.slack) << c.format;
  }
}

TEST(MessageTemplateTest, EmptyFormatIsPostHogsDefault) {
  const MessageTemplate compiled = MessageTemplate::Compile("");
  EXPECT_EQ(compiled.format(), "[action.name] was triggered by [person]");
  const Rendered slack = RenderWith("", BaseContext(), WebhookTarget::kSlack);
  EXPECT_EQ(slack.markdown, "<" + std::string(kActionUrl) + "|action1> was triggered by <" +
                                std::string(kPersonUrl) + "|test@posthog.com>");
  EXPECT_EQ(slack.plain, "action1 was triggered by test@posthog.com");
  EXPECT_EQ(Teams(""), "[action1](" + std::string(kActionUrl) + ") was triggered by [" +
                           "test@posthog.com](" + std::string(kPersonUrl) + ")");
}

TEST(MessageTemplateTest, LiteralTextIsKeptAsWritten) {
  EXPECT_EQ(Teams("no tokens at all"), "no tokens at all");
  EXPECT_EQ(Teams("*bold* & <b> 100%s %d %%"), "*bold* & <b> 100%s %d %%");
  EXPECT_EQ(Slack("<!here> [event.uuid]"), "<!here> 123");
  EXPECT_EQ(Teams("ünïcode ✓ [event.uuid] 日本"), "ünïcode ✓ 123 日本");
}

TEST(MessageTemplateTest, UnterminatedOrMultiLineBracketsAreText) {
  EXPECT_EQ(Teams("a [event.uuid"), "a [event.uuid");
  EXPECT_EQ(Teams("a ] b"), "a ] b");
  EXPECT_EQ(Teams("[event\n.uuid]"), "[event\n.uuid]");
  EXPECT_EQ(Teams("[event\r.uuid]"), "[event\r.uuid]");
  EXPECT_EQ(Teams("[event\u2028.uuid]"), "[event\u2028.uuid]");
  // The first `[` cannot close before the line ends; the second one can.
  EXPECT_EQ(Teams("[x\n[event.uuid]"), "[x\n123");
}

TEST(MessageTemplateTest, TokenRunsFromTheFirstOpenBracket) {
  // As PostHog's lazy regex: the token is `a [event.uuid`, whose first part is unknown.
  EXPECT_FALSE(MessageTemplate::Compile("[a [event.uuid]").all_tokens_known());
  EXPECT_EQ(Teams("[a [event.uuid]"), kErrorTeams);
}

TEST(MessageTemplateTest, ManyOpenBracketsCompileInLinearTime) {
  std::string format(1 << 20, '[');
  format += "\n[event.uuid]";
  const MessageTemplate compiled = MessageTemplate::Compile(format);
  ASSERT_EQ(compiled.parts().size(), 2u);
  EXPECT_EQ(compiled.parts()[1].kind, MessageTemplate::PartKind::kEventUuid);
}

TEST(MessageTemplateTest, BackslashEscapesBrackets) {
  EXPECT_EQ(Teams(R"([action.name\] got done by \[user.name\])"),
            "[action.name] got done by [user.name]");
  EXPECT_EQ(Teams(R"(\[event.uuid] then [event.uuid])"), "[event.uuid] then 123");
  EXPECT_EQ(Teams(R"(a \ b \\[event.uuid])"), R"(a \ b \[event.uuid])");
}

TEST(MessageTemplateTest, UnknownTokenRendersTheErrorMessage) {
  for (std::string_view format : {"[foo]", "hi []", "[event.uuid] [Event]", "[x[event.uuid]"}) {
    const MessageTemplate compiled = MessageTemplate::Compile(format);
    EXPECT_FALSE(compiled.all_tokens_known()) << format;
    EXPECT_EQ(Teams(format), kErrorTeams) << format;
  }
  const Rendered slack = RenderWith("[foo]", BaseContext(), WebhookTarget::kSlack);
  EXPECT_EQ(slack.markdown, "*\u26A0 Error: the message format of action \"<" +
                                std::string(kActionUrl) +
                                "|action1>\" has a token that cannot be filled in.*");
  EXPECT_EQ(slack.plain,
            "\u26A0 Error: the message format of action \"action1\" has a token that cannot be "
            "filled in.");
  EXPECT_TRUE(MessageTemplate::Compile("[event.foo] [groups.x]").all_tokens_known());
}

TEST(MessageTemplateTest, PathThroughNullRendersTheErrorMessage) {
  // PostHog reads `null.x`, a TypeError, and sends its error message instead.
  EXPECT_EQ(Teams("before [event.uuid] [event.properties.nothing.x]"), kErrorTeams);
}

TEST(MessageTemplateTest, SlackEscapesValuesAndLinks) {
  MessageContext c = BaseContext();
  c.event_uuid = "**>)";
  c.event_name = "text><new link";
  const Rendered r = RenderWith("[event]", c, WebhookTarget::kSlack);
  EXPECT_EQ(r.plain, "text&gt;&lt;new link");
  EXPECT_EQ(r.markdown,
            "<http://localhost:8000/project/123/events/**%3E)/2021-10-31T00%3A44%3A00.000Z|"
            "text&gt;&lt;new link>");
}

TEST(MessageTemplateTest, MarkdownEscapesValuesAndLinks) {
  MessageContext c = BaseContext();
  c.event_uuid = "**)";
  c.event_name = "text](yes!), [new link";
  const Rendered r = RenderWith("[event]", c, WebhookTarget::kTeams);
  EXPECT_EQ(r.plain, R"(text\]\(yes\!\), \[new link)");
  EXPECT_EQ(r.markdown, R"([text\]\(yes\!\), \[new link](http://localhost:8000/project/123/events/)"
                        R"(\*\*\)/2021-10-31T00%3A44%3A00.000Z))");
}

TEST(MessageTemplateTest, PersonDisplayName) {
  MessageContext c = BaseContext();
  c.person_properties_json = R"({"email": "", "Name": "  Ann\u00a0 ", "username": "ann"})";
  EXPECT_EQ(RenderWith("[person]", c, WebhookTarget::kTeams).plain, "Ann");

  c.person_properties_json = R"({"email": 42})";
  EXPECT_EQ(RenderWith("[person]", c, WebhookTarget::kTeams).plain, "42");

  c.person_properties_json = R"({"email": [], "name": "x"})";  // [] is truthy in JavaScript
  EXPECT_EQ(RenderWith("[person]", c, WebhookTarget::kSlack).plain, "[]");

  c.person_properties_json = R"({"$email": "dollar@x.io"})";
  EXPECT_EQ(RenderWith("[person]", c, WebhookTarget::kSlack).plain, "dollar@x.io");

  c.person_properties_json = "";
  c.distinct_id = "a b/c";
  const Rendered r = RenderWith("[person]", c, WebhookTarget::kSlack);
  EXPECT_EQ(r.plain, "a b/c");
  EXPECT_EQ(r.markdown, "<http://localhost:8000/project/123/person/a%20b%2Fc|a b/c>");

  const std::vector<std::string> custom = {"nazwisko"};
  c = BaseContext();
  c.person_properties_json = R"({"imię": "Grzegorz", "nazwisko": "Brzęczyszczykiewicz"})";
  c.person_display_name_properties = &custom;
  EXPECT_EQ(RenderWith("[person]", c, WebhookTarget::kTeams).plain, "Brzęczyszczykiewicz");

  const std::vector<std::string> none;
  c = BaseContext();
  c.person_display_name_properties = &none;
  EXPECT_EQ(RenderWith("[person]", c, WebhookTarget::kTeams).plain, "WALL-E");
}

TEST(MessageTemplateTest, UnreadablePropertiesCountAsEmpty) {
  MessageContext c = BaseContext();
  c.event_properties_json = "{not json";
  c.person_properties_json = "[1, 2]";
  EXPECT_EQ(Teams("[event.properties.$browser] [person.properties.email] [person]", c),
            "undefined undefined [WALL-E](" + std::string(kPersonUrl) + ")");
}

TEST(MessageTemplateTest, ScratchIsReusedAcrossRenders) {
  MessageScratch scratch;
  const MessageTemplate compiled = MessageTemplate::Compile("[event.properties.$browser]");
  MessageContext c = BaseContext();
  std::string out;
  compiled.Render(c, WebhookTarget::kTeams, &scratch, &out);
  c.event_properties_json = R"({"$browser": "Firefox"})";
  compiled.Render(c, WebhookTarget::kTeams, &scratch, &out);
  EXPECT_EQ(out, "ChromeFirefox");  // Render appends
}

TEST(MessageTextTest, Escapes) {
  std::string out;
  AppendMarkdownEscaped("#a#\n-b-\r+c*\n*d", &out);
  EXPECT_EQ(out, "\\#a#\n\\-b-\r\\+c\\*\n*d");
  out.clear();
  AppendSlackEscaped("a&b<c>d*", &out);
  EXPECT_EQ(out, "a&amp;b&lt;c&gt;d*");
  out.clear();
  AppendUriComponent("aZ0-_.!~*'() /?:@&=+$,#é", &out);
  EXPECT_EQ(out, "aZ0-_.!~*'()%20%2F%3F%3A%40%26%3D%2B%24%2C%23%C3%A9");
  EXPECT_EQ(TrimJsWhitespace(" \t\u3000x y\u00a0\ufeff\n"), "x y");
  EXPECT_EQ(TrimJsWhitespace("\u00e9"), "\u00e9");
  EXPECT_EQ(TrimJsWhitespace(" \n "), "");
}

TEST(MessageBodyTest, DetectsTargetByUrl) {
  EXPECT_EQ(DetectWebhookTarget("https://hooks.slack.com/services/T0/B0/x"), WebhookTarget::kSlack);
  EXPECT_EQ(DetectWebhookTarget("HTTPS://HOOKS.SLACK.COM/services/"), WebhookTarget::kSlack);
  EXPECT_EQ(DetectWebhookTarget("https://discord.com/api/webhooks/1/2"), WebhookTarget::kDiscord);
  EXPECT_EQ(DetectWebhookTarget("https://outlook.office.com/webhook/"), WebhookTarget::kTeams);
  EXPECT_EQ(DetectWebhookTarget("https://example.webhook.office.com/x"), WebhookTarget::kTeams);
  EXPECT_EQ(DetectWebhookTarget("https://example.com/hook"), WebhookTarget::kTeams);
  // A substring test, as PostHog's.
  EXPECT_EQ(DetectWebhookTarget("https://example.com/?via=slack.com"), WebhookTarget::kSlack);
  EXPECT_EQ(DetectWebhookTarget(""), WebhookTarget::kTeams);
}

TEST(MessageBodyTest, BodyPerTarget) {
  MessageScratch scratch;
  const MessageTemplate compiled = MessageTemplate::Compile("");
  const std::string markdown =
      "[action1](http://localhost:8000/project/123/action/1) was triggered by "
      "[test@posthog.com](http://localhost:8000/project/123/person/WALL-E)";
  std::string body;
  RenderWebhookBody(compiled, BaseContext(), "https://hooks.slack.com/services/T/B/x", &scratch,
                    &body);
  EXPECT_EQ(body,
            "{\"text\":\"<http://localhost:8000/project/123/action/1|action1> was triggered by "
            "<http://localhost:8000/project/123/person/WALL-E|test@posthog.com>\"}");
  body.clear();
  RenderWebhookBody(compiled, BaseContext(), "https://discord.com/api/webhooks/1/x", &scratch,
                    &body);
  EXPECT_EQ(body, "{\"content\":\"" + markdown + "\"}");
  body.clear();
  RenderWebhookBody(compiled, BaseContext(), "https://outlook.office.com/webhook/x", &scratch,
                    &body);
  EXPECT_EQ(body, "{\"text\":\"" + markdown + "\"}");
}

TEST(MessageBodyTest, BodyIsJsonEscaped) {
  MessageScratch scratch;
  const MessageTemplate compiled = MessageTemplate::Compile("\"[event.event]\"\n\t[event]");
  MessageContext c = BaseContext();
  c.event_name = "a\\b";
  std::string body;
  RenderWebhookBody(compiled, c, "https://example.com/", &scratch, &body);
  // Markdown doubles the backslash, JSON doubles it again.
  EXPECT_EQ(body,
            "{\"text\":\"\\\"a\\\\\\\\b\\\"\\n\\t[a\\\\\\\\b](http://localhost:8000/"
            "project/123/events/123/2021-10-31T00%3A44%3A00.000Z)\"}");
}

TEST(MessageBodyTest, RestHookPayload) {
  MessageScratch scratch;
  MessageContext c = BaseContext();
  c.event_properties_json = R"({"$browser": "Chrome", "n": 1.0, "big": 100000000000000000000000})";
  c.person_properties_json = R"({"foo": "bar"})";
  c.person_uuid = "018c6a7e-0000-7000-8000-000000000001";
  c.person_created_at = "2021-10-30T12:00:00.000Z";
  c.elements_json = R"([{"tag_name": "a", "order": 0}])";
  const RestHook hook{"hook-id", "action_performed", "https://hooks.zapier.com/x"};
  std::string body;
  RenderRestHookBody(hook, c, &scratch, &body);
  EXPECT_EQ(body, R"({"hook":{"id":"hook-id","event":"action_performed","target":)"
                  R"("https://hooks.zapier.com/x"},"data":{"eventUuid":"123","event":"$pageview",)"
                  R"("teamId":123,"distinctId":"WALL-E","properties":{"$browser":"Chrome","n":1,)"
                  R"("big":1e+23},"timestamp":"2021-10-31T00:44:00.000Z",)"
                  R"("elementsList":[{"tag_name":"a","order":0}],"person":{"uuid":)"
                  R"("018c6a7e-0000-7000-8000-000000000001","properties":{"foo":"bar"},)"
                  R"("created_at":"2021-10-30T12:00:00.000Z"}}})");

  c.person_uuid = "";
  c.elements_json = "";
  c.event_properties_json = "not json";
  body.clear();
  RenderRestHookBody(hook, c, &scratch, &body);
  EXPECT_NE(body.find(R"("properties":{},)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("elementsList":[],"person":{}}})"), std::string::npos) << body;
}

}  // namespace
}  // namespace actiond::engine
