#include "engine/elements_json.h"

#include <gtest/gtest.h>

#include "engine/elements_chain.h"

namespace actiond::engine {
namespace {

TEST(ElementsJsonTest, WritesPostHogsElementObjectsClickedElementFirst) {
  ElementList list;
  ParseElementsChain(
      R"(a.nav.main:attr__href="/x"attr__data-id="7"href="/x"nth-child="2"nth-of-type="1"text="Go \"now\"";div)",
      &list);
  std::string out;
  AppendElementsJson(list, &out);
  EXPECT_EQ(out, R"([{"text":"Go \"now\"","tag_name":"a","href":"/x","attr_id":null,)"
                 R"("attr_class":["nav","main"],"nth_child":2,"nth_of_type":1,)"
                 R"("attributes":{"attr__href":"/x","attr__data-id":"7"},"order":0},)"
                 R"({"text":null,"tag_name":"div","href":null,"attr_id":null,"attr_class":[],)"
                 R"("nth_child":null,"nth_of_type":null,"attributes":{},"order":1}])");
}

TEST(ElementsJsonTest, NoElementsIsAnEmptyArray) {
  ElementList list;
  ParseElementsChain("", &list);
  std::string out;
  AppendElementsJson(list, &out);
  EXPECT_EQ(out, "[]");
}

}  // namespace
}  // namespace actiond::engine
