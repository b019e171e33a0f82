#include "engine/elements_json.h"

#include "engine/json_text.h"

namespace actiond::engine {

namespace {

void AppendKey(std::string_view key, std::string* out) {
  AppendJsonString(key, out);
  out->push_back(':');
}

void AppendStringOrNull(bool present, std::string_view value, std::string* out) {
  if (present) {
    AppendJsonString(value, out);
  } else {
    out->append("null");
  }
}

void AppendPosition(int32_t position, std::string* out) {
  if (position == Element::kNoPosition) {
    out->append("null");
  } else {
    out->append(std::to_string(position));
  }
}

}  // namespace

void AppendElementsJson(const ElementList& elements, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < elements.size(); ++i) {
    const Element& e = elements[i];
    if (i > 0) out->push_back(',');
    out->push_back('{');
    AppendKey("text", out);
    AppendStringOrNull(!e.text.empty(), e.text, out);
    out->push_back(',');
    AppendKey("tag_name", out);
    AppendStringOrNull(!e.tag.empty(), e.tag, out);
    out->push_back(',');
    AppendKey("href", out);
    AppendStringOrNull(e.has_href, e.href, out);
    out->push_back(',');
    AppendKey("attr_id", out);
    AppendStringOrNull(e.has_id, e.id, out);
    out->push_back(',');
    AppendKey("attr_class", out);
    out->push_back('[');
    bool first = true;
    for (std::string_view cls : elements.Classes(e)) {
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(cls, out);
    }
    out->append("],");
    AppendKey("nth_child", out);
    AppendPosition(e.nth_child, out);
    out->push_back(',');
    AppendKey("nth_of_type", out);
    AppendPosition(e.nth_of_type, out);
    out->push_back(',');
    AppendKey("attributes", out);
    out->push_back('{');
    first = true;
    for (const ElementAttribute& attribute : elements.Attributes(e)) {
      if (!attribute.raw) continue;
      if (!first) out->push_back(',');
      first = false;
      std::string key = "attr__";
      key.append(attribute.name);
      AppendKey(key, out);
      AppendJsonString(attribute.value, out);
    }
    out->append("},");
    AppendKey("order", out);
    out->append(std::to_string(i));
    out->push_back('}');
  }
  out->push_back(']');
}

}  // namespace actiond::engine
