// Fuzz target: engine/selector.h, parsing and matching. Input: the selector text, a newline,
// then an elements_chain the compiled selector is matched against.
//
// Checks beyond "no crash": when a selector matches a chain, the chain's Bloom signature contains
// every token the selector requires (AddRequiredTokens) — otherwise the ActionSet's prefilter
// would skip a step that matches.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/element.h"
#include "engine/element_signature.h"
#include "engine/elements_chain.h"
#include "engine/selector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using actiond::engine::ElementSignature;
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
    ElementSignature required;
    selector->AddRequiredTokens(&required);
    if (!ElementSignature::Of(elements).MayContainAll(required)) abort();
  }
  return 0;
}
