// Fuzz target: the indexed ActionSet against the plain one-action-at-a-time evaluation
// (ActionMatches, as tests/engine/differential_test.cc does), on actions and events both made
// from the fuzz input.
//
// Input: lines. `A <action body>` is an Actions API body (ParseActionRequest, CompileAction),
// `E <event record>` a stored event record (EventReader). Inputs starting with byte 0x01 are
// instead read by a FuzzedDataProvider that assembles actions and events from small
// vocabularies (chains, properties, big numbers, dates, patterns), so that mutations of bytes
// still make well-formed cases. The seeds (tests/fuzz/corpus/matcher_differential/) are the
// conformance cases written in the line form (tests/fuzz/make_corpus.py).
//
// Checks: for every event, the ids ActionSet::Match reports are exactly the actions
// ActionMatches accepts, ascending; reading the same record twice gives the same answer.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_definition.h"
#include "engine/action_set.h"
#include "engine/event_reader.h"
#include "engine/json_text.h"

namespace {

using actiond::engine::ActionId;
using actiond::engine::CompiledAction;

constexpr size_t kMaxActions = 8;
constexpr size_t kMaxEvents = 8;

template <size_t N>
std::string_view Pick(FuzzedDataProvider& in, const std::string_view (&items)[N]) {
  return items[in.ConsumeIntegralInRange<size_t>(0, N - 1)];
}

constexpr std::string_view kNames[] = {"$pageview", "$autocapture", "signup", "", "e"};
constexpr std::string_view kKeys[] = {"n", "s", "d", "at", "v", "$current_url", "tags"};
constexpr std::string_view kOperators[] = {
    "exact", "is_not", "icontains",     "not_icontains", "regex",      "not_regex",
    "gt",    "lte",    "between",       "is_set",        "is_not_set", "is_date_before",
    "in",    "",       "is_date_after", "is_date_exact", "semver_gte", "semver_neq"};
constexpr std::string_view kValues[] = {"1",
                                        "100000000000000000000",
                                        "2e20",
                                        "0.00030000000000000003",
                                        "-0",
                                        "\"7\"",
                                        "\"a%_b\"",
                                        "\"\\u212Aelvin\"",
                                        "\"2024-01-15T10:00:00.0005Z\"",
                                        "\"2024-01-15t15:00+05\"",
                                        "\"-3d\"",
                                        "\"1.2.3\"",
                                        "\"1.2-\"",
                                        "[1, \"x\"]",
                                        "[0, 10]",
                                        "\"^a.*\"",
                                        "\"(?i)SIGN\"",
                                        "true",
                                        "null"};
constexpr std::string_view kPatterns[] = {"/pricing", "%",          "_",  "a%b",
                                          "SIGN%up",  "",           "\\", "\xC3\xA9t\xC3\xA9",
                                          "[",        "^https?://", "x_y"};
constexpr std::string_view kMatching[] = {"exact", "contains", "regex", ""};
constexpr std::string_view kSelectors[] = {
    "a", "#x", ".big", "[href='/h']", "div > a", "*", "[data-x]", ":nth-child(2)", "a:hover"};
constexpr std::string_view kChains[] = {
    "a.btn:id=\"x\"class=\"big\"href=\"/h\"data-x=\"1\"text=\"Go\";div:attr__id=\"root\"",
    "button.big:attr__class=\"big btn\"attr__id=\"x\"nth-child=\"2\"text=\"Sign up\";form",
    "a:attr__href=\"/h\"text=\"say \\\"hi\\\"\";span:text=\"unterminated",
    "",
    ";;a",
    "li>a:href=\"/pricing\"attr__data-x=\"1\""};

void AppendField(std::string_view key, std::string_view value_json, std::string* out) {
  if (out->back() != '{') out->push_back(',');
  actiond::engine::AppendJsonString(key, out);
  out->push_back(':');
  out->append(value_json);
}

std::string Quoted(std::string_view text) {
  std::string out;
  actiond::engine::AppendJsonString(text, &out);
  return out;
}

std::string MakeAction(FuzzedDataProvider& in) {
  std::string body = "{\"steps\":[";
  const int steps = in.ConsumeIntegralInRange(0, 3);
  for (int s = 0; s < steps; ++s) {
    if (s > 0) body.push_back(',');
    body.push_back('{');
    const uint8_t present = in.ConsumeIntegral<uint8_t>();
    if (present & 1) AppendField("event", Quoted(Pick(in, kNames)), &body);
    if (present & 2) {
      AppendField("url", Quoted(Pick(in, kPatterns)), &body);
      AppendField("url_matching", Quoted(Pick(in, kMatching)), &body);
    }
    if (present & 4) {
      AppendField("text", Quoted(Pick(in, kPatterns)), &body);
      AppendField("text_matching", Quoted(Pick(in, kMatching)), &body);
    }
    if (present & 8) {
      AppendField("href", Quoted(Pick(in, kPatterns)), &body);
      AppendField("href_matching", Quoted(Pick(in, kMatching)), &body);
    }
    if (present & 16) AppendField("selector", Quoted(Pick(in, kSelectors)), &body);
    if (present & 32) AppendField("tag_name", Quoted(in.ConsumeBool() ? "a" : "button"), &body);
    if (present & 64) {
      std::string filters = "[";
      const int count = in.ConsumeIntegralInRange(1, 3);
      for (int f = 0; f < count; ++f) {
        if (f > 0) filters.push_back(',');
        filters.push_back('{');
        const int type = in.ConsumeIntegralInRange(0, 2);
        const bool element = type == 2;
        AppendField("key", Quoted(element ? (in.ConsumeBool() ? "text" : "href") : Pick(in, kKeys)),
                    &filters);
        AppendField("type",
                    Quoted(type == 0   ? "event"
                           : type == 1 ? "person"
                                       : "element"),
                    &filters);
        AppendField("operator", Quoted(Pick(in, kOperators)), &filters);
        AppendField("value", Pick(in, kValues), &filters);
        filters.push_back('}');
      }
      filters.push_back(']');
      AppendField("properties", filters, &body);
    }
    body.push_back('}');
  }
  body.append("]}");
  return body;
}

std::string MakeEvent(FuzzedDataProvider& in) {
  std::string properties = "{";
  const int count = in.ConsumeIntegralInRange(0, 5);
  for (int p = 0; p < count; ++p) {
    std::string_view key = Pick(in, kKeys);
    if (key == "$current_url") {
      AppendField(key, Quoted(in.ConsumeRandomLengthString(40)), &properties);
    } else {
      AppendField(key, Pick(in, kValues), &properties);  // repeats allowed: the last wins
    }
  }
  const std::string_view chain = Pick(in, kChains);
  if (in.ConsumeBool() && !chain.empty())
    AppendField("$elements_chain", Quoted(chain), &properties);
  properties.push_back('}');
  std::string record = "{\"uuid\":\"0190a3b4-0000-7000-8000-000000000001\",\"event\":";
  record.append(Quoted(Pick(in, kNames)));
  record.append(
      ",\"distinct_id\":\"u\",\"timestamp\":\"2024-01-16T00:00:00.000Z\",\"properties\":");
  record.append(properties);
  if (in.ConsumeBool()) record.append(",\"elements_chain\":").append(Quoted(Pick(in, kChains)));
  record.append(",\"person_properties\":{\"n\":").append(Pick(in, kValues)).append("}}");
  return record;
}

void ReadLines(std::string_view input, std::vector<std::string>* actions,
               std::vector<std::string>* events) {
  while (!input.empty()) {
    const size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    if (line.size() < 2 || line[1] != ' ') continue;
    if (line[0] == 'A' && actions->size() < kMaxActions) actions->emplace_back(line.substr(2));
    if (line[0] == 'E' && events->size() < kMaxEvents) events->emplace_back(line.substr(2));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace actiond::engine;  // NOLINT: a fuzz target's one function
  static EventReader reader;
  static MatchScratch scratch;

  std::vector<std::string> action_bodies, records;
  if (size > 0 && data[0] == 0x01) {
    FuzzedDataProvider in(data + 1, size - 1);
    const size_t actions = in.ConsumeIntegralInRange<size_t>(1, kMaxActions);
    for (size_t i = 0; i < actions; ++i) action_bodies.push_back(MakeAction(in));
    const size_t events = in.ConsumeIntegralInRange<size_t>(1, kMaxEvents);
    for (size_t i = 0; i < events; ++i) records.push_back(MakeEvent(in));
  } else {
    ReadLines(std::string_view(reinterpret_cast<const char*>(data), size), &action_bodies,
              &records);
  }

  std::vector<std::shared_ptr<const CompiledAction>> actions;
  std::vector<ActionId> ids;
  for (const std::string& body : action_bodies) {
    actiond::Result<ActionRequest> request = ParseActionRequest(body);
    if (!request.ok() || !request->steps) continue;
    const ActionId id = static_cast<ActionId>(actions.size() * 2 + 3);  // ascending, gapped
    actiond::Result<std::shared_ptr<const CompiledAction>> action =
        CompileAction(id, *request->steps);
    if (!action.ok()) continue;
    actions.push_back(*action);
    ids.push_back(id);
  }
  if (actions.empty()) return 0;
  const std::shared_ptr<const ActionSet> set = ActionSet::Build(actions);

  std::vector<ActionId> matched, expected;
  for (const std::string& record : records) {
    actiond::Result<const EventView*> view = reader.Read(record);
    if (!view.ok()) continue;
    expected.clear();
    for (size_t i = 0; i < actions.size(); ++i) {
      if (ActionMatches(*actions[i], **view)) expected.push_back(ids[i]);
    }
    set->Match(**view, &scratch, &matched);
    if (matched != expected) abort();
    // Matching has no memory of earlier events: the same record again, the same answer.
    view = reader.Read(record);
    if (!view.ok()) abort();
    set->Match(**view, &scratch, &matched);
    if (matched != expected) abort();
  }
  return 0;
}
