// Property filters of action steps (docs/semantics.md §6 and §8), compiled once, evaluated per
// event.
#pragma once

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/event_view.h"
#include "engine/status.h"

namespace actiond::engine {

class PropertyFilter {
 public:
  enum class Type : unsigned char { kEvent, kPerson, kElement };

  // Compiles one filter object `{key, value, operator, type}`. Validation errors carry an attr
  // relative to the filter ("key", "value", "operator", "type"); the compiler prefixes it with
  // `steps__N__properties__M`. Codes: InvalidChoice for an unknown operator or type,
  // InvalidInput for a bad value (invalid regex, non-numeric bound, bad date or version, null),
  // Required for a missing key.
  static Result<PropertyFilter> Compile(simdjson::dom::element filter);

  // Whether the event passes. Never fails; `event` must be the view being matched.
  bool Matches(const EventView& event) const noexcept;

  Type type() const noexcept { return type_; }
  const std::string& key() const noexcept { return key_; }

  // For explain (match_explanation.h), not for matching: the operator in effect as PostHog
  // names it ("exact" when none was given; `in`/`min` keep their own names), and the filter's
  // `value` as compact JSON ("null" when absent).
  const std::string& operator_name() const noexcept;
  const std::string& value_json() const noexcept;
  // Element filters: the first element whose field passes the operator's positive test (for
  // the key `selector`: the element a selector binds), or Selector::kNoMatch. For a negative
  // operator that element is the one that makes the filter fail.
  size_t FirstPassingElement(const ElementList& elements) const noexcept;

  PropertyFilter(PropertyFilter&&) noexcept;
  PropertyFilter& operator=(PropertyFilter&&) noexcept;
  ~PropertyFilter();

 private:
  struct Compiled;  // operator-specific state (values, numbers, regexes, dates, selectors)
  PropertyFilter() = default;

  Type type_ = Type::kEvent;
  std::string key_;
  std::unique_ptr<const Compiled> compiled_;
};

// Compiles a JSON list of filters (null: none) into `out`; attrs `properties` and
// `properties__N__…` (property_filter_list.h). Shared by action steps and the events API.
Status CompilePropertyFilters(std::string_view json, std::vector<PropertyFilter>* out);

}  // namespace actiond::engine
