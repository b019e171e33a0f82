// Selector::AddRequiredTokens lives apart from the parser and matcher: it serves only the
// ActionSet's prefilter.
#include "engine/selector.h"

namespace actiond::engine {

void Selector::AddRequiredTokens(ElementSignature* required) const noexcept {
  for (const Compound& compound : compounds_) {
    if (!compound.tag.empty()) required->Add(ElementSignature::Token::kTag, compound.tag);
    for (const std::string& cls : compound.classes) {
      required->Add(ElementSignature::Token::kClass, cls);
    }
    for (const std::string& id : compound.ids) required->Add(ElementSignature::Token::kId, id);
    for (const AttributeTest& test : compound.attributes) {
      if (!test.has_value) continue;  // presence alone is not a token
      switch (test.target) {
        case AttributeTest::Target::kHref:
          required->Add(ElementSignature::Token::kHref, test.value);
          break;
        case AttributeTest::Target::kId:
          required->Add(ElementSignature::Token::kId, test.value);
          break;
        case AttributeTest::Target::kRaw:
          required->Add(ElementSignature::Token::kAttribute, test.name, test.value);
          break;
      }
    }
  }
}

}  // namespace actiond::engine
