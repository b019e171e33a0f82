#include "engine/property_filter_list.h"

#include <simdjson.h>

#include <string>

#include "engine/json_parse.h"
#include "engine/property_filter.h"

namespace actiond::engine {

Status CompilePropertyFilters(std::string_view json, std::vector<PropertyFilter>* out) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string scratch;
  if (ParseJson(parser, json, &root, &scratch) != simdjson::SUCCESS) {
    return InvalidInput("Expected a list of property filters.", "properties");
  }
  if (root.is_null()) return Status::Ok();
  simdjson::dom::array filters;
  if (root.get_array().get(filters) != simdjson::SUCCESS) {
    return InvalidInput("Expected a list of property filters.", "properties");
  }
  size_t index = 0;
  for (simdjson::dom::element filter : filters) {
    auto compiled = PropertyFilter::Compile(filter);
    if (!compiled.ok()) {
      return compiled.status().WithAttrPrefix("properties__" + std::to_string(index));
    }
    out->push_back(std::move(*compiled));
    ++index;
  }
  return Status::Ok();
}

Result<PropertyFilterList> PropertyFilterList::Compile(std::string_view json) {
  auto filters = std::make_shared<std::vector<PropertyFilter>>();
  ACTIOND_RETURN_IF_ERROR(CompilePropertyFilters(json, filters.get()));
  PropertyFilterList list;
  if (!filters->empty()) list.filters_ = std::move(filters);
  return list;
}

bool PropertyFilterList::Matches(const EventView& event) const noexcept {
  if (!filters_) return true;
  for (const PropertyFilter& filter : *filters_) {
    if (!filter.Matches(event)) return false;
  }
  return true;
}

bool PropertyFilterList::empty() const noexcept { return !filters_; }

}  // namespace actiond::engine
