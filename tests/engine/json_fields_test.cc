#include "engine/json_fields.h"

#include <gtest/gtest.h>

#include <array>
#include <string_view>
#include <vector>

namespace actiond::engine {
namespace {

using Kind = JsonMember::Kind;

TEST(JsonFieldsTest, ReadsTopLevelMembersOnlyAndDecodesStrings) {
  constexpr std::array<std::string_view, 6> kKeys = {"person_id", "n", "o", "missing", "z", "b"};
  std::vector<JsonMember> members;
  ASSERT_TRUE(
      ReadTopLevelMembers(R"({"properties":{"person_id":"nested"},"person_id":"a\"b","n":1.50,)"
                          R"("o":{"x":[1,true]},"z":null,"b":false})",
                          kKeys, &members)
          .ok());
  ASSERT_EQ(members.size(), 6u);
  EXPECT_EQ(members[0].kind, Kind::kString);
  EXPECT_EQ(members[0].text, "a\"b");
  EXPECT_EQ(members[1].kind, Kind::kNumber);
  EXPECT_EQ(members[1].text, "1.5");
  EXPECT_EQ(members[2].kind, Kind::kObject);
  EXPECT_EQ(members[2].text, R"({"x":[1,true]})");
  EXPECT_EQ(members[3].kind, Kind::kAbsent);
  EXPECT_EQ(members[4].kind, Kind::kNull);
  EXPECT_EQ(members[5].kind, Kind::kBool);
  EXPECT_EQ(members[5].text, "false");
}

TEST(JsonFieldsTest, ReadTopLevelMembersRefusesNonObjects) {
  constexpr std::array<std::string_view, 1> kKeys = {"a"};
  std::vector<JsonMember> members;
  EXPECT_EQ(ReadTopLevelMembers("[1]", kKeys, &members).code(), StatusCode::kParseError);
  EXPECT_EQ(ReadTopLevelMembers("{", kKeys, &members).code(), StatusCode::kParseError);
  EXPECT_EQ(members.size(), 1u);
}

TEST(JsonFieldsTest, FlattensNestedObjectsAndArraysToDottedPaths) {
  std::vector<FlatField> out;
  ASSERT_TRUE(FlattenJson(R"({"id":3,"tags":[],"steps":[{"event":"e","props":{}},)"
                          R"({"url":null,"ok":true}],"t":"a,b"})",
                          "", &out)
                  .ok());
  std::vector<std::pair<std::string, std::string>> got;
  for (const FlatField& f : out) got.emplace_back(f.path, f.text);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"id", "3"},
                                                                   {"steps.0.event", "e"},
                                                                   {"steps.1.url", ""},
                                                                   {"steps.1.ok", "True"},
                                                                   {"t", "a,b"}}));
}

TEST(JsonFieldsTest, FlattenPrefixesPaths) {
  std::vector<FlatField> out;
  ASSERT_TRUE(FlattenJson(R"({"a":[1]})", "p", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, "p.a.0");
  EXPECT_EQ(FlattenJson("nope", "", &out).code(), StatusCode::kParseError);
}

}  // namespace
}  // namespace actiond::engine
