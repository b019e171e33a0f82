// PropertyFilter::Compile: validation and precomputation of everything Matches() needs
// (docs/semantics.md §6, §8). Matching lives in property_filter.cc.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/json_text_internal.h"
#include "engine/property_filter_internal.h"
#include "engine/property_value.h"
#include "engine/regex.h"
#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

struct OperatorName {
  std::string_view name;
  FilterOperator op;
  bool needs_list;  // `in` / `not_in`
};

constexpr OperatorName kOperators[] = {
    {"exact", FilterOperator::kExact, false},
    {"is_not", FilterOperator::kIsNot, false},
    {"in", FilterOperator::kExact, true},
    {"not_in", FilterOperator::kIsNot, true},
    {"icontains", FilterOperator::kIContains, false},
    {"not_icontains", FilterOperator::kNotIContains, false},
    {"regex", FilterOperator::kRegex, false},
    {"not_regex", FilterOperator::kNotRegex, false},
    {"gt", FilterOperator::kGt, false},
    {"gte", FilterOperator::kGte, false},
    {"lt", FilterOperator::kLt, false},
    {"lte", FilterOperator::kLte, false},
    {"min", FilterOperator::kGte, false},
    {"max", FilterOperator::kLte, false},
    {"between", FilterOperator::kBetween, false},
    {"not_between", FilterOperator::kNotBetween, false},
    {"is_set", FilterOperator::kIsSet, false},
    {"is_not_set", FilterOperator::kIsNotSet, false},
    {"is_date_exact", FilterOperator::kDateExact, false},
    {"is_date_before", FilterOperator::kDateBefore, false},
    {"is_date_after", FilterOperator::kDateAfter, false},
    {"semver_eq", FilterOperator::kSemverEq, false},
    {"semver_neq", FilterOperator::kSemverNeq, false},
    {"semver_gt", FilterOperator::kSemverGt, false},
    {"semver_gte", FilterOperator::kSemverGte, false},
    {"semver_lt", FilterOperator::kSemverLt, false},
    {"semver_lte", FilterOperator::kSemverLte, false},
};

std::string Quoted(std::string_view text) { return StrCat({"\"", text, "\""}); }

// DRF's words, then the choices, so that the client can fix the value without the docs.
Status NotAChoice(std::string_view text, std::string_view attr, std::string_view choices) {
  return InvalidChoice(StrCat({Quoted(text), " is not a valid choice: use ", choices, "."}), attr);
}

// "exact, is_not, …": every operator name, for NotAChoice.
std::string OperatorChoices() {
  std::string out;
  for (const OperatorName& o : kOperators) {
    if (!out.empty()) out.append(", ");
    out.append(o.name);
  }
  return out;
}

// A field of the filter object; nullopt-like `present=false` when absent or JSON null.
struct Field {
  bool present = false;
  element value;
};

Field GetField(simdjson::dom::object object, std::string_view name) {
  Field field;
  if (object.at_key(name).get(field.value) == simdjson::SUCCESS && !field.value.is_null()) {
    field.present = true;
  }
  return field;
}

// The operands of a filter value: the items of a list, or the scalar itself. Null (the whole
// value or an item) is rejected: only is_set / is_not_set go without a value.
Status CollectOperands(const Field& value, bool needs_list, std::vector<element>* operands) {
  if (!value.present) return InvalidInput("This field may not be null.", "value");
  if (value.value.is_array()) {
    const simdjson::dom::array items = value.value.get_array().value_unsafe();  // not a temporary
    for (element item : items) {
      if (item.is_null()) return InvalidInput("a value list may not contain null", "value");
      operands->push_back(item);
    }
  } else if (needs_list) {
    return InvalidInput("this operator needs a list of values", "value");
  } else {
    operands->push_back(value.value);
  }
  return Status::Ok();
}

std::string ComparisonFormOf(element operand) {
  std::string scratch;
  std::string_view form = PropertyValue(operand).ComparisonForm(&scratch);
  return std::string(form);
}

// A numeric operand: a number, or a string that parses wholly as one (docs/semantics.md §8.5).
Status NumericOperand(element operand, double* out) {
  if (operand.is_number()) {
    *out = PropertyValue(operand).number();
    return Status::Ok();
  }
  if (operand.is_string() && ParseWholeNumber(operand.get_string().value_unsafe(), out)) {
    return Status::Ok();
  }
  std::string text;
  AppendJsJson(operand, &text);
  return InvalidInput(text + " is not a number", "value");
}

Status DateOperandOf(element operand, DateOperand* out) {
  if (operand.is_string()) {
    std::string_view text = operand.get_string().value_unsafe();
    if (auto relative = ParseRelativeDate(text)) {
      out->relative = true;
      out->offset = *relative;
      return Status::Ok();
    }
    if (auto parsed = ParseIso8601(text)) {
      out->epoch_us = parsed->epoch_us;
      return Status::Ok();
    }
  }
  std::string text;
  AppendJsJson(operand, &text);
  return InvalidInput(text +
                          " is not a valid date: use an ISO 8601 date or date-time, or a "
                          "relative date like -7d (units h, d, w, m, y)",
                      "value");
}

// Element filter keys and the operators they take (docs/semantics.md §8.8).
Status CheckElementFilter(std::string_view key, FilterOperator op, ElementField* field) {
  if (key == "selector") {
    *field = ElementField::kSelector;
    if (op != FilterOperator::kExact && op != FilterOperator::kIsNot) {
      return InvalidChoice("element filters on selector take only exact or is_not", "operator");
    }
    return Status::Ok();
  }
  if (key == "text") {
    *field = ElementField::kText;
  } else if (key == "href") {
    *field = ElementField::kHref;
  } else if (key == "tag_name") {
    *field = ElementField::kTagName;
  } else {
    return InvalidChoice(Quoted(key) +
                             " is not a valid element filter key (selector, text, href, "
                             "tag_name).",
                         "key");
  }
  switch (op) {
    case FilterOperator::kExact:
    case FilterOperator::kIsNot:
    case FilterOperator::kIContains:
    case FilterOperator::kNotIContains:
    case FilterOperator::kRegex:
    case FilterOperator::kNotRegex:
    case FilterOperator::kIsSet:
    case FilterOperator::kIsNotSet:
      return Status::Ok();
    default:
      return InvalidChoice("element filters on " + std::string(key) +
                               " take only exact, is_not, icontains, not_icontains, regex, "
                               "not_regex, is_set or is_not_set",
                           "operator");
  }
}

Status TooLong() {
  return InvalidInput("a value is longer than 65535 bytes (the limit for literal values)", "value");
}

Status CompileOperands(const std::vector<element>& operands, FilterState* c) {
  switch (c->op) {
    case FilterOperator::kExact:
    case FilterOperator::kIsNot:
      if (c->element_field == ElementField::kSelector) {
        for (element operand : operands) {
          if (!operand.is_string()) {
            return InvalidInput("a selector must be a string", "value");
          }
          auto selector = Selector::Parse(operand.get_string().value_unsafe());
          if (!selector.ok()) return InvalidInput(selector.status().message(), "value");
          c->selectors.push_back(std::move(selector).value());
        }
        return Status::Ok();
      }
      for (element operand : operands) {
        c->values.push_back(ComparisonFormOf(operand));
        if (c->values.back().size() > kMaxLiteralPatternBytes) return TooLong();
      }
      std::sort(c->values.begin(), c->values.end());
      c->values.erase(std::unique(c->values.begin(), c->values.end()), c->values.end());
      return Status::Ok();
    case FilterOperator::kIContains:
    case FilterOperator::kNotIContains:
      // A literal search for any of the values (`%` and `_` are plain characters), by Unicode
      // simple case folding (docs/semantics.md §8.1), without RE2: no regex cap, cost linear in the
      // text.
      for (element operand : operands) {
        const std::string form = ComparisonFormOf(operand);
        if (form.size() > kMaxLiteralPatternBytes) return TooLong();
        c->searches.push_back(LiteralSearch::Compile(form, /*like=*/false, /*ignore_case=*/true));
      }
      return Status::Ok();
    case FilterOperator::kRegex:
    case FilterOperator::kNotRegex:
      for (element operand : operands) {
        auto regex = CompileRegex(ComparisonFormOf(operand));
        if (!regex.ok()) return InvalidInput(regex.status().message(), "value");
        c->regexes.push_back(std::move(regex).value());
      }
      return Status::Ok();
    case FilterOperator::kGt:
    case FilterOperator::kGte:
    case FilterOperator::kLt:
    case FilterOperator::kLte:
      for (element operand : operands) {
        double number = 0;
        ACTIOND_RETURN_IF_ERROR(NumericOperand(operand, &number));
        c->numbers.push_back(number);
      }
      return Status::Ok();
    case FilterOperator::kBetween:
    case FilterOperator::kNotBetween:
      return Internal("between operands are compiled apart");
    case FilterOperator::kIsSet:
    case FilterOperator::kIsNotSet:
      return Status::Ok();
    case FilterOperator::kDateExact:
    case FilterOperator::kDateBefore:
    case FilterOperator::kDateAfter:
      for (element operand : operands) {
        DateOperand date;
        ACTIOND_RETURN_IF_ERROR(DateOperandOf(operand, &date));
        c->dates.push_back(date);
      }
      return Status::Ok();
    case FilterOperator::kSemverEq:
    case FilterOperator::kSemverNeq:
    case FilterOperator::kSemverGt:
    case FilterOperator::kSemverGte:
    case FilterOperator::kSemverLt:
    case FilterOperator::kSemverLte:
      for (element operand : operands) {
        if (!operand.is_string() && !operand.is_number()) {
          return InvalidInput("a version must be a string or a number", "value");
        }
        c->semver_texts.push_back(ComparisonFormOf(operand));
      }
      // semver_texts is complete: the views taken now stay valid.
      for (const std::string& text : c->semver_texts) {
        auto version = ParseSemVer(text);
        if (!version) {
          return InvalidInput(Quoted(text) + " is not a valid version (major[.minor[.patch]])",
                              "value");
        }
        c->semvers.push_back(*version);
      }
      return Status::Ok();
  }
  return Internal("unhandled filter operator");
}

}  // namespace

Result<PropertyFilter> PropertyFilter::Compile(simdjson::dom::element filter) {
  simdjson::dom::object object;
  if (filter.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidInput("a property filter must be an object");
  }
  PropertyFilter result;
  auto compiled = std::make_unique<Compiled>();

  Field key = GetField(object, "key");
  if (!key.present) return Required("This field is required.", "key");
  if (!key.value.is_string()) return InvalidInput("key must be a string", "key");
  result.key_ = std::string(key.value.get_string().value_unsafe());
  if (result.key_.empty()) return Required("This field may not be blank.", "key");

  // `type` and `operator` null, absent or "" take their defaults (docs/semantics.md §8.11).
  auto is_blank = [](const Field& field) {
    return field.value.is_string() && field.value.get_string().value_unsafe().empty();
  };
  Field type = GetField(object, "type");
  if (type.present && !is_blank(type)) {
    if (!type.value.is_string()) return InvalidChoice("type must be a string", "type");
    std::string_view name = type.value.get_string().value_unsafe();
    if (name == "event") {
      result.type_ = Type::kEvent;
    } else if (name == "person") {
      result.type_ = Type::kPerson;
    } else if (name == "element") {
      result.type_ = Type::kElement;
    } else {
      return NotAChoice(name, "type", "event, person or element");
    }
  }

  bool needs_list = false;
  Field op = GetField(object, "operator");
  if (op.present && !is_blank(op)) {
    if (!op.value.is_string()) return InvalidChoice("operator must be a string", "operator");
    std::string_view name = op.value.get_string().value_unsafe();
    auto it = std::find_if(std::begin(kOperators), std::end(kOperators),
                           [&](const OperatorName& o) { return o.name == name; });
    if (it == std::end(kOperators)) return NotAChoice(name, "operator", OperatorChoices());
    compiled->op = it->op;
    compiled->operator_name = std::string(name);
    needs_list = it->needs_list;
  }
  if (Field value = GetField(object, "value"); value.present) {
    compiled->value_json.clear();
    AppendJsJson(value.value, &compiled->value_json);
  }

  if (result.type_ == Type::kElement) {
    ACTIOND_RETURN_IF_ERROR(
        CheckElementFilter(result.key_, compiled->op, &compiled->element_field));
    if (needs_list) {  // `in` / `not_in` are not among the element operators (docs/semantics.md
                       // §8.8)
      return InvalidChoice("element filters take neither in nor not_in", "operator");
    }
  }

  // is_set / is_not_set ignore the value, whatever it is.
  if (compiled->op != FilterOperator::kIsSet && compiled->op != FilterOperator::kIsNotSet) {
    Field value = GetField(object, "value");
    std::vector<element> operands;
    ACTIOND_RETURN_IF_ERROR(CollectOperands(value, needs_list, &operands));
    if (compiled->op == FilterOperator::kBetween || compiled->op == FilterOperator::kNotBetween) {
      if (!value.value.is_array() || operands.size() != 2) {
        return InvalidInput("between and not_between need a list [min, max]", "value");
      }
      ACTIOND_RETURN_IF_ERROR(NumericOperand(operands[0], &compiled->low));
      ACTIOND_RETURN_IF_ERROR(NumericOperand(operands[1], &compiled->high));
    } else {
      ACTIOND_RETURN_IF_ERROR(CompileOperands(operands, compiled.get()));
    }
  }
  result.compiled_ = std::move(compiled);
  return result;
}

}  // namespace actiond::engine
