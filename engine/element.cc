#include "engine/element.h"

#include <cassert>

namespace actiond::engine {
namespace {

// HTML splits class attributes on ASCII whitespace only.
bool IsClassSeparator(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

}  // namespace

void ElementList::Clear() noexcept {
  elements_.clear();
  classes_.clear();
  attributes_.clear();
  text_.clear();
}

std::span<const std::string_view> ElementList::Classes(const Element& e) const noexcept {
  return std::span<const std::string_view>(classes_.data() + e.classes_begin,
                                           e.classes_end - e.classes_begin);
}

std::span<const ElementAttribute> ElementList::Attributes(const Element& e) const noexcept {
  return std::span<const ElementAttribute>(attributes_.data() + e.attributes_begin,
                                           e.attributes_end - e.attributes_begin);
}

bool ElementList::HasClass(const Element& e, std::string_view cls) const noexcept {
  for (std::string_view token : Classes(e)) {
    if (token == cls) return true;
  }
  return false;
}

std::optional<std::string_view> ElementList::Attribute(const Element& e,
                                                       std::string_view name) const noexcept {
  // Backwards: a name written twice takes its last value.
  for (uint32_t i = e.attributes_end; i > e.attributes_begin; --i) {
    const ElementAttribute& attribute = attributes_[i - 1];
    if (attribute.raw && attribute.name == name) return attribute.value;
  }
  return std::nullopt;
}

Element& ElementList::BeginElement() {
  Element& e = elements_.emplace_back();
  e.classes_begin = e.classes_end = static_cast<uint32_t>(classes_.size());
  e.attributes_begin = e.attributes_end = static_cast<uint32_t>(attributes_.size());
  return e;
}

void ElementList::AddClass(std::string_view cls) {
  assert(!elements_.empty());
  if (cls.empty()) return;
  classes_.push_back(cls);
  elements_.back().classes_end = static_cast<uint32_t>(classes_.size());
}

void ElementList::AddAttribute(std::string_view name, std::string_view value, bool raw) {
  assert(!elements_.empty());
  attributes_.push_back(ElementAttribute{name, value, raw});
  elements_.back().attributes_end = static_cast<uint32_t>(attributes_.size());
}

void ElementList::FinishElement() noexcept {
  assert(!elements_.empty());
  Element& e = elements_.back();
  if (!e.has_href) {
    if (std::optional<std::string_view> href = Attribute(e, "href")) {
      e.href = *href;
      e.has_href = true;
    }
  }
  if (!e.has_id) {
    if (std::optional<std::string_view> id = Attribute(e, "id")) {
      e.id = *id;
      e.has_id = true;
    }
  }
  if (std::optional<std::string_view> cls = Attribute(e, "class")) {
    std::string_view rest = *cls;
    size_t i = 0;
    while (i < rest.size()) {
      while (i < rest.size() && IsClassSeparator(rest[i])) ++i;
      size_t start = i;
      while (i < rest.size() && !IsClassSeparator(rest[i])) ++i;
      if (i > start) classes_.push_back(rest.substr(start, i - start));
    }
    e.classes_end = static_cast<uint32_t>(classes_.size());
  }
}

std::string_view ElementList::StoreText(std::string_view value) {
  // Growing here would move the bytes earlier views point at.
  assert(text_.size() + value.size() <= text_.capacity());
  size_t start = text_.size();
  text_.insert(text_.end(), value.begin(), value.end());
  return std::string_view(text_.data() + start, value.size());
}

void ElementList::ReserveText(size_t bytes) { text_.reserve(text_.size() + bytes); }

}  // namespace actiond::engine
