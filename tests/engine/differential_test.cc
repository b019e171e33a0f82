// The indexed ActionSet against the plain one-action-at-a-time evaluation, on generated actions
// and events: they must agree on every event. And the view the ingest pipeline matches (an
// event read from its capture request's parse) against the view a backfill reads (the stored
// record): they must agree on every event too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_set.h"
#include "engine/capture_payload.h"
#include "engine/capture_record.h"
#include "engine/compiled_action.h"
#include "engine/event_reader.h"
#include "engine/event_view.h"
#include "engine/match_explanation.h"

namespace actiond::engine {
namespace {

constexpr int kActions = 240;
constexpr int kEvents = 100'000;
// Explain builds a full report per (event, action): checking it on every 10th event keeps the
// sanitized run of this test within a minute (every event took 8 minutes under ASan) while
// 10,000 events × 240 actions still compare it with the matcher.
constexpr int kExplainEvery = 10;

const std::vector<std::string> kEventNames = {"$pageview", "$autocapture", "$rageclick",
                                              "signup",    "purchase",     "Bestellung ✓"};
const std::vector<std::string> kHosts = {"https://www.acme.io", "https://app.acme.io",
                                         "http://docs.acme.io"};
const std::vector<std::string> kPaths = {
    "/",          "/pricing", "/blog/2024/launch",         "/docs/v2", "/signup?ref=a",
    "/café/menu", "/Pricing", "/checkout/success?plan=pro"};
const std::vector<std::string> kTexts = {"Sign up", "Pricing", "Buy now", "Save; continue", ""};
const std::vector<std::string> kHrefs = {"/pricing", "/signup", "#pro", ""};
const std::vector<std::string> kPlans = {"free", "pro", "team"};

class Generator;
std::vector<std::shared_ptr<const CompiledAction>> GenerateActions(Generator& generator);

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng_)];
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string Step() {
    std::vector<std::string> fields;
    if (Chance(0.8)) fields.push_back(R"("event": ")" + Pick(kEventNames) + "\"");
    if (Chance(0.45)) {
      static const std::vector<std::string> kModes = {"contains", "exact", "regex"};
      const std::string& mode = Pick(kModes);
      std::string url =
          mode == "exact" ? Pick(kHosts) + Pick(kPaths)
          : mode == "regex"
              ? Pick(std::vector<std::string>{"^https://app", "/blog/\\\\d{4}/", "(?i)pricing",
                                              "success$", "docs\\\\.acme"})
              : Pick(std::vector<std::string>{"/pricing", "acme.io/%/launch", "/v_/", "caf_",
                                              "?ref=", "%"});
      fields.push_back(R"("url": ")" + url + R"(", "url_matching": ")" + mode + "\"");
    }
    if (Chance(0.2))
      fields.push_back(R"("tag_name": ")" +
                       Pick(std::vector<std::string>{"button", "a", "span", "form"}) + "\"");
    if (Chance(0.2)) {
      fields.push_back(R"("text": ")" + Pick(kTexts) + R"(", "text_matching": ")" +
                       Pick(std::vector<std::string>{"exact", "contains", "regex"}) + "\"");
    }
    if (Chance(0.1)) fields.push_back(R"("href": ")" + Pick(kHrefs) + "\"");
    if (Chance(0.15)) {
      fields.push_back(
          R"("selector": ")" +
          Pick(std::vector<std::string>{"button", "form > button", ".btn", "nav a.nav-link",
                                        "#signup", "[data-attr=cta]", "li:nth-child(2) > a", "*"}) +
          "\"");
    }
    if (Chance(0.35)) {
      static const std::vector<std::string> kFilters = {
          R"({"key": "plan", "value": ["pro", "team"], "type": "person"})",
          R"({"key": "plan", "value": "free", "operator": "is_not"})",
          R"({"key": "amount", "value": 50, "operator": "gt"})",
          R"({"key": "amount", "value": [10, 90], "operator": "between"})",
          R"({"key": "coupon", "operator": "is_set"})",
          R"({"key": "coupon", "operator": "is_not_set"})",
          R"({"key": "utm_source", "value": "NEWS", "operator": "icontains"})",
          R"({"key": "version", "value": "1.4.0", "operator": "semver_gte"})",
          R"({"key": "text", "value": "Sign up", "type": "element"})",
          R"({"key": "selector", "value": "form button", "type": "element"})",
          R"({"key": "seen_at", "value": "-7d", "operator": "is_date_after"})",
      };
      fields.push_back(R"("properties": [)" + Pick(kFilters) + "]");
    }
    std::string out = "{";
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + fields[i];
    return out + "}";
  }

  std::string StepsJson() {
    int steps = Int(1, 3);
    std::string out = "[";
    for (int i = 0; i < steps; ++i) out += (i ? ", " : "") + Step();
    return out + "]";
  }

  // A stored record: the event with its person's properties.
  std::string Event() {
    std::string record = EventWithoutPerson();
    record.pop_back();  // the closing brace
    return record + R"(, "person_properties": )" + PersonProperties() + "}";
  }

  std::string PersonProperties() { return R"({"plan": ")" + Pick(kPlans) + "\"}"; }

  // The event as a capture body holds it (with the members a record also has).
  std::string EventWithoutPerson() {
    std::string record = R"({"event": ")" + Pick(kEventNames) + R"(", "timestamp": "2024-06-)" +
                         std::to_string(Int(10, 28)) + R"(T12:00:00Z", "properties": {)";
    record += R"("$current_url": )" +
              (Chance(0.9) ? "\"" + Pick(kHosts) + Pick(kPaths) + "\"" : std::string("7"));
    if (Chance(0.5)) record += R"(, "amount": )" + std::to_string(Int(0, 100));
    if (Chance(0.3)) record += R"(, "coupon": )" + std::string(Chance(0.5) ? "null" : "\"X\"");
    if (Chance(0.4)) record += R"(, "utm_source": "newsletter")";
    if (Chance(0.4)) record += R"(, "version": "1.)" + std::to_string(Int(0, 9)) + R"(.0")";
    if (Chance(0.3)) record += R"(, "seen_at": "2024-06-0)" + std::to_string(Int(1, 9)) + "\"";
    record += "}";
    if (Chance(0.5)) {
      record +=
          R"(, "elements_chain": "button.btn.btn-primary:attr__data-attr=\"cta\"nth-child=\")" +
          std::to_string(Int(1, 3)) + R"(\"text=\")" + Pick(kTexts) + R"(\";a.nav-link:href=\")" +
          Pick(kHrefs) + R"(\"nth-child=\"2\";li:nth-child=\"2\";form:attr_id=\"signup\";nav")";
    }
    return record + "}";
  }

 private:
  std::mt19937_64 rng_;
};

std::vector<std::shared_ptr<const CompiledAction>> GenerateActions(Generator& generator) {
  std::vector<std::shared_ptr<const CompiledAction>> actions;
  for (int id = 1; id <= kActions; ++id) {
    std::string json = generator.StepsJson();
    auto steps = ParseActionSteps(json);
    EXPECT_TRUE(steps.ok()) << json << ": " << steps.status().ToString();
    if (!steps.ok()) continue;
    auto compiled = CompileAction(id, *steps);
    EXPECT_TRUE(compiled.ok()) << json << ": " << compiled.status().ToString();
    if (compiled.ok()) actions.push_back(*compiled);
  }
  return actions;
}

TEST(DifferentialTest, IndexedSetAgreesWithPlainEvaluationOnEveryEvent) {
  Generator generator(20261130);
  const std::vector<std::shared_ptr<const CompiledAction>> actions = GenerateActions(generator);
  ASSERT_EQ(actions.size(), static_cast<size_t>(kActions));
  auto set = ActionSet::Build(actions);

  EventReader reader;
  MatchScratch scratch;
  std::vector<ActionId> indexed, plain;
  int64_t total_matches = 0;
  int disagreements = 0;
  for (int i = 0; i < kEvents; ++i) {
    std::string record = generator.Event();
    auto view = reader.Read(record);
    ASSERT_TRUE(view.ok()) << record;
    set->Match(**view, &scratch, &indexed);
    plain.clear();
    for (const auto& action : actions) {
      const bool matches = ActionMatches(*action, **view);
      if (matches) plain.push_back(action->id());
      // Explain evaluates through the same steps as the matcher (match_explanation.h).
      if (i % kExplainEvery == 0 && ExplainAction(*action, **view).matched != matches &&
          ++disagreements <= 5) {
        ADD_FAILURE() << "explain and match disagree on action " << action->id() << ": " << record;
      }
    }
    if (indexed != plain && ++disagreements <= 5) {
      ADD_FAILURE() << "indexed and plain disagree on " << record;
    }
    total_matches += static_cast<int64_t>(plain.size());
  }
  EXPECT_EQ(disagreements, 0);
  // The workload must exercise matching, not agree on "nothing matches".
  EXPECT_GT(total_matches, kEvents);
}

class NoRandom : public RandomSource {
  void Fill(uint8_t* out, size_t size) override { std::fill(out, out + size, uint8_t{7}); }
};

// Ingestion matches an event as ReadCaptured reads it from the request's parse (or, for a
// cluster log record, from its properties text); a backfill later matches the stored record.
// Both must see the same event, or live counts and backfilled counts would differ.
TEST(DifferentialTest, CapturedEventsMatchAsTheirStoredRecords) {
  constexpr int kBatches = 400;
  constexpr int kBatchSize = 50;
  Generator generator(20261204);
  const std::vector<std::shared_ptr<const CompiledAction>> actions = GenerateActions(generator);
  ASSERT_EQ(actions.size(), static_cast<size_t>(kActions));
  auto set = ActionSet::Build(actions);

  CapturePayloadParser parser;
  NoRandom random;
  CaptureOptions options;
  options.now_ms = 1'718'000'000'000;
  options.random = &random;
  EventReader from_record, from_request, from_text;
  MatchScratch scratch;
  std::vector<ActionId> record_matches, request_matches, text_matches;
  std::string record;
  int64_t total_matches = 0;
  int disagreements = 0;
  for (int b = 0; b < kBatches; ++b) {
    std::string body = R"({"api_key": "phc_differential", "batch": [)";
    std::vector<std::string> persons;
    for (int i = 0; i < kBatchSize; ++i) {
      std::string event = generator.EventWithoutPerson();
      event.pop_back();
      body += (i ? ", " : "") + event + R"(, "distinct_id": "d)" + std::to_string(i) + "\"}";
      persons.push_back(generator.PersonProperties());
    }
    body += "]}";
    CaptureRequest request;
    ASSERT_TRUE(parser.Parse(body, options, &request).ok()) << body;
    ASSERT_EQ(request.events.size(), static_cast<size_t>(kBatchSize));
    for (size_t i = 0; i < request.events.size(); ++i) {
      const CapturedEvent& event = request.events[i];
      BuildEventRecord(event, "person-uuid", persons[i], &record);
      auto stored = from_record.Read(record);
      auto live = from_request.ReadCaptured(event, request.parsed.get(), i, persons[i]);
      auto logged = from_text.ReadCaptured(event, nullptr, i, persons[i]);
      ASSERT_TRUE(stored.ok() && live.ok() && logged.ok()) << record;
      for (const EventView* view : {*live, *logged}) {
        EXPECT_EQ(view->name(), (*stored)->name());
        EXPECT_EQ(view->uuid(), (*stored)->uuid());
        EXPECT_EQ(view->distinct_id(), (*stored)->distinct_id());
        EXPECT_EQ(view->timestamp_ms(), (*stored)->timestamp_ms());
        EXPECT_EQ(view->current_url(), (*stored)->current_url());
        EXPECT_EQ(view->elements().size(), (*stored)->elements().size()) << record;
      }
      set->Match(**stored, &scratch, &record_matches);
      set->Match(**live, &scratch, &request_matches);
      set->Match(**logged, &scratch, &text_matches);
      if ((request_matches != record_matches || text_matches != record_matches) &&
          ++disagreements <= 5) {
        ADD_FAILURE() << "the captured event and its record match differently: " << record;
      }
      total_matches += static_cast<int64_t>(record_matches.size());
    }
  }
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(total_matches, kBatches * kBatchSize);  // matching was exercised
}

}  // namespace
}  // namespace actiond::engine
