#include "engine/person_update.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace actiond::engine {
namespace {

class PersonUpdateTest : public ::testing::Test {
 protected:
  // Applies the updates; returns the new properties and stores whether they changed.
  std::string Apply(std::string_view current, std::string_view set, std::string_view set_once,
                    std::vector<std::string> unset = {}) {
    std::string out;
    auto changed = updater_.ApplyPersonUpdates(current, set, set_once, unset, &out);
    EXPECT_TRUE(changed.ok()) << changed.status().ToString();
    changed_ = changed.ok() && *changed;
    return out;
  }
  std::string Merge(std::string_view target, std::string_view source) {
    std::string out;
    Status status = updater_.MergePersonProperties(target, source, &out);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out;
  }

  PersonPropertyUpdater updater_;
  bool changed_ = false;
};

TEST_F(PersonUpdateTest, SetOverwritesAndAppendsNewKeys) {
  EXPECT_EQ(Apply(R"({"a":1,"b":2})", R"({"b":3,"c":4})", "{}"), R"({"a":1,"b":3,"c":4})");
  EXPECT_TRUE(changed_);
}

TEST_F(PersonUpdateTest, HugeIntegersAndRepeatedKeysAreReadLikeJavaScript) {
  EXPECT_EQ(
      Apply(R"({"a":100000000000000000000})", R"({"b":200000000000000000000,"c":1,"c":2})",
            R"({"d":0.00030000000000000003})"),
      R"({"a":100000000000000000000,"d":0.00030000000000000003,"b":200000000000000000000,"c":2})");
  EXPECT_TRUE(changed_);
}

TEST_F(PersonUpdateTest, SetOnceOnlySetsAbsentKeys) {
  EXPECT_EQ(Apply(R"({"a":1})", "{}", R"({"a":9,"b":2})"), R"({"a":1,"b":2})");
  EXPECT_TRUE(changed_);
}

TEST_F(PersonUpdateTest, SetOnceTreatsNullAsPresent) {
  EXPECT_EQ(Apply(R"({"a":null})", "{}", R"({"a":9})"), R"({"a":null})");
  EXPECT_FALSE(changed_);
}

TEST_F(PersonUpdateTest, SetOnceAppliesBeforeSet) {
  // The same key in both: $set_once fills it, then $set overwrites it.
  EXPECT_EQ(Apply("{}", R"({"k":"set"})", R"({"k":"once"})"), R"({"k":"set"})");
}

TEST_F(PersonUpdateTest, UnsetAppliesLastAndRemovesKeys) {
  EXPECT_EQ(Apply(R"({"a":1,"b":2,"c":3})", R"({"b":5})", R"({"d":4})", {"b", "d", "zz"}),
            R"({"a":1,"c":3})");
  EXPECT_TRUE(changed_);
}

TEST_F(PersonUpdateTest, SettingEqualValuesIsNoChange) {
  EXPECT_EQ(Apply(R"({"a":1,"b":{"x":[1,2]}})", R"({"a":1.0,"b":{"x":[1,2]}})", "{}"),
            R"({"a":1,"b":{"x":[1,2]}})");
  EXPECT_FALSE(changed_);
  Apply(R"({"a":1})", "{}", "{}", {"missing"});
  EXPECT_FALSE(changed_);
}

TEST_F(PersonUpdateTest, NoUpdatesReturnsCurrentUntouched) {
  EXPECT_EQ(Apply(R"({"b":1, "a":2})", "{}", ""), R"({"b":1, "a":2})");
  EXPECT_FALSE(changed_);
  EXPECT_EQ(Apply("", "", ""), "{}");
}

TEST_F(PersonUpdateTest, NewPersonFromEmptyProperties) {
  EXPECT_EQ(Apply("", R"({"email":"a@b.c"})", R"({"first":"2024-01-01"})"),
            R"({"first":"2024-01-01","email":"a@b.c"})");
  EXPECT_TRUE(changed_);
}

TEST_F(PersonUpdateTest, KeyOrderIsKept) {
  EXPECT_EQ(Apply(R"({"z":1,"m":2,"a":3})", R"({"m":20,"b":4})", "{}"),
            R"({"z":1,"m":20,"a":3,"b":4})");
}

TEST_F(PersonUpdateTest, NonObjectJsonIsInvalid) {
  std::string out;
  EXPECT_EQ(updater_.ApplyPersonUpdates("[1]", R"({"a":1})", "{}", {}, &out).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(updater_.ApplyPersonUpdates("{}", "nope", "{}", {}, &out).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(updater_.MergePersonProperties("{}", "5", &out).code(), StatusCode::kInvalidInput);
}

TEST_F(PersonUpdateTest, MergeKeepsTargetValuesAndAddsSourceOnlyKeys) {
  EXPECT_EQ(Merge(R"({"email":"t@x","plan":null})", R"({"email":"s@x","plan":"pro","utm":"a"})"),
            R"({"email":"t@x","plan":null,"utm":"a"})");
  EXPECT_EQ(Merge("{}", R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(Merge(R"({"a":1})", ""), R"({"a":1})");
}

TEST(IsMergeableDistinctIdTest, OrdinaryIdsMerge) {
  for (std::string_view id :
       {"user-1", "anon-abc", "a", " x ", "0.0", "00", "nulls", "Null", "\"", "\"user\"",
        "\"\"\"\"", "ids", "01a229e8-0c7d-7d56-845d-1d3ad14db986"}) {
    EXPECT_TRUE(IsMergeableDistinctId(id)) << id;
  }
}

TEST(IsMergeableDistinctIdTest, EmptyAndWhitespaceNeverMerge) {
  for (std::string_view id : {"", " ", "\t\n", "\xC2\xA0", "\xE2\x80\x83 ", "\xEF\xBB\xBF"}) {
    EXPECT_FALSE(IsMergeableDistinctId(id)) << id;
  }
}

TEST(IsMergeableDistinctIdTest, CaseInsensitiveWordsNeverMerge) {
  for (std::string_view id :
       {"anonymous", "ANONYMOUS", "Guest", "distinctid", "DistinctId", "distinct_id", "ID", "id",
        "not_authenticated", "Email", "undefined", "UNDEFINED", "true", "True", "false", "FALSE"}) {
    EXPECT_FALSE(IsMergeableDistinctId(id)) << id;
  }
}

TEST(IsMergeableDistinctIdTest, CaseSensitiveWordsNeverMergeExactly) {
  for (std::string_view id : {"[object Object]", "NaN", "None", "none", "null", "0"}) {
    EXPECT_FALSE(IsMergeableDistinctId(id)) << id;
  }
  for (std::string_view id : {"[object object]", "nan", "NONE", "NULL", "nOne"}) {
    EXPECT_TRUE(IsMergeableDistinctId(id)) << id;
  }
}

TEST(IsMergeableDistinctIdTest, QuotedBlankIdsNeverMerge) {
  for (std::string_view id : {"\"\"", "\" \"", "\"\t\n\"", "\"\xC2\xA0\""}) {
    EXPECT_FALSE(IsMergeableDistinctId(id)) << id;
  }
}

TEST(IsMergeableDistinctIdTest, QuotedWordsNeverMerge) {
  for (std::string_view id : {"\"anonymous\"", "\"Guest\"", "\"null\"", "\"0\"",
                              "\"[object Object]\"", "\"undefined\""}) {
    EXPECT_FALSE(IsMergeableDistinctId(id)) << id;
  }
  EXPECT_TRUE(IsMergeableDistinctId("\"NULL\""));
  EXPECT_TRUE(IsMergeableDistinctId("\" x \""));
  EXPECT_TRUE(IsMergeableDistinctId("'null'"));
  EXPECT_TRUE(IsMergeableDistinctId("\"null"));
}

}  // namespace
}  // namespace actiond::engine
