#include "engine/property_filter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/event_reader.h"
#include "engine/event_view.h"

namespace actiond::engine {
namespace {

// Compiles a filter from JSON text; the parsed document is gone when the filter is used, so
// every test also checks that a filter owns what it needs.
Result<PropertyFilter> Compile(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return Internal("bad test JSON");
  return PropertyFilter::Compile(root);
}

PropertyFilter MustCompile(std::string_view json) {
  auto filter = Compile(json);
  EXPECT_TRUE(filter.ok()) << json << ": " << filter.status().ToString();
  return std::move(filter).value();
}

class PropertyFilterTest : public ::testing::Test {
 protected:
  // The event: `properties` and `person_properties` as JSON object text, timestamp
  // 2024-01-15T00:00:00Z unless given.
  const EventView& Event(std::string_view properties, std::string_view person = "{}",
                         std::string_view extra = "",
                         std::string_view timestamp = "2024-01-15T00:00:00Z") {
    std::string record = R"({"event":"e","timestamp":")" + std::string(timestamp) +
                         R"(","properties":)" + std::string(properties) +
                         R"(,"person_properties":)" + std::string(person) + std::string(extra) +
                         "}";
    auto view = reader_.Read(record);
    EXPECT_TRUE(view.ok()) << record << ": " << view.status().ToString();
    return **view;
  }

  bool Matches(std::string_view filter, std::string_view properties) {
    PropertyFilter f = MustCompile(filter);
    return f.Matches(Event(properties));
  }

  // How many of the property objects pass the filter.
  int Count(std::string_view filter, const std::vector<std::string>& properties,
            std::string_view timestamp = "2024-01-15T00:00:00Z") {
    PropertyFilter f = MustCompile(filter);
    int count = 0;
    for (const std::string& p : properties) count += f.Matches(Event(p, "{}", "", timestamp));
    return count;
  }

  EventReader reader_;
};

void ExpectError(std::string_view filter, StatusCode code, std::string_view attr) {
  auto result = Compile(filter);
  ASSERT_FALSE(result.ok()) << filter;
  EXPECT_EQ(result.status().code(), code) << filter << ": " << result.status().ToString();
  EXPECT_EQ(result.status().attr(), attr) << filter << ": " << result.status().ToString();
}

// An invalid-input error of the given reason (required, invalid_choice) at `attr`.
void ExpectError(std::string_view filter, StatusReason reason, std::string_view attr) {
  ExpectError(filter, StatusCode::kInvalidInput, attr);
  EXPECT_EQ(Compile(filter).status().reason(), reason) << filter;
}

constexpr char kOrder[] =
    R"({"order_id": "ord_8F3K2", "revenue": 129.99, "currency": "EUR", "items": 3,
        "coupon": null, "is_first_order": true, "tags": ["summer-sale", "newsletter"],
        "shipping": {"method": "express"}, "utm.source": "newsletter", "status_code": 404,
        "order_number": 1048576, "plan_name": "Enterprise Annual",
        "promo_text": "Save 50% today", "seats": "42"})";

// --- Compile: defaults and validation ---------------------------------------------------------

TEST_F(PropertyFilterTest, TypeDefaultsToEventAndOperatorToExact) {
  PropertyFilter f = MustCompile(R"({"key": "currency", "value": "EUR"})");
  EXPECT_EQ(f.type(), PropertyFilter::Type::kEvent);
  EXPECT_EQ(f.key(), "currency");
  EXPECT_TRUE(f.Matches(Event(kOrder)));
  EXPECT_TRUE(
      Matches(R"({"key": "currency", "value": "EUR", "type": null, "operator": null})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "currency", "value": "eur"})", kOrder));
  // "" is a default too (docs/semantics.md §8.11).
  PropertyFilter blank =
      MustCompile(R"({"key": "currency", "value": "EUR", "type": "", "operator": ""})");
  EXPECT_EQ(blank.type(), PropertyFilter::Type::kEvent);
  EXPECT_TRUE(blank.Matches(Event(kOrder)));
  EXPECT_FALSE(
      Matches(R"({"key": "currency", "value": "EU", "type": "", "operator": ""})", kOrder));
}

TEST_F(PropertyFilterTest, UnknownTypeIsInvalidChoice) {
  for (std::string_view type :
       {"cohort", "group", "session", "hogql", "data_warehouse", " ", "Event"}) {
    ExpectError(R"({"key": "k", "value": 1, "type": ")" + std::string(type) + "\"}",
                StatusReason::kInvalidChoice, "type");
  }
  ExpectError(R"({"key": "k", "value": 1, "type": 3})", StatusReason::kInvalidChoice, "type");
}

TEST_F(PropertyFilterTest, UnknownOperatorIsInvalidChoice) {
  for (std::string_view op : {"contains", "equals", "EXACT", " ", "is_cohort", "not_between_x"}) {
    ExpectError(R"({"key": "k", "value": 1, "operator": ")" + std::string(op) + "\"}",
                StatusReason::kInvalidChoice, "operator");
  }
}

TEST_F(PropertyFilterTest, InvalidChoiceMessagesListTheChoices) {
  const auto type = Compile(R"({"key": "k", "value": 1, "type": "cohort"})");
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.status().message().find("use event, person or element"), std::string_view::npos)
      << type.status().ToString();
  const auto op = Compile(R"({"key": "k", "value": 1, "operator": "equals"})");
  ASSERT_FALSE(op.ok());
  EXPECT_NE(op.status().message().find("use exact, is_not, "), std::string_view::npos)
      << op.status().ToString();
}

TEST_F(PropertyFilterTest, MissingKeyIsRequired) {
  ExpectError(R"({"value": 1})", StatusReason::kRequired, "key");
  ExpectError(R"({"key": null, "value": 1})", StatusReason::kRequired, "key");
  ExpectError(R"({"key": "", "value": 1})", StatusReason::kRequired, "key");
  ExpectError(R"({"key": 5, "value": 1})", StatusCode::kInvalidInput, "key");
  ExpectError(R"("key")", StatusCode::kInvalidInput, "");
}

TEST_F(PropertyFilterTest, NullValueIsInvalidExceptForSetOperators) {
  ExpectError(R"({"key": "k"})", StatusCode::kInvalidInput, "value");
  ExpectError(R"({"key": "k", "value": null, "operator": "is_not"})", StatusCode::kInvalidInput,
              "value");
  ExpectError(R"({"key": "k", "value": ["a", null]})", StatusCode::kInvalidInput, "value");
  EXPECT_TRUE(Compile(R"({"key": "k", "operator": "is_set"})").ok());
  EXPECT_TRUE(Compile(R"({"key": "k", "value": null, "operator": "is_not_set"})").ok());
  EXPECT_TRUE(Compile(R"({"key": "k", "value": "(", "operator": "is_set"})").ok());
}

TEST_F(PropertyFilterTest, InvalidRegexIsInvalidInputOnValue) {
  ExpectError(R"j({"key": "k", "value": "(?=x)", "operator": "regex"})j", StatusCode::kInvalidInput,
              "value");
  ExpectError(R"({"key": "k", "value": ["ok", "(unclosed"], "operator": "not_regex"})",
              StatusCode::kInvalidInput, "value");
  ExpectError(R"({"key": "k", "value": "\\pL{1000}", "operator": "regex"})",
              StatusCode::kInvalidInput, "value");
}

TEST_F(PropertyFilterTest, InAndNotInNeedAList) {
  ExpectError(R"({"key": "k", "value": "pro", "operator": "in"})", StatusCode::kInvalidInput,
              "value");
  ExpectError(R"({"key": "k", "value": "pro", "operator": "not_in"})", StatusCode::kInvalidInput,
              "value");
}

TEST_F(PropertyFilterTest, NumericOperatorsNeedNumericValues) {
  for (std::string_view value :
       {R"("abc")", "true", R"("0x10")", R"("NaN")", R"(["1", "x"])", R"({"a": 1})", R"("")"}) {
    ExpectError(R"({"key": "k", "operator": "gt", "value": )" + std::string(value) + "}",
                StatusCode::kInvalidInput, "value");
  }
  EXPECT_TRUE(Compile(R"({"key": "k", "operator": "gt", "value": " 5 "})").ok());
  EXPECT_TRUE(Compile(R"({"key": "k", "operator": "max", "value": [1, "2.5"]})").ok());
}

TEST_F(PropertyFilterTest, BetweenNeedsTwoNumericBounds) {
  for (std::string_view value : {"5", "[1]", "[1, 2, 3]", R"([1, "x"])", "[]", R"("1,2")"}) {
    ExpectError(R"({"key": "k", "operator": "between", "value": )" + std::string(value) + "}",
                StatusCode::kInvalidInput, "value");
    ExpectError(R"({"key": "k", "operator": "not_between", "value": )" + std::string(value) + "}",
                StatusCode::kInvalidInput, "value");
  }
}

TEST_F(PropertyFilterTest, DateOperatorsNeedValidDates) {
  for (std::string_view value : {R"("yesterday")", R"("2024-02-30")", R"("-7x")", R"("7d")",
                                 "1705320000", R"("2024-01-15T25:00:00Z")", "true"}) {
    ExpectError(R"({"key": "k", "operator": "is_date_after", "value": )" + std::string(value) + "}",
                StatusCode::kInvalidInput, "value");
  }
}

TEST_F(PropertyFilterTest, SemverOperatorsNeedParseableVersions) {
  for (std::string_view value :
       {R"("1.2.3.4")", R"("latest")", R"("")", "true", R"(["1.0", "x"])", "1e21"}) {
    ExpectError(R"({"key": "k", "operator": "semver_gt", "value": )" + std::string(value) + "}",
                StatusCode::kInvalidInput, "value");
  }
  EXPECT_TRUE(Compile(R"({"key": "k", "operator": "semver_eq", "value": 2})").ok());
}

TEST_F(PropertyFilterTest, ElementFiltersAcceptOnlyTheirKeysAndOperators) {
  ExpectError(R"({"type": "element", "key": "attr__id", "value": "x"})",
              StatusReason::kInvalidChoice, "key");
  ExpectError(R"({"type": "element", "key": "selector", "value": "a", "operator": "icontains"})",
              StatusReason::kInvalidChoice, "operator");
  ExpectError(R"({"type": "element", "key": "selector", "operator": "is_set"})",
              StatusReason::kInvalidChoice, "operator");
  ExpectError(R"({"type": "element", "key": "text", "value": 1, "operator": "gt"})",
              StatusReason::kInvalidChoice, "operator");
  ExpectError(R"({"type": "element", "key": "href", "value": "x", "operator": "is_date_after"})",
              StatusReason::kInvalidChoice, "operator");
  ExpectError(R"({"type": "element", "key": "selector", "value": "a:hover"})",
              StatusCode::kInvalidInput, "value");
  ExpectError(R"({"type": "element", "key": "selector", "value": ["a", 5]})",
              StatusCode::kInvalidInput, "value");
  ExpectError(R"({"type": "element", "key": "text", "value": "(", "operator": "regex"})",
              StatusCode::kInvalidInput, "value");
  for (std::string_view key : {"text", "href", "tag_name", "selector"}) {
    for (std::string_view op : {"in", "not_in"}) {
      ExpectError(R"({"type": "element", "key": ")" + std::string(key) + R"(", "value": ["a"], )" +
                      R"("operator": ")" + std::string(op) + "\"}",
                  StatusReason::kInvalidChoice, "operator");
    }
  }
}

// --- exact / is_not / in / not_in -------------------------------------------------------------

TEST_F(PropertyFilterTest, KeysAreFlat) {
  EXPECT_TRUE(Matches(R"({"key": "utm.source", "value": "newsletter"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "shipping.method", "value": "express"})", kOrder));
}

TEST_F(PropertyFilterTest, ExactComparesComparisonForms) {
  EXPECT_TRUE(Matches(R"({"key": "revenue", "value": "129.99"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "revenue", "value": 129.99})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": "3"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "is_first_order", "value": "true"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "is_first_order", "value": true})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "tags", "value": "[\"summer-sale\",\"newsletter\"]"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "tags", "value": "newsletter"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "shipping", "value": "{\"method\":\"express\"}"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "shipping", "value": [{"method": "express"}]})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "coupon", "value": "null"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "missing", "value": ""})", kOrder));
}

TEST_F(PropertyFilterTest, NumbersCompareAsJavaScriptWritesThem) {
  const char* filter = R"({"key": "total_supply", "value": ["1e+21", "100000000000000000000"]})";
  EXPECT_EQ(Count(filter,
                  {R"({"total_supply": 1e21})", R"({"total_supply": "1e21"})",
                   R"({"total_supply": 1e+20})", R"({"total_supply": 1000000000000000000000.0})"}),
            3);
  EXPECT_EQ(Count(R"({"key": "amount", "value": "100"})",
                  {R"({"amount": 100.0})", R"({"amount": "100.0"})", R"({"amount": 100})"}),
            2);
  EXPECT_TRUE(Matches(R"({"key": "n", "value": "0"})", R"({"n": -0.0})"));
  EXPECT_TRUE(Matches(R"({"key": "n", "value": 1e-7})", R"({"n": "1e-7"})"));
  EXPECT_TRUE(
      Matches(R"({"key": "n", "value": "9007199254740992"})", R"({"n": 9007199254740993})"));
}

TEST_F(PropertyFilterTest, ExactWithAListIsAnyOf) {
  EXPECT_TRUE(Matches(R"({"key": "currency", "value": ["USD", "EUR"]})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "currency", "value": ["USD", "GBP"]})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "currency", "value": []})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "plan", "value": ["pro", "team"], "operator": "in"})",
                      R"({"plan": "pro"})"));
  std::string many = R"({"key": "k", "value": [)";
  for (int i = 0; i < 100; ++i) many += "\"v" + std::to_string(i) + "\",";
  many += R"("last"]})";
  EXPECT_TRUE(Matches(many, R"({"k": "v57"})"));
  EXPECT_TRUE(Matches(many, R"({"k": "last"})"));
  EXPECT_FALSE(Matches(many, R"({"k": "v100"})"));
}

TEST_F(PropertyFilterTest, IsNotAndNotInAreNoneOfAndPassWhenUnset) {
  EXPECT_TRUE(Matches(R"({"key": "currency", "value": "USD", "operator": "is_not"})", kOrder));
  EXPECT_FALSE(
      Matches(R"({"key": "currency", "value": ["USD", "EUR"], "operator": "is_not"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "referral", "value": "X", "operator": "is_not"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "coupon", "value": "X", "operator": "is_not"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "plan", "value": ["pro", "team"], "operator": "not_in"})",
                       R"({"plan": "pro"})"));
  EXPECT_TRUE(Matches(R"({"key": "plan", "value": ["pro", "team"], "operator": "not_in"})",
                      R"({"plan": "free"})"));
  EXPECT_TRUE(
      Matches(R"({"key": "plan", "value": [], "operator": "not_in"})", R"({"plan": "free"})"));
}

// --- icontains / regex ------------------------------------------------------------------------

TEST_F(PropertyFilterTest, IContainsIsLiteralAndCaseInsensitive) {
  EXPECT_TRUE(
      Matches(R"({"key": "plan_name", "value": "PRISE", "operator": "icontains"})", kOrder));
  EXPECT_FALSE(
      Matches(R"({"key": "promo_text", "value": "5_%", "operator": "icontains"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "promo_text", "value": "50%", "operator": "icontains"})", kOrder));
  EXPECT_FALSE(
      Matches(R"({"key": "promo_text", "value": "S_ve", "operator": "icontains"})", kOrder));
  EXPECT_TRUE(
      Matches(R"({"key": "t", "value": "a.c(", "operator": "icontains"})", R"({"t": "xA.C(y"})"));
  EXPECT_FALSE(
      Matches(R"({"key": "t", "value": "a.c", "operator": "icontains"})", R"({"t": "abc"})"));
  EXPECT_TRUE(
      Matches(R"({"key": "order_number", "value": "857", "operator": "icontains"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "order_number", "value": 857, "operator": "icontains"})", kOrder));
  EXPECT_TRUE(
      Matches(R"({"key": "is_first_order", "value": "RU", "operator": "icontains"})", kOrder));
  EXPECT_TRUE(
      Matches(R"({"key": "tags", "value": "SALE\",\"NEWS", "operator": "icontains"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "coupon", "value": "", "operator": "icontains"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "currency", "value": "", "operator": "icontains"})", kOrder));
}

TEST_F(PropertyFilterTest, IContainsUsesUnicodeSimpleCaseFolding) {
  EXPECT_TRUE(Matches(R"({"key": "p", "value": "äpfel", "operator": "icontains"})",
                      R"({"p": "BIO-ÄPFEL 1KG"})"));
  EXPECT_EQ(Count(R"({"key": "street", "operator": "icontains", "value": "STRASSE"})",
                  {R"({"street": "Hauptstraße 5"})", R"({"street": "HAUPTSTRASSE 5"})",
                   R"({"street": "Hauptstrasse 7"})"}),
            2);
  EXPECT_TRUE(Matches(R"({"key": "p", "value": "ΣΊΣΥΦΟΣ", "operator": "icontains"})",
                      R"({"p": "ο σίσυφοσ"})"));
}

TEST_F(PropertyFilterTest, NotIContainsIsNoneOfAndPassesWhenUnset) {
  EXPECT_FALSE(Matches(R"({"key": "ua", "value": ["android", "iphone"],
                          "operator": "not_icontains"})",
                       R"j({"ua": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)"})j"));
  EXPECT_TRUE(Matches(R"({"key": "ua", "value": ["android", "windows"],
                         "operator": "not_icontains"})",
                      R"j({"ua": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)"})j"));
  EXPECT_TRUE(Matches(R"({"key": "ua", "value": "x", "operator": "not_icontains"})", "{}"));
  EXPECT_TRUE(
      Matches(R"({"key": "ua", "value": [], "operator": "not_icontains"})", R"({"ua": "x"})"));
  EXPECT_FALSE(Matches(R"({"key": "ua", "value": [], "operator": "icontains"})", R"({"ua": "x"})"));
}

TEST_F(PropertyFilterTest, IContainsTakesLongValueLists) {
  std::string filter = R"({"key": "ua", "operator": "not_icontains", "value": [)";
  for (int i = 0; i < 500; ++i) filter += "\"agent-number-" + std::to_string(i) + "\",";
  filter += R"("LastBot"]})";
  PropertyFilter f = MustCompile(filter);
  EXPECT_FALSE(f.Matches(Event(R"({"ua": "x agent-NUMBER-0 y"})")));
  EXPECT_FALSE(f.Matches(Event(R"({"ua": "x agent-number-499 y"})")));
  EXPECT_FALSE(f.Matches(Event(R"({"ua": "a lastbot"})")));
  EXPECT_TRUE(f.Matches(Event(R"({"ua": "agent-number-x"})")));
}

TEST_F(PropertyFilterTest, LiteralValuesCarryNoRegexCapUpTo65535Bytes) {
  const std::string long_value = std::string(4200, 'a') + "\xC3\x89";   // ends in É
  const std::string text = "x" + std::string(4200, 'A') + "\xC3\xA9y";  // ... é
  for (std::string_view op : {"icontains", "exact", "is_not", "not_icontains"}) {
    EXPECT_TRUE(Compile(R"({"key": "k", "operator": ")" + std::string(op) + R"(", "value": ")" +
                        std::string(65535, 'a') + "\"}")
                    .ok())
        << op;
    ExpectError(R"({"key": "k", "operator": ")" + std::string(op) + R"(", "value": ")" +
                    std::string(65536, 'a') + "\"}",
                StatusCode::kInvalidInput, "value");
  }
  EXPECT_TRUE(Matches(R"({"key": "k", "operator": "icontains", "value": ")" + long_value + "\"}",
                      R"({"k": ")" + text + "\"}"));
  EXPECT_FALSE(
      Matches(R"({"key": "k", "operator": "not_icontains", "value": ")" + long_value + "\"}",
              R"({"k": ")" + text + "\"}"));
  EXPECT_FALSE(Matches(R"({"key": "k", "operator": "icontains", "value": ")" + long_value + "\"}",
                       R"({"k": ")" + std::string(5000, 'a') + "\"}"));
  EXPECT_TRUE(Matches(R"({"key": "k", "operator": "exact", "value": ")" + long_value + "\"}",
                      R"({"k": ")" + long_value + "\"}"));
  // `%` and `_` stay plain characters; simple case folding (KELVIN SIGN is k).
  EXPECT_TRUE(Matches(R"({"key": "k", "operator": "icontains", "value": "50%_OFF"})",
                      R"({"k": "save 50%_off now"})"));
  EXPECT_FALSE(Matches(R"({"key": "k", "operator": "icontains", "value": "50%"})",
                       R"({"k": "save 50 now"})"));
  EXPECT_TRUE(Matches(R"({"key": "k", "operator": "icontains", "value": "\u212Aelvin"})",
                      R"({"k": "KELVIN"})"));
}

TEST_F(PropertyFilterTest, IContainsCostIsLinearInTheText) {
  // KMP: an adversarial value/text pair that is quadratic for a naive search.
  const std::string value = std::string(30000, 'a') + "b";
  PropertyFilter f =
      MustCompile(R"({"key": "k", "operator": "icontains", "value": ")" + value + "\"}");
  const std::string properties = R"({"k": ")" + std::string(200000, 'A') + "\"}";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(f.Matches(Event(properties)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST_F(PropertyFilterTest, RegexSearchesTheComparisonForm) {
  EXPECT_TRUE(
      Matches(R"({"key": "order_id", "value": "^ord_[A-Z0-9]{5}$", "operator": "regex"})", kOrder));
  EXPECT_TRUE(
      Matches(R"({"key": "status_code", "value": "^4\\d\\d$", "operator": "regex"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "revenue", "value": "\\.99$", "operator": "regex"})", kOrder));
  EXPECT_TRUE(
      Matches(R"({"key": "shipping", "value": "^\\{\"method\"", "operator": "regex"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "order_id", "value": "^ORD", "operator": "regex"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "order_id", "value": "(?i)^ORD", "operator": "regex"})", kOrder));
  EXPECT_TRUE(
      Matches(R"({"key": "order_id", "value": ["^x", "K2$"], "operator": "regex"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "coupon", "value": ".*", "operator": "regex"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "s", "value": "^$", "operator": "regex"})", R"({"s": ""})"));
}

TEST_F(PropertyFilterTest, NotRegexIsNoneOfAndPassesWhenUnset) {
  EXPECT_FALSE(
      Matches(R"({"key": "order_id", "value": "^ord_", "operator": "not_regex"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "gift", "value": ".", "operator": "not_regex"})", kOrder));
  EXPECT_FALSE(
      Matches(R"({"key": "order_id", "value": ["^x", "K2$"], "operator": "not_regex"})", kOrder));
  EXPECT_TRUE(
      Matches(R"({"key": "order_id", "value": ["^x", "^y"], "operator": "not_regex"})", kOrder));
}

// --- numeric ----------------------------------------------------------------------------------

TEST_F(PropertyFilterTest, ComparisonsAreStrictOrInclusive) {
  EXPECT_FALSE(Matches(R"({"key": "items", "value": 3, "operator": "gt"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": 3, "operator": "gte"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "items", "value": 3, "operator": "lt"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": 3, "operator": "lte"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": 3, "operator": "min"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": 3, "operator": "max"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "items", "value": 2, "operator": "max"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": "2.5", "operator": "gt"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": [10, 2], "operator": "gt"})", kOrder));
}

TEST_F(PropertyFilterTest, NumericStringsCompareNumerically) {
  EXPECT_TRUE(Matches(R"({"key": "seats", "value": 10, "operator": "gt"})", kOrder));
  EXPECT_FALSE(
      Matches(R"({"key": "seats", "value": 10, "operator": "gt"})", R"({"seats": "42 seats"})"));
  EXPECT_EQ(Count(R"({"key": "quantity", "operator": "gt", "value": 4})",
                  {R"({"quantity": "+5"})", R"({"quantity": ".5"})", R"({"quantity": " 7 "})"}),
            2);
  EXPECT_EQ(Count(R"({"key": "retry_count", "operator": "gte", "value": 1})",
                  {R"({"retry_count": "0x10"})", R"({"retry_count": "NaN"})",
                   R"({"retry_count": "Infinity"})", R"({"retry_count": "16"})"}),
            1);
}

TEST_F(PropertyFilterTest, ComparisonsFailOnNonNumericProperties) {
  for (std::string_view op : {"gt", "gte", "lt", "lte", "min", "max"}) {
    std::string filter = R"({"key": "k", "value": 0, "operator": ")" + std::string(op) + "\"}";
    EXPECT_FALSE(Matches(filter, R"({"k": true})")) << op;
    EXPECT_FALSE(Matches(filter, R"({"k": [1]})")) << op;
    EXPECT_FALSE(Matches(filter, R"({"k": {"a": 1}})")) << op;
    EXPECT_FALSE(Matches(filter, R"({"k": null})")) << op;
    EXPECT_FALSE(Matches(filter, R"({"k": ""})")) << op;
    EXPECT_FALSE(Matches(filter, "{}")) << op;
  }
}

TEST_F(PropertyFilterTest, BetweenIsInclusiveWithNumericStringBounds) {
  EXPECT_TRUE(Matches(R"({"key": "items", "value": [1, 3], "operator": "between"})", kOrder));
  EXPECT_TRUE(Matches(R"({"key": "items", "value": [3, 3], "operator": "between"})", kOrder));
  EXPECT_FALSE(Matches(R"({"key": "items", "value": [3, 3], "operator": "not_between"})", kOrder));
  EXPECT_EQ(Count(R"({"key": "price", "operator": "between", "value": ["10", "20.5"]})",
                  {R"({"price": 15})", R"({"price": "20.5"})", R"({"price": "9.99"})",
                   R"({"price": "abc"})"}),
            2);
}

TEST_F(PropertyFilterTest, NotBetweenNeedsANumericProperty) {
  EXPECT_TRUE(
      Matches(R"({"key": "revenue", "value": [0, 100], "operator": "not_between"})", kOrder));
  EXPECT_FALSE(
      Matches(R"({"key": "discount", "value": [0, 10], "operator": "not_between"})", kOrder));
  EXPECT_EQ(Count(R"({"key": "age", "operator": "not_between", "value": [18, 65]})",
                  {R"({"age": "unknown"})", R"({"age": 70})", R"({"age": "seventy"})",
                   R"({"age": true})", R"({"age": 17.5})", R"({"age": 65})"}),
            2);
}

TEST_F(PropertyFilterTest, BetweenWithMinAboveMax) {
  EXPECT_EQ(
      Count(R"({"key": "score", "operator": "between", "value": [100, 10]})",
            {R"({"score": 50})", R"({"score": 5})", R"({"score": 500})", R"({"score": 100})"}),
      0);
  EXPECT_EQ(Count(R"({"key": "score", "operator": "not_between", "value": [100, 10]})",
                  {R"({"score": 50})", R"({"score": 5})", R"({"score": 500})", R"({"score": 10})",
                   R"({"score": "n/a"})"}),
            4);
}

// --- is_set / is_not_set ----------------------------------------------------------------------

TEST_F(PropertyFilterTest, NullCountsAsNotSet) {
  const std::vector<std::string> events = {R"({"coupon": "SUMMER10"})", R"({"coupon": ""})",
                                           R"({"coupon": null})", "{}"};
  EXPECT_EQ(Count(R"({"key": "coupon", "operator": "is_set"})", events), 2);
  EXPECT_EQ(Count(R"({"key": "coupon", "operator": "is_not_set"})", events), 2);
  EXPECT_TRUE(Matches(R"({"key": "k", "operator": "is_set"})", R"({"k": false})"));
  EXPECT_TRUE(Matches(R"({"key": "k", "operator": "is_set"})", R"({"k": []})"));
  EXPECT_TRUE(Matches(R"({"key": "k", "operator": "is_set", "value": "ignored"})", R"({"k": 0})"));
}

// --- dates ------------------------------------------------------------------------------------

TEST_F(PropertyFilterTest, AbsoluteDates) {
  const char* at = R"({"t": "2024-01-15T12:00:00Z"})";
  EXPECT_TRUE(Matches(R"({"key": "t", "value": "2024-02-01", "operator": "is_date_before"})", at));
  EXPECT_FALSE(Matches(R"({"key": "t", "value": "2024-02-01", "operator": "is_date_after"})", at));
  EXPECT_TRUE(Matches(R"({"key": "t", "value": "2024-01-15", "operator": "is_date_exact"})", at));
  EXPECT_TRUE(Matches(R"({"key": "t", "value": "2024-01-15T23:59:00+00:00",
                         "operator": "is_date_exact"})",
                      at));
  EXPECT_FALSE(Matches(R"({"key": "t", "value": "2024-01-16", "operator": "is_date_exact"})", at));
  // A date-only value is 00:00 UTC of that day for before/after too.
  EXPECT_TRUE(Matches(R"({"key": "t", "value": "2024-01-15", "operator": "is_date_after"})", at));
  EXPECT_FALSE(Matches(R"({"key": "t", "value": "2024-01-15", "operator": "is_date_after"})",
                       R"({"t": "2024-01-15"})"));
  EXPECT_TRUE(Matches(R"({"key": "t", "value": ["2020-01-01", "2024-01-15"],
                         "operator": "is_date_exact"})",
                      at));
}

TEST_F(PropertyFilterTest, DatesKeepMicroseconds) {
  constexpr char kAt[] = R"({"t": "2024-01-15T10:00:00.0005Z", "n": 1705312800.0005})";
  for (std::string_view key : {"t", "n"}) {
    auto filter = [&](std::string_view op, std::string_view value) {
      return R"({"key": ")" + std::string(key) + R"(", "operator": ")" + std::string(op) +
             R"(", "value": ")" + std::string(value) + "\"}";
    };
    EXPECT_TRUE(Matches(filter("is_date_after", "2024-01-15T10:00:00Z"), kAt)) << key;
    EXPECT_TRUE(Matches(filter("is_date_after", "2024-01-15T10:00:00.000499Z"), kAt)) << key;
    EXPECT_FALSE(Matches(filter("is_date_after", "2024-01-15T10:00:00.0005Z"), kAt)) << key;
    EXPECT_TRUE(Matches(filter("is_date_before", "2024-01-15T10:00:00.000501Z"), kAt)) << key;
    EXPECT_TRUE(Matches(filter("is_date_exact", "2024-01-15"), kAt)) << key;
  }
  EXPECT_TRUE(
      Matches(R"({"key": "t", "operator": "is_date_before", "value": "2024-01-15t15:00+05"})",
              R"({"t": "2024-01-15T09:59:59.9999999Z"})"));
}

TEST_F(PropertyFilterTest, EpochNumbers) {
  EXPECT_TRUE(Matches(R"({"key": "t", "value": "2024-01-15", "operator": "is_date_exact"})",
                      R"({"t": 1705320000})"));
  EXPECT_TRUE(Matches(R"({"key": "t", "value": "2023-12-01", "operator": "is_date_after"})",
                      R"({"t": 1705320000000})"));
  EXPECT_EQ(Count(R"({"key": "expires_at", "operator": "is_date_after", "value": "2100-01-01"})",
                  {R"({"expires_at": 99999999999})", R"({"expires_at": 100000000000})"}),
            1);
}

TEST_F(PropertyFilterTest, UnparseableDatesFailEveryDateOperator) {
  for (std::string_view op : {"is_date_exact", "is_date_before", "is_date_after"}) {
    std::string filter =
        R"({"key": "t", "value": "2024-01-15", "operator": ")" + std::string(op) + "\"}";
    for (std::string_view props : {R"({"t": "15/01/2024"})", R"({"t": "Jan 15 2024"})",
                                   R"({"t": "1705320000"})", R"({"t": true})", R"({"t": null})",
                                   R"({"t": ["2024-01-15"]})", "{}", R"({"t": "2024-01-15 "})"}) {
      EXPECT_FALSE(Matches(filter, props)) << op << " " << props;
    }
  }
}

TEST_F(PropertyFilterTest, RelativeDatesAtTheSixDigitLimitStayInRange) {
  // -999999y is about 3·10¹⁶ ms back, beyond int64 in microseconds: the bound is clamped past
  // the date range, so every date is after it and none before it or on its day.
  const char* ts = "2021-03-10T12:00:00.000Z";
  const std::vector<std::string> dates = {R"({"d": "0001-01-01T00:00:00Z"})",
                                          R"({"d": "1970-01-01"})", R"({"d": 0})"};
  EXPECT_EQ(Count(R"({"key": "d", "operator": "is_date_after", "value": "-999999y"})", dates, ts),
            3);
  EXPECT_EQ(Count(R"({"key": "d", "operator": "is_date_before", "value": "-999999y"})", dates, ts),
            0);
  EXPECT_EQ(Count(R"({"key": "d", "operator": "is_date_exact", "value": "-999999y"})", dates, ts),
            0);
  EXPECT_EQ(Count(R"({"key": "d", "operator": "is_date_after", "value": "-999999w"})", dates, ts),
            3);  // about 19,000 years back: within int64 microseconds, no clamp needed
}

TEST_F(PropertyFilterTest, IsDateExactComparesTheUtcDay) {
  EXPECT_EQ(Count(R"({"key": "d", "operator": "is_date_exact", "value": "2021-03-11"})",
                  {R"({"d": "2021-03-10T21:30:00-05:00"})", R"({"d": "2021-03-12T01:00:00+02:00"})",
                   R"({"d": "2021-03-11T00:30:00+02:00"})"}),
            2);
}

TEST_F(PropertyFilterTest, RelativeDatesCountBackFromTheEventTimestamp) {
  const char* ts = "2021-03-10T12:00:00.000Z";
  EXPECT_EQ(Count(R"({"key": "l", "operator": "is_date_after", "value": "-7d"})",
                  {R"({"l": "2021-03-05T08:00:00Z"})", R"({"l": "2021-03-03T11:59:59Z"})"}, ts),
            1);
  EXPECT_EQ(Count(R"({"key": "l", "operator": "is_date_before", "value": "-7d"})",
                  {R"({"l": "2020-06-01"})"}),
            1);
  // -1m is a calendar month: 2021-02-10T12:00Z.
  EXPECT_EQ(Count(R"({"key": "s", "operator": "is_date_before", "value": "-1m"})",
                  {R"({"s": "2021-02-10T11:00:00Z"})", R"({"s": "2021-02-10T12:00:00Z"})",
                   R"({"s": "2021-02-09T13:00:00Z"})"},
                  ts),
            2);
  EXPECT_EQ(Count(R"({"key": "s", "operator": "is_date_exact", "value": "-1y"})",
                  {R"({"s": "2020-03-10T00:00:00Z"})", R"({"s": "2020-03-11T00:00:00Z"})"}, ts),
            1);
  EXPECT_EQ(Count(R"({"key": "s", "operator": "is_date_after", "value": "-36h"})",
                  {R"({"s": "2021-03-09T00:00:00.001Z"})", R"({"s": "2021-03-09T00:00:00Z"})"}, ts),
            1);
  EXPECT_EQ(Count(R"({"key": "s", "operator": "is_date_after", "value": "-2w"})",
                  {R"({"s": "2021-02-24T12:00:01Z"})", R"({"s": "2021-02-24T11:00:00Z"})"}, ts),
            1);
}

TEST_F(PropertyFilterTest, BeforeAndAfterAreStrict) {
  PropertyFilter after =
      MustCompile(R"({"key": "r", "operator": "is_date_after", "value": "-1d"})");
  PropertyFilter before =
      MustCompile(R"({"key": "r", "operator": "is_date_before", "value": "-1d"})");
  const char* ts = "2021-06-01T09:30:00.000Z";
  EXPECT_FALSE(after.Matches(Event(R"({"r": "2021-05-31T09:30:00Z"})", "{}", "", ts)));
  EXPECT_FALSE(before.Matches(Event(R"({"r": "2021-05-31T09:30:00Z"})", "{}", "", ts)));
  EXPECT_TRUE(after.Matches(Event(R"({"r": "2021-05-31T09:30:00.001Z"})", "{}", "", ts)));
  EXPECT_TRUE(before.Matches(Event(R"({"r": "2021-05-31T09:29:59.999Z"})", "{}", "", ts)));
}

// --- semver -----------------------------------------------------------------------------------

TEST_F(PropertyFilterTest, SemverOperators) {
  EXPECT_TRUE(
      Matches(R"({"key": "v", "value": "1.2.9", "operator": "semver_gt"})", R"({"v": "1.2.10"})"));
  EXPECT_TRUE(
      Matches(R"({"key": "v", "value": "2.1.0", "operator": "semver_eq"})", R"({"v": "v2.1"})"));
  EXPECT_FALSE(Matches(R"({"key": "v", "value": "1.0.0", "operator": "semver_lt"})",
                       R"({"v": "1.0.0-beta.2"})"));
  EXPECT_TRUE(
      Matches(R"({"key": "v", "value": "3.4", "operator": "semver_gte"})", R"({"v": "3.4.0"})"));
  EXPECT_FALSE(
      Matches(R"({"key": "v", "value": "3.3.9", "operator": "semver_lte"})", R"({"v": "3.4.0"})"));
  EXPECT_TRUE(
      Matches(R"({"key": "v", "value": "3.4.1", "operator": "semver_lt"})", R"({"v": "3.4.0"})"));
  EXPECT_TRUE(
      Matches(R"({"key": "v", "value": "3.4.0", "operator": "semver_neq"})", R"({"v": "3.4.1"})"));
  EXPECT_EQ(
      Count(R"({"key": "v", "operator": "semver_eq", "value": "2.4.1"})",
            {R"({"v": "V2.4.1+build.7"})", R"({"v": "2.4.1+20210310"})", R"({"v": "2.4.10"})"}),
      2);
}

TEST_F(PropertyFilterTest, UnparseableVersionsFailAllButSemverNeq) {
  for (std::string_view op : {"semver_eq", "semver_gt", "semver_gte", "semver_lt", "semver_lte"}) {
    std::string filter =
        R"({"key": "v", "value": "1.0.0", "operator": ")" + std::string(op) + "\"}";
    for (std::string_view props : {R"({"v": "1.2.3.4"})", R"({"v": "latest"})", R"({"v": true})",
                                   R"({"v": null})", "{}", R"({"v": [1]})", R"({"v": 1e21})"}) {
      EXPECT_FALSE(Matches(filter, props)) << op << " " << props;
    }
  }
  for (std::string_view props :
       {R"({"v": "1.2.3.4"})", R"({"v": "1.2.3.4.5"})", R"({"v": null})", "{}", R"({"v": true})"}) {
    EXPECT_TRUE(Matches(R"({"key": "v", "value": "1.2.3", "operator": "semver_neq"})", props))
        << props;
  }
}

TEST_F(PropertyFilterTest, SemverReadsNumbersThroughTheirComparisonForm) {
  EXPECT_EQ(Count(R"({"key": "s", "operator": "semver_gt", "value": "1.2.0"})",
                  {R"({"s": 1.1})", R"({"s": 2})", R"({"s": 1.25})"}),
            2);
  EXPECT_TRUE(
      Matches(R"({"key": "s", "operator": "semver_eq", "value": 1.2})", R"({"s": "1.2.0"})"));
}

TEST_F(PropertyFilterTest, SemverNeqWithAListIsNoneOf) {
  EXPECT_EQ(Count(R"({"key": "os", "operator": "semver_neq", "value": ["16.0", "17.0"]})",
                  {R"({"os": "16.0.0"})", R"({"os": "17.1"})", R"({"os": "v17"})"}),
            1);
  EXPECT_EQ(Count(R"({"key": "os", "operator": "semver_eq", "value": ["16.0", "17.0"]})",
                  {R"({"os": "16.0.0"})", R"({"os": "17.1"})", R"({"os": "v17"})"}),
            2);
}

// --- person -----------------------------------------------------------------------------------

TEST_F(PropertyFilterTest, PersonFiltersReadPersonProperties) {
  PropertyFilter f = MustCompile(R"({"key": "plan", "value": "pro", "type": "person"})");
  EXPECT_EQ(f.type(), PropertyFilter::Type::kPerson);
  EXPECT_TRUE(f.Matches(Event(R"({"plan": "free"})", R"({"plan": "pro"})")));
  EXPECT_FALSE(f.Matches(Event(R"({"plan": "pro"})", R"({"plan": "free"})")));
  PropertyFilter unset =
      MustCompile(R"({"key": "company", "operator": "is_not_set", "type": "person"})");
  EXPECT_TRUE(unset.Matches(Event(R"({"company": "Acme"})", R"({"email": "a@b.c"})")));
  EXPECT_FALSE(unset.Matches(Event("{}", R"({"company": "Acme"})")));
}

// --- element ----------------------------------------------------------------------------------

constexpr char kChain[] =
    R"(,"elements_chain":"span.label:nth-child=\"1\"text=\"Pricing\";a.nav-link:href=\"/pricing\"nth-child=\"2\";li.nav-item;ul.navbar-nav:attr_id=\"main-nav\";nav.navbar;body;html")";

TEST_F(PropertyFilterTest, ElementSelectorFilters) {
  const EventView* event = nullptr;
  auto matches = [&](std::string_view filter) {
    PropertyFilter f = MustCompile(filter);
    event = &Event("{}", "{}", kChain);
    return f.Matches(*event);
  };
  EXPECT_TRUE(matches(R"({"type": "element", "key": "selector", "value": "nav a.nav-link"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "selector",
                         "value": ["footer a", "ul#main-nav a"]})"));
  EXPECT_FALSE(matches(R"({"type": "element", "key": "selector", "value": ["footer a"]})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "selector", "value": "form button",
                         "operator": "is_not"})"));
  EXPECT_FALSE(matches(R"({"type": "element", "key": "selector", "value": ["form", "li"],
                          "operator": "is_not"})"));
}

TEST_F(PropertyFilterTest, ElementFieldFiltersPassWhenSomeElementPasses) {
  auto matches = [&](std::string_view filter) {
    PropertyFilter f = MustCompile(filter);
    return f.Matches(Event("{}", "{}", kChain));
  };
  EXPECT_TRUE(matches(R"({"type": "element", "key": "text", "value": "Pricing"})"));
  EXPECT_FALSE(matches(R"({"type": "element", "key": "text", "value": "pricing"})"));
  EXPECT_FALSE(matches(R"({"type": "element", "key": "text", "value": "Pricing",
                          "operator": "is_not"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "text", "value": "Docs",
                         "operator": "is_not"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "href", "value": "PRICING",
                         "operator": "icontains"})"));
  EXPECT_FALSE(matches(R"({"type": "element", "key": "href", "value": "PRICING",
                          "operator": "not_icontains"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "tag_name", "value": "li"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "tag_name", "value": "^n.v$",
                         "operator": "regex"})"));
  EXPECT_FALSE(matches(R"({"type": "element", "key": "tag_name", "value": "^n.v$",
                          "operator": "not_regex"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "tag_name", "value": "^form$",
                         "operator": "not_regex"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "href", "operator": "is_set"})"));
  EXPECT_FALSE(matches(R"({"type": "element", "key": "href", "operator": "is_not_set"})"));
  // Elements without text have "" there: regex ".*" and "^$" match them.
  EXPECT_TRUE(matches(R"({"type": "element", "key": "text", "value": "^$",
                         "operator": "regex"})"));
  EXPECT_TRUE(matches(R"({"type": "element", "key": "text", "value": ""})"));
}

TEST_F(PropertyFilterTest, ElementIsSetNeedsANonEmptyValue) {
  PropertyFilter is_set =
      MustCompile(R"({"type": "element", "key": "href", "operator": "is_set"})");
  PropertyFilter is_not_set =
      MustCompile(R"({"type": "element", "key": "href", "operator": "is_not_set"})");
  const char* empty_href = R"(,"elements_chain":"a:href=\"\";div")";
  EXPECT_FALSE(is_set.Matches(Event("{}", "{}", empty_href)));
  EXPECT_TRUE(is_not_set.Matches(Event("{}", "{}", empty_href)));
}

TEST_F(PropertyFilterTest, EventWithoutElementsFailsEveryElementFilter) {
  for (std::string_view filter :
       {R"({"type": "element", "key": "text", "value": "Pricing", "operator": "is_not"})",
        R"({"type": "element", "key": "text", "value": "x", "operator": "not_icontains"})",
        R"({"type": "element", "key": "text", "value": "x", "operator": "not_regex"})",
        R"({"type": "element", "key": "href", "operator": "is_not_set"})",
        R"({"type": "element", "key": "selector", "value": "a", "operator": "is_not"})",
        R"({"type": "element", "key": "selector", "value": "a"})",
        R"({"type": "element", "key": "text", "value": ".*", "operator": "regex"})"}) {
    PropertyFilter f = MustCompile(filter);
    EXPECT_FALSE(f.Matches(Event(R"({"$current_url": "https://x.io/"})"))) << filter;
  }
}

TEST_F(PropertyFilterTest, FiltersAreMovable) {
  PropertyFilter f =
      MustCompile(R"({"key": "v", "value": ["1.0", "2.0"], "operator": "semver_eq"})");
  PropertyFilter moved = std::move(f);
  std::vector<PropertyFilter> filters;
  filters.push_back(std::move(moved));
  for (int i = 0; i < 20; ++i) {
    filters.push_back(MustCompile(R"({"key": "k", "value": "x"})"));
  }
  EXPECT_TRUE(filters[0].Matches(Event(R"({"v": "2"})")));
  EXPECT_FALSE(filters[0].Matches(Event(R"({"v": "3"})")));
}

}  // namespace
}  // namespace actiond::engine
