#include "engine/elements_chain_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

#include "engine/elements_array.h"
#include "engine/elements_chain.h"
#include "engine/event_reader.h"

namespace actiond::engine {
namespace {

std::string FromArray(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  EXPECT_EQ(parser.parse(json.data(), json.size()).get_array().get(array), simdjson::SUCCESS);
  ElementList list;
  ReadElementsArray(array, &list);
  return WriteElementsChain(list);
}

TEST(ElementsChainWriterTest, WritesPostHogsChainFromTheArray) {
  EXPECT_EQ(FromArray(R"([{"tag_name":"button","$el_text":"Sign up","classes":["btn","a"],
                           "attr__class":"btn a","nth_child":2,"nth_of_type":1,
                           "attr__href":"/signup","attr__data-x":"1"},
                          {"tag_name":"div"}])"),
            R"(button.a.btn:attr__class="btn a"attr__data-x="1"attr__href="/signup")"
            R"(href="/signup"nth-child="2"nth-of-type="1"text="Sign up";)"
            R"(div:nth-child="0"nth-of-type="0")");
}

TEST(ElementsChainWriterTest, EscapesQuotesAndBackslashesSoTheParserReadsThemBack) {
  const std::string chain = FromArray(R"([{"tag_name":"a","$el_text":"say \"hi\" \\ bye"}])");
  EXPECT_EQ(chain, R"(a:nth-child="0"nth-of-type="0"text="say \"hi\" \\ bye")");
  ElementList parsed;
  ParseElementsChain(chain, &parsed);
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].text, R"(say "hi" \ bye)");
}

TEST(ElementsChainWriterTest, NoElementsIsEmpty) { EXPECT_EQ(FromArray("[]"), ""); }

TEST(ElementsChainWriterTest, AnEventsOwnChainIsKeptAsStored) {
  EventReader reader;
  auto view = reader.Read(
      R"({"uuid":"u","event":"$autocapture","distinct_id":"d","timestamp":"2026-11-01T00:00:00Z",)"
      R"("properties":{"$elements":[{"tag_name":"b"}]},"elements_chain":"span:text=\"x\""})");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(ElementsChainOf(**view), R"(span:text="x")");
  auto from_array = reader.Read(
      R"({"uuid":"u","event":"$autocapture","distinct_id":"d","timestamp":"2026-11-01T00:00:00Z",)"
      R"("properties":{"$elements":[{"tag_name":"b"}]}})");
  ASSERT_TRUE(from_array.ok());
  EXPECT_EQ(ElementsChainOf(**from_array), R"(b:nth-child="0"nth-of-type="0")");
}

}  // namespace
}  // namespace actiond::engine
