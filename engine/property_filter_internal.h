// The compiled state of a PropertyFilter, shared by its compile and match halves
// (property_filter_compile.cc, property_filter.cc). Engine-internal.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/date_time.h"
#include "engine/literal_search.h"
#include "engine/property_filter.h"
#include "engine/selector.h"
#include "engine/semver.h"

namespace actiond::engine {

// Operators after aliasing: `in`/`not_in` are kExact/kIsNot, `min`/`max` are kGte/kLte.
enum class FilterOperator : unsigned char {
  kExact,
  kIsNot,
  kIContains,
  kNotIContains,
  kRegex,
  kNotRegex,
  kGt,
  kGte,
  kLt,
  kLte,
  kBetween,
  kNotBetween,
  kIsSet,
  kIsNotSet,
  kDateExact,
  kDateBefore,
  kDateAfter,
  kSemverEq,
  kSemverNeq,
  kSemverGt,
  kSemverGte,
  kSemverLt,
  kSemverLte,
};

// What an element filter reads from each element.
enum class ElementField : unsigned char { kNone, kSelector, kText, kHref, kTagName };

// A date operand: absolute, or relative to the event's timestamp.
struct DateOperand {
  bool relative = false;
  int64_t epoch_us = 0;  // absolute, in microseconds
  RelativeDate offset;   // relative
};

// The state itself; PropertyFilter::Compiled (private to the class) is this type, so that the
// free helpers of the .cc files can name it.
struct FilterState {
  FilterOperator op = FilterOperator::kExact;
  ElementField element_field = ElementField::kNone;
  // As written, for explain only (PropertyFilter::operator_name, value_json).
  std::string operator_name = "exact";
  std::string value_json = "null";

  // kExact / kIsNot: comparison forms of the values, sorted and unique (binary search).
  std::vector<std::string> values;
  // kRegex / kNotRegex: one RE2 per value (patterns are not combined: `\Q…` would leak).
  std::vector<std::unique_ptr<const re2::RE2>> regexes;
  // kIContains / kNotIContains: one case-folded literal search per value, no RE2 (no cap).
  std::vector<LiteralSearch> searches;
  // kGt … kLte: any of these bounds; kBetween / kNotBetween: [low, high].
  std::vector<double> numbers;
  double low = 0, high = 0;
  std::vector<DateOperand> dates;
  // Semver operands: views into `semver_texts`, which is filled once and never resized after
  // (the Compiled object is heap-allocated and immutable, so the views stay valid).
  std::vector<std::string> semver_texts;
  std::vector<SemVer> semvers;
  // Element key `selector`.
  std::vector<Selector> selectors;
};

struct PropertyFilter::Compiled : FilterState {};

}  // namespace actiond::engine
