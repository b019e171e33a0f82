#include "engine/elements_chain_writer.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "engine/event_view.h"
#include "engine/str_cat.h"

namespace actiond::engine {
namespace {

void AppendEscaped(std::string_view value, std::string* out) {
  for (char c : value) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
}

void AppendElement(const ElementList& list, const Element& e, std::string* out) {
  out->append(e.tag);
  std::vector<std::string_view> classes(list.Classes(e).begin(), list.Classes(e).end());
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  for (std::string_view cls : classes) {
    if (cls.empty()) continue;
    out->push_back('.');
    for (char c : cls) {
      if (c != '"') out->push_back(c);
    }
  }
  // Sorted, and the last occurrence of a key wins (std::map::insert_or_assign).
  std::map<std::string, std::string_view> pairs;
  for (const ElementAttribute& a : list.Attributes(e)) {
    pairs.insert_or_assign(a.raw ? StrCat({"attr__", a.name}) : std::string(a.name), a.value);
  }
  if (!e.text.empty()) pairs.insert_or_assign("text", e.text);
  if (e.has_href && !e.href.empty()) pairs.insert_or_assign("href", e.href);
  if (e.has_id && !e.id.empty()) pairs.insert_or_assign("attr_id", e.id);
  const std::string nth_child =
      std::to_string(e.nth_child == Element::kNoPosition ? 0 : e.nth_child);
  const std::string nth_of_type =
      std::to_string(e.nth_of_type == Element::kNoPosition ? 0 : e.nth_of_type);
  pairs.insert_or_assign("nth-child", nth_child);
  pairs.insert_or_assign("nth-of-type", nth_of_type);
  out->push_back(':');
  for (const auto& [key, value] : pairs) {
    AppendEscaped(key, out);
    out->append("=\"");
    AppendEscaped(value, out);
    out->push_back('"');
  }
}

}  // namespace

std::string WriteElementsChain(const ElementList& elements) {
  std::string out;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out.push_back(';');
    AppendElement(elements, elements[i], &out);
  }
  return out;
}

std::string ElementsChainOf(const EventView& event) {
  if (!event.elements_chain_source().empty()) return std::string(event.elements_chain_source());
  return WriteElementsChain(event.elements());
}

}  // namespace actiond::engine
