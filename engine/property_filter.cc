// PropertyFilter::Matches: evaluation of a compiled filter against one event (docs/semantics.md §6,
// §8). Compilation lives in property_filter_compile.cc. Nothing here allocates once the thread's
// scratch string has grown: string properties are compared in place, other kinds are written
// into that scratch.
#include <algorithm>
#include <string>
#include <string_view>

#include "engine/date_time.h"
#include "engine/json_text.h"
#include "engine/property_filter_internal.h"
#include "engine/property_value.h"

namespace actiond::engine {
namespace {

using Compiled = FilterState;

std::string* Scratch() noexcept {
  thread_local std::string scratch;
  return &scratch;
}

bool IsNegative(FilterOperator op) noexcept {
  return op == FilterOperator::kIsNot || op == FilterOperator::kNotIContains ||
         op == FilterOperator::kNotRegex || op == FilterOperator::kSemverNeq;
}

// The positive counterpart of a string operator: the test that negative operators invert.
bool StringTest(const Compiled& c, std::string_view form) noexcept {
  switch (c.op) {
    case FilterOperator::kExact:
    case FilterOperator::kIsNot:
      return std::binary_search(c.values.begin(), c.values.end(), form,
                                [](std::string_view a, std::string_view b) { return a < b; });
    case FilterOperator::kIContains:
    case FilterOperator::kNotIContains:
      for (const LiteralSearch& search : c.searches) {
        if (search.Matches(form)) return true;
      }
      return false;
    case FilterOperator::kRegex:
    case FilterOperator::kNotRegex:
      for (const auto& regex : c.regexes) {
        if (re2::RE2::PartialMatch(re2::StringPiece(form.data(), form.size()), *regex)) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}

// A number, or a string that parses wholly as one; nothing else (docs/semantics.md §8.5).
bool NumericValue(const PropertyValue& value, double* out) noexcept {
  if (value.kind() == PropertyValue::Kind::kNumber) {
    *out = value.number();
    return true;
  }
  if (value.kind() == PropertyValue::Kind::kString) {
    return ParseWholeNumber(value.string(), out);
  }
  return false;
}

bool NumericTest(const Compiled& c, double x) noexcept {
  switch (c.op) {
    case FilterOperator::kBetween:
      return c.low <= x && x <= c.high;
    case FilterOperator::kNotBetween:
      return x < c.low || x > c.high;
    default:
      break;
  }
  for (double bound : c.numbers) {
    bool pass = false;
    switch (c.op) {
      case FilterOperator::kGt:
        pass = x > bound;
        break;
      case FilterOperator::kGte:
        pass = x >= bound;
        break;
      case FilterOperator::kLt:
        pass = x < bound;
        break;
      case FilterOperator::kLte:
        pass = x <= bound;
        break;
      default:
        break;
    }
    if (pass) return true;
  }
  return false;
}

// A string in ISO 8601, or epoch seconds / milliseconds as a number (docs/semantics.md §8.6), in
// microseconds: dates keep them, as ClickHouse's DateTime64(6) does.
bool DateValue(const PropertyValue& value, int64_t* out_us) noexcept {
  if (value.kind() == PropertyValue::Kind::kString) {
    auto parsed = ParseIso8601(value.string());
    if (!parsed) return false;
    *out_us = parsed->epoch_us;
    return true;
  }
  if (value.kind() == PropertyValue::Kind::kNumber) {
    auto micros = EpochNumberToMicros(value.number());
    if (!micros) return false;
    *out_us = *micros;
    return true;
  }
  return false;
}

int64_t UtcDayOfMicros(int64_t epoch_us) noexcept {
  int64_t ms = epoch_us / kMicrosPerMilli;
  if (epoch_us % kMicrosPerMilli < 0) --ms;  // floor
  return UtcDay(ms);
}

bool DateTest(const Compiled& c, int64_t property_us, int64_t event_ms) noexcept {
  for (const DateOperand& date : c.dates) {
    const int64_t value_us =
        date.relative ? SubtractRelativeMicros(event_ms, date.offset) : date.epoch_us;
    bool pass = false;
    switch (c.op) {
      case FilterOperator::kDateExact:
        pass = UtcDayOfMicros(property_us) == UtcDayOfMicros(value_us);
        break;
      case FilterOperator::kDateBefore:
        pass = property_us < value_us;
        break;
      case FilterOperator::kDateAfter:
        pass = property_us > value_us;
        break;
      default:
        break;
    }
    if (pass) return true;
  }
  return false;
}

bool SemverTest(const Compiled& c, const SemVer& version) noexcept {
  for (const SemVer& operand : c.semvers) {
    const int cmp = CompareSemVer(version, operand);
    bool pass = false;
    switch (c.op) {
      case FilterOperator::kSemverEq:
      case FilterOperator::kSemverNeq:
        pass = cmp == 0;
        break;
      case FilterOperator::kSemverGt:
        pass = cmp > 0;
        break;
      case FilterOperator::kSemverGte:
        pass = cmp >= 0;
        break;
      case FilterOperator::kSemverLt:
        pass = cmp < 0;
        break;
      case FilterOperator::kSemverLte:
        pass = cmp <= 0;
        break;
      default:
        break;
    }
    if (pass) return true;
  }
  return false;
}

bool MatchesValue(const Compiled& c, const PropertyValue& value, int64_t event_ms) noexcept {
  switch (c.op) {
    case FilterOperator::kIsSet:
      return !value.is_unset();
    case FilterOperator::kIsNotSet:
      return value.is_unset();
    default:
      break;
  }
  // Missing or null: negative operators pass, all others fail.
  if (value.is_unset()) return IsNegative(c.op);
  switch (c.op) {
    case FilterOperator::kExact:
    case FilterOperator::kIsNot:
    case FilterOperator::kIContains:
    case FilterOperator::kNotIContains:
    case FilterOperator::kRegex:
    case FilterOperator::kNotRegex: {
      const bool pass = StringTest(c, value.ComparisonForm(Scratch()));
      return IsNegative(c.op) ? !pass : pass;
    }
    case FilterOperator::kGt:
    case FilterOperator::kGte:
    case FilterOperator::kLt:
    case FilterOperator::kLte:
    case FilterOperator::kBetween:
    case FilterOperator::kNotBetween: {
      double x = 0;
      return NumericValue(value, &x) && NumericTest(c, x);
    }
    case FilterOperator::kDateExact:
    case FilterOperator::kDateBefore:
    case FilterOperator::kDateAfter: {
      int64_t us = 0;
      return DateValue(value, &us) && DateTest(c, us, event_ms);
    }
    case FilterOperator::kSemverEq:
    case FilterOperator::kSemverNeq:
    case FilterOperator::kSemverGt:
    case FilterOperator::kSemverGte:
    case FilterOperator::kSemverLt:
    case FilterOperator::kSemverLte: {
      // Numbers are read through their comparison form (1.2 → 1.2.0); other kinds' forms
      // never parse. Unparseable fails everything but semver_neq.
      auto version = ParseSemVer(value.ComparisonForm(Scratch()));
      if (!version) return c.op == FilterOperator::kSemverNeq;
      const bool pass = SemverTest(c, *version);
      return c.op == FilterOperator::kSemverNeq ? !pass : pass;
    }
    case FilterOperator::kIsSet:
    case FilterOperator::kIsNotSet:
      break;
  }
  return false;
}

std::string_view FieldOf(const Element& element, ElementField field) noexcept {
  switch (field) {
    case ElementField::kText:
      return element.text;
    case ElementField::kHref:
      return element.href;
    case ElementField::kTagName:
      return element.tag;
    default:
      return {};
  }
}

// docs/semantics.md §6, §8.8: positive operators pass when some element passes; negative ones when
// no element passes the positive counterpart; no elements fails every element filter.
bool MatchesElements(const Compiled& c, const ElementList& elements) noexcept {
  if (elements.empty()) return false;
  if (c.element_field == ElementField::kSelector) {
    const bool any = std::any_of(c.selectors.begin(), c.selectors.end(),
                                 [&](const Selector& s) { return s.Matches(elements); });
    return c.op == FilterOperator::kIsNot ? !any : any;
  }
  const bool set_test = c.op == FilterOperator::kIsSet || c.op == FilterOperator::kIsNotSet;
  bool any = false;
  for (size_t i = 0; i < elements.size() && !any; ++i) {
    std::string_view field = FieldOf(elements[i], c.element_field);
    any = set_test ? !field.empty() : StringTest(c, field);
  }
  return (IsNegative(c.op) || c.op == FilterOperator::kIsNotSet) ? !any : any;
}

}  // namespace

PropertyFilter::PropertyFilter(PropertyFilter&&) noexcept = default;
PropertyFilter& PropertyFilter::operator=(PropertyFilter&&) noexcept = default;
PropertyFilter::~PropertyFilter() = default;

const std::string& PropertyFilter::operator_name() const noexcept {
  return compiled_->operator_name;
}

const std::string& PropertyFilter::value_json() const noexcept { return compiled_->value_json; }

size_t PropertyFilter::FirstPassingElement(const ElementList& elements) const noexcept {
  const Compiled& c = *compiled_;
  if (c.element_field == ElementField::kSelector) {
    for (const Selector& selector : c.selectors) {
      const size_t index = selector.MatchingElement(elements);
      if (index != Selector::kNoMatch) return index;
    }
    return Selector::kNoMatch;
  }
  const bool set_test = c.op == FilterOperator::kIsSet || c.op == FilterOperator::kIsNotSet;
  for (size_t i = 0; i < elements.size(); ++i) {
    std::string_view field = FieldOf(elements[i], c.element_field);
    if (set_test ? !field.empty() : StringTest(c, field)) return i;
  }
  return Selector::kNoMatch;
}

bool PropertyFilter::Matches(const EventView& event) const noexcept {
  const Compiled& c = *compiled_;
  switch (type_) {
    case Type::kEvent:
      return MatchesValue(c, event.Property(key_), event.timestamp_ms());
    case Type::kPerson:
      return MatchesValue(c, event.PersonProperty(key_), event.timestamp_ms());
    case Type::kElement:
      return MatchesElements(c, event.elements());
  }
  return false;
}

}  // namespace actiond::engine
