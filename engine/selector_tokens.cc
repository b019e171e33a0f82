// Selector::AddRequiredTokens lives apart from the parser and matcher: it serves only the
// ActionSet's prefilter.
#include "engine/selector.h"

namespace actiond::engine {

void Selector::AddRequiredTokens(std::vector<ElementToken>* required) const {
  using Kind = ElementToken::Kind;
  auto add = [required](Kind kind, const std::string& value, const std::string& second = {}) {
    required->push_back(ElementToken{kind, value, second});
  };
  for (const Compound& compound : compounds_) {
    if (!compound.tag.empty()) add(Kind::kTag, compound.tag);
    for (const std::string& cls : compound.classes) {
      add(Kind::kClass, cls);
    }
    for (const std::string& id : compound.ids) add(Kind::kId, id);
    for (const AttributeTest& test : compound.attributes) {
      if (!test.has_value) continue;  // presence alone is not a token
      switch (test.target) {
        case AttributeTest::Target::kHref:
          add(Kind::kHref, test.value);
          break;
        case AttributeTest::Target::kId:
          add(Kind::kId, test.value);
          break;
        case AttributeTest::Target::kRaw:
          add(Kind::kAttribute, test.name, test.value);
          break;
      }
    }
  }
}

}  // namespace actiond::engine
