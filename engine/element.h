// Elements of an autocapture event: the clicked element (index 0) and its ancestors.
//
// An ElementList is filled by ParseElementsChain (elements_chain.h) or by the `$elements`
// array reader (elements_array.h) and read by selectors, step element conditions and element
// property filters. It is reused across events: Clear() keeps its capacity, so filling it
// again does not allocate once it has grown to the workload's size.
//
// Lifetime: the string_views of an Element point either into the source the list was parsed
// from (the chain string or the JSON document) or into the list's own unescape buffer; they
// are valid until the next Clear() and while that source lives.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace actiond::engine {

// An attribute of an element. A raw DOM attribute (`attr__<name>` in a chain, an `attr__*` key
// in `$elements`) is stored without the prefix and has `raw` set. A chain key the grammar does
// not know (`id="x"`, `data-x="1"`) is kept under its own key with `raw` unset: it is an
// attribute and nothing else (docs/semantics.md §8.3) — it never sets the id, a class or the href,
// and selectors (which test raw attributes) do not see it.
struct ElementAttribute {
  std::string_view name;
  std::string_view value;
  bool raw = true;
};

struct Element {
  static constexpr int32_t kNoPosition = -1;

  std::string_view tag;   // "" when the chain had none
  std::string_view text;  // "" when absent (docs/semantics.md §8.1: absent text tests as "")
  std::string_view href;  // `href`, else `attr__href`; "" when absent
  std::string_view id;    // `attr_id`, else `attr__id`; "" when absent
  bool has_href = false;
  bool has_id = false;
  int32_t nth_child = kNoPosition;
  int32_t nth_of_type = kNoPosition;
  // Ranges into the owning ElementList's pools.
  uint32_t classes_begin = 0, classes_end = 0;
  uint32_t attributes_begin = 0, attributes_end = 0;
};

class ElementList {
 public:
  void Clear() noexcept;
  bool empty() const noexcept { return elements_.empty(); }
  size_t size() const noexcept { return elements_.size(); }
  const Element& operator[](size_t i) const noexcept { return elements_[i]; }

  // The element's class tokens: the chain's class list united with attr__class tokens.
  std::span<const std::string_view> Classes(const Element& e) const noexcept;
  std::span<const ElementAttribute> Attributes(const Element& e) const noexcept;
  bool HasClass(const Element& e, std::string_view cls) const noexcept;
  // The value of raw attribute `name` (without the attr__ prefix); nullopt when absent. Unknown
  // (non-raw) chain keys are never returned.
  std::optional<std::string_view> Attribute(const Element& e, std::string_view name) const noexcept;

  // --- Building (used by the parsers) -------------------------------------------------------
  // Starts a new element; fields are then set through the returned reference (valid until the
  // next BeginElement), classes and attributes appended with AddClass/AddAttribute, and
  // FinishElement() resolves the derived fields:
  //   - href/id: a parser sets `href`+`has_href` (`id`+`has_id`) only from the source it
  //     prefers (chain: `href`, `attr_id`; `$elements`: `attr__href`, `attr__id`) and adds the
  //     raw DOM attributes (`href`, `id`) as attributes. When the field is still unset,
  //     FinishElement takes the raw attribute's value.
  //   - classes: the whitespace tokens of the raw attribute `class` are appended to the
  //     classes added with AddClass (duplicates are harmless: HasClass is a whole-token test).
  // Attributes keep their source order and a name written twice appears twice: the later one
  // is the element's value (Attribute() and FinishElement() read the last occurrence).
  Element& BeginElement();
  void AddClass(std::string_view cls);
  void AddAttribute(std::string_view name, std::string_view value, bool raw = true);
  void FinishElement() noexcept;  // an allocation failure terminates, as in the parsers
  // Stores `value` in the list's own buffer and returns a view of the copy, valid until
  // Clear(). Callers reserve first (ReserveText) so the buffer never moves while views exist:
  // a StoreText beyond the reserved capacity invalidates every earlier view into the buffer.
  // Consecutive calls store their bytes contiguously, so a value can be built from pieces.
  std::string_view StoreText(std::string_view value);
  // Makes room for `bytes` more bytes; call before the first StoreText of a fill.
  void ReserveText(size_t bytes);

 private:
  std::vector<Element> elements_;
  std::vector<std::string_view> classes_;
  std::vector<ElementAttribute> attributes_;
  // Not std::string: its small-string buffer would move with the list and strand views.
  std::vector<char> text_;
};

}  // namespace actiond::engine
