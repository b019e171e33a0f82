// Fuzz target: engine/selector.h, parsing and matching. Input: the selector text, a newline,
// then an elements_chain the compiled selector is matched against.
//
// Checks beyond "no crash": when a selector matches a chain, the chain carries every token the
// selector requires (AddRequiredTokens, looked up as the ActionSet does through an
// ElementTokenIndex) — otherwise the ActionSet would never evaluate a step that matches.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "engine/element.h"
#include "engine/element_token_index.h"
#include "engine/elements_chain.h"
#include "engine/selector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using actiond::engine::ElementToken;
  using actiond::engine::ElementTokenIndex;
  using actiond::engine::Selector;
  static actiond::engine::ElementList elements;

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view text = input.substr(0, newline);
  const std::string_view chain =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  actiond::Result<Selector> selector = Selector::Parse(text);
  if (!selector.ok()) return 0;
  actiond::engine::ParseElementsChain(chain, &elements);
  const bool matches = selector->Matches(elements);

  if (matches) {
    std::vector<ElementToken> required;
    selector->AddRequiredTokens(&required);
    ElementTokenIndex index;
    std::vector<uint32_t> ids;
    ids.reserve(required.size());
    for (const ElementToken& token : required) ids.push_back(index.Add(token));
    index.Build();
    std::vector<uint32_t> marks(index.size(), 0);
    std::vector<uint32_t> present;
    index.CollectPresent(elements, /*epoch=*/1, &marks, &present);
    for (uint32_t id : ids) {
      if (marks[id] != 1) abort();
    }
  }
  return 0;
}
