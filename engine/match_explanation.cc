#include "engine/match_explanation.h"

#include <simdjson.h>

#include <string>
#include <string_view>

#include "engine/compiled_action.h"
#include "engine/event_reader.h"
#include "engine/event_view.h"
#include "engine/json_text.h"
#include "engine/json_text_internal.h"
#include "engine/step_evaluation_internal.h"
#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

// JSON as JavaScript writes it (docs/semantics.md §6), the form filters compare.
std::string JsJson(simdjson::dom::element value) {
  std::string out;
  AppendJsJson(value, &out);
  return out;
}

std::string_view ModeName(StringMatchMode mode) {
  switch (mode) {
    case StringMatchMode::kExact:
      return "exact";
    case StringMatchMode::kLike:
    case StringMatchMode::kLikeIgnoreCase:
      return "contains";
    case StringMatchMode::kRegex:
      return "regex";
  }
  return "exact";
}

// "contains \"/pricing\" (LIKE, …)", "does not equal \"Sign up\"", "matches the regex …".
std::string ModePhrase(const StringMatcher& matcher, bool holds) {
  const std::string pattern = JsonString(matcher.pattern());
  switch (matcher.mode()) {
    case StringMatchMode::kExact:
      return StrCat({holds ? "equals " : "does not equal ", pattern});
    case StringMatchMode::kLike:
      return StrCat(
          {holds ? "contains " : "does not contain ", pattern, " (LIKE, case-sensitive)"});
    case StringMatchMode::kLikeIgnoreCase:
      return StrCat({holds ? "contains " : "does not contain ", pattern, " (ignoring case)"});
    case StringMatchMode::kRegex:
      return StrCat({holds ? "matches the regex " : "does not match the regex ", pattern});
  }
  return {};
}

std::string_view TypeName(PropertyFilter::Type type) {
  switch (type) {
    case PropertyFilter::Type::kEvent:
      return "event";
    case PropertyFilter::Type::kPerson:
      return "person";
    case PropertyFilter::Type::kElement:
      return "element";
  }
  return "event";
}

// `a#id.class1.class2`: an element as a selector would name it.
std::string ElementAsSelector(const ElementList& elements, size_t index) {
  const Element& e = elements[index];
  std::string out = e.tag.empty() ? std::string("*") : std::string(e.tag);
  if (e.has_id) out += StrCat({"#", e.id});
  for (std::string_view cls : elements.Classes(e)) out += StrCat({".", cls});
  return out;
}

// How the reasons name an element: `element 1 (a.nav)`.
std::string DescribeElement(const ElementList& elements, size_t index) {
  return StrCat({"element ", std::to_string(index), " (", ElementAsSelector(elements, index), ")"});
}

// What the element conditions of a step read from one element; "" when absent.
std::optional<std::string> ElementValue(const Element& e, std::string_view field) {
  if (field == "tag_name") {
    if (e.tag.empty()) return std::nullopt;
    return JsonString(e.tag);
  }
  if (field == "href") {
    if (!e.has_href) return std::nullopt;
    return JsonString(e.href);
  }
  if (e.text.empty()) return std::nullopt;  // absent text tests as "" (docs/semantics.md §8.1)
  return JsonString(e.text);
}

class ExplainTrace {
 public:
  static constexpr bool kReportsAll = true;

  explicit ExplainTrace(StepExplanation* out) : out_(out) {}

  void Event(const CompiledStep& step, const EventView& view, bool passed) {
    ConditionExplanation& c = Add("event", JsonString(*step.event), passed);
    c.actual_json = JsonString(view.name());
    c.reason = passed ? StrCat({"the event is ", *c.actual_json})
                      : StrCat({"the event is ", *c.actual_json, ", not ", c.expected_json});
  }

  void Url(const CompiledStep& step, const EventView& view, bool passed) {
    ConditionExplanation& c = Add("url", JsonString(step.url->pattern()), passed);
    c.matching = ModeName(step.url->mode());
    const PropertyValue raw = view.Property("$current_url");
    if (!raw.is_unset()) c.actual_json = JsJson(raw.element());
    if (view.current_url().empty()) {
      c.reason = raw.is_unset() ? "the event has no $current_url"
                                : "$current_url is not a non-empty string";
    } else {
      c.reason = StrCat({"$current_url ", ModePhrase(*step.url, passed)});
    }
  }

  void Elements(const CompiledStep& step, const ElementList& elements, size_t index) {
    struct Part {
      std::string_view field;
      bool present;
      std::string expected;
      std::string matching;
    };
    const Part parts[] = {
        {"tag_name", step.tag_name.has_value(), step.tag_name ? JsonString(*step.tag_name) : "",
         "exact"},
        {"text", step.text.has_value(), step.text ? JsonString(step.text->pattern()) : "",
         step.text ? std::string(ModeName(step.text->mode())) : ""},
        {"href", step.href.has_value(), step.href ? JsonString(step.href->pattern()) : "",
         step.href ? std::string(ModeName(step.href->mode())) : ""},
    };
    const bool found = index != kNoElement;
    const size_t shown = found ? index : ClosestCandidate(step, elements);
    for (const Part& part : parts) {
      if (!part.present) continue;
      const bool passed =
          found || (shown != kNoElement && PartHolds(step, part.field, elements[shown]));
      ConditionExplanation& c = Add(std::string(part.field), part.expected, passed);
      if (part.field != "tag_name") c.matching = part.matching;
      if (shown == kNoElement) {
        c.reason = "the event has no elements";
        continue;
      }
      c.element_index = shown;
      c.actual_json = ElementValue(elements[shown], part.field);
      const std::string who = DescribeElement(elements, shown);
      const std::string what = PartPhrase(step, part.field, passed);
      if (found) {
        c.reason = StrCat({who, " satisfies every element condition of the step"});
      } else if (passed) {
        c.reason = StrCat({"the closest candidate, ", who, ", has a ", part.field, " that ", what,
                           ", but fails another element condition (tag_name, text and href must ",
                           "hold on one element)"});
      } else {
        c.reason = StrCat({"no element satisfies every element condition; the closest ",
                           "candidate, ", who, ", has a ", part.field, " that ", what});
      }
    }
  }

  void SelectorResult(const CompiledStep& step, const ElementList& elements, size_t index) {
    const Selector& selector = *step.selector;
    ConditionExplanation& c = Add("selector", JsonString(selector.source()), index != kNoElement);
    if (elements.empty()) {
      c.reason = "the event has no elements";
      return;
    }
    if (index != kNoElement) {
      c.element_index = index;
      c.actual_json = JsonString(ElementAsSelector(elements, index));
      c.reason = StrCat({"the selector binds ", DescribeElement(elements, index)});
      return;
    }
    const size_t candidate = selector.LastCompoundCandidate(elements);
    if (candidate == Selector::kNoMatch) {
      c.reason = "no element matches the selector's last compound";
      return;
    }
    c.element_index = candidate;
    c.actual_json = JsonString(ElementAsSelector(elements, candidate));
    c.reason = StrCat({"the closest candidate, ", DescribeElement(elements, candidate),
                       ", matches the selector's last compound, but its ancestors do not match "
                       "the rest"});
  }

  void Filter(size_t i, const PropertyFilter& filter, const EventView& view, bool passed) {
    ConditionExplanation& c =
        Add(StrCat({"properties__", std::to_string(i)}), filter.value_json(), passed);
    c.op = filter.operator_name();
    c.filter_type = TypeName(filter.type());
    c.key = filter.key();
    const std::string verdict = StrCat({passed ? "which passes " : "which fails ", c.op,
                                        filter.value_json() == "null" ? "" : " ",
                                        filter.value_json() == "null" ? "" : filter.value_json()});
    if (filter.type() == PropertyFilter::Type::kElement) {
      const ElementList& elements = view.elements();
      if (elements.empty()) {
        c.reason = "the event has no elements (every element filter fails)";
        return;
      }
      const size_t index = filter.FirstPassingElement(elements);
      if (index == Selector::kNoMatch) {
        c.reason = StrCat(
            {"no element's ", filter.key(), " passes the operator's positive test, ", verdict});
        return;
      }
      c.element_index = index;
      c.actual_json = filter.key() == "selector" ? JsonString(ElementAsSelector(elements, index))
                                                 : ElementValue(elements[index], filter.key());
      c.reason = StrCat(
          {DescribeElement(elements, index), " passes the operator's positive test, ", verdict});
      return;
    }
    const PropertyValue value = filter.type() == PropertyFilter::Type::kPerson
                                    ? view.PersonProperty(filter.key())
                                    : view.Property(filter.key());
    const std::string label =
        StrCat({TypeName(filter.type()), " property ", JsonString(filter.key())});
    if (value.kind() == PropertyValue::Kind::kMissing) {
      c.reason = StrCat({label, " is absent, ", verdict});
      return;
    }
    c.actual_json = JsJson(value.element());
    c.reason = StrCat({label, " is ", *c.actual_json, ", ", verdict});
  }

 private:
  ConditionExplanation& Add(std::string field, std::string expected_json, bool passed) {
    ConditionExplanation& c = out_->conditions.emplace_back();
    c.field = std::move(field);
    c.expected_json = std::move(expected_json);
    c.passed = passed;
    return c;
  }

  static bool PartHolds(const CompiledStep& step, std::string_view field, const Element& e) {
    if (field == "tag_name") return e.tag == *step.tag_name;
    if (field == "text") return step.text->Matches(e.text);
    return step.href->Matches(e.href);
  }

  static std::string PartPhrase(const CompiledStep& step, std::string_view field, bool holds) {
    if (field == "tag_name") {
      return StrCat({holds ? "equals " : "does not equal ", JsonString(*step.tag_name)});
    }
    return ModePhrase(field == "text" ? *step.text : *step.href, holds);
  }

  // The element passing the most element conditions (the first of equals); kNoElement when the
  // chain is empty.
  static size_t ClosestCandidate(const CompiledStep& step, const ElementList& elements) {
    size_t best = kNoElement;
    int best_count = -1;
    for (size_t i = 0; i < elements.size(); ++i) {
      int count = 0;
      for (std::string_view field : {"tag_name", "text", "href"}) {
        const bool present = field == "tag_name" ? step.tag_name.has_value()
                             : field == "text"   ? step.text.has_value()
                                                 : step.href.has_value();
        if (present && PartHolds(step, field, elements[i])) ++count;
      }
      if (count > best_count) {
        best = i;
        best_count = count;
      }
    }
    return best;
  }

  StepExplanation* out_;
};

}  // namespace

ActionExplanation ExplainAction(const CompiledAction& action, const EventView& event) {
  ActionExplanation explanation;
  for (size_t i = 0; i < action.steps().size(); ++i) {
    StepExplanation& step = explanation.steps.emplace_back();
    step.index = i;
    ExplainTrace trace(&step);
    step.matched = EvaluateStep(action.steps()[i], event, CompiledStep::Known{}, trace);
    explanation.matched = explanation.matched || step.matched;
  }
  return explanation;
}

Result<ActionExplanation> ExplainRecord(const CompiledAction& action, std::string_view record) {
  EventReader reader;
  ACTIOND_ASSIGN_OR_RETURN(const EventView* view, reader.Read(record));
  return ExplainAction(action, *view);
}

}  // namespace actiond::engine
