#include "engine/action_compiler.h"

#include <simdjson.h>

#include <string>

#include "engine/compiled_action.h"
#include "engine/json_parse.h"
#include "engine/str_cat.h"

namespace actiond::engine {

namespace {

// A condition is present when its field is neither null nor "" (docs/semantics.md §1).
bool Present(const std::optional<std::string>& field) { return field && !field->empty(); }

// DRF's words, then the choices, so that the client can fix the value without the docs.
std::string InvalidChoiceMessage(std::string_view value) {
  return StrCat({"\"", value, "\" is not a valid choice: use contains, exact or regex."});
}

Result<StringMatchMode> UrlMode(const std::optional<std::string>& url_matching) {
  if (!Present(url_matching) || *url_matching == "contains") return StringMatchMode::kLike;
  if (*url_matching == "exact") return StringMatchMode::kExact;
  if (*url_matching == "regex") return StringMatchMode::kRegex;
  return InvalidChoice(InvalidChoiceMessage(*url_matching), "url_matching");
}

// text_matching / href_matching: exact by default; contains is case-insensitive (ILIKE).
Result<StringMatchMode> ElementMode(const std::optional<std::string>& matching,
                                    std::string_view attr) {
  if (!Present(matching) || *matching == "exact") return StringMatchMode::kExact;
  if (*matching == "contains") return StringMatchMode::kLikeIgnoreCase;
  if (*matching == "regex") return StringMatchMode::kRegex;
  return InvalidChoice(InvalidChoiceMessage(*matching), attr);
}

Result<std::optional<StringMatcher>> CompileMatcher(const std::optional<std::string>& pattern,
                                                    Result<StringMatchMode> mode,
                                                    std::string_view attr) {
  if (!mode.ok()) return mode.status();  // an unknown mode is an error even without a pattern
  if (!Present(pattern)) return std::optional<StringMatcher>();
  auto matcher = StringMatcher::Compile(*pattern, *mode);
  if (!matcher.ok()) return matcher.status().WithAttrPrefix(attr);
  return std::optional<StringMatcher>(std::move(*matcher));
}

// Exact element conditions name tokens that must appear in the chain (element_token.h).
// Text and href conditions are left out: the ActionSet tests them against the chain's texts
// and hrefs in one search (element_string_set.h), which also rules out contains and regex
// conditions, and leaves texts and hrefs out of the chain's token lookups.
void AddRequiredElementTokens(CompiledStep* step) {
  if (step->tag_name) {
    step->required_tokens.push_back(ElementToken{ElementToken::Kind::kTag, *step->tag_name, {}});
  }
  if (step->selector) step->selector->AddRequiredTokens(&step->required_tokens);
}

Result<CompiledStep> CompileStep(const ActionStep& step) {
  CompiledStep out;
  if (Present(step.event)) out.event = *step.event;
  ACTIOND_ASSIGN_OR_RETURN(out.url, CompileMatcher(step.url, UrlMode(step.url_matching), "url"));
  if (Present(step.tag_name)) out.tag_name = *step.tag_name;
  ACTIOND_ASSIGN_OR_RETURN(
      out.text,
      CompileMatcher(step.text, ElementMode(step.text_matching, "text_matching"), "text"));
  ACTIOND_ASSIGN_OR_RETURN(
      out.href,
      CompileMatcher(step.href, ElementMode(step.href_matching, "href_matching"), "href"));
  if (Present(step.selector)) {
    auto selector = Selector::Parse(*step.selector);
    if (!selector.ok()) return selector.status().WithAttrPrefix("selector");
    out.selector = std::move(*selector);
  }
  ACTIOND_RETURN_IF_ERROR(CompilePropertyFilters(step.properties_json, &out.filters));
  AddRequiredElementTokens(&out);
  return out;
}

}  // namespace

Result<std::shared_ptr<const CompiledAction>> CompileAction(ActionId id,
                                                            const std::vector<ActionStep>& steps) {
  std::vector<CompiledStep> compiled;
  compiled.reserve(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    auto step = CompileStep(steps[i]);
    if (!step.ok()) return step.status().WithAttrPrefix("steps__" + std::to_string(i));
    compiled.push_back(std::move(*step));
  }
  return std::shared_ptr<const CompiledAction>(
      std::make_shared<CompiledAction>(id, std::move(compiled)));
}

}  // namespace actiond::engine
