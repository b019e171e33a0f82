// Fuzz target: engine/elements_chain.h. The parser promises never to fail, throw or loop; here
// every view it hands out is read back (so ASan sees a view into freed or foreign memory), the
// list's accessors are exercised.
//
// Checks beyond "no crash": every byte of every view is read, and href/id are empty unless
// present.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/element.h"
#include "engine/elements_chain.h"

namespace {

// Reads every byte of `s` so that ASan checks the whole view.
uint32_t Touch(std::string_view s, uint32_t h) {
  for (unsigned char c : s) h = h * 31 + c;
  return h;
}

volatile uint32_t sink;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using actiond::engine::Element;
  static actiond::engine::ElementList list;  // reused, as the matcher reuses it across events

  const std::string_view chain(reinterpret_cast<const char*>(data), size);
  actiond::engine::ParseElementsChain(chain, &list);
  uint32_t h = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    const Element& e = list[i];
    h = Touch(e.tag, h);
    h = Touch(e.text, h);
    h = Touch(e.href, h);
    h = Touch(e.id, h);
    if (!e.has_href && !e.href.empty()) abort();
    if (!e.has_id && !e.id.empty()) abort();
    for (std::string_view cls : list.Classes(e)) h = Touch(cls, h);
    for (const actiond::engine::ElementAttribute& attribute : list.Attributes(e)) {
      h = Touch(attribute.name, h);
      h = Touch(attribute.value, h);
    }
  }
  sink = h;  // keeps the reads observable
  return 0;
}
