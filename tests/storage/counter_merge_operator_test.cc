#include "storage/counter_merge_operator.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace actiond::storage {
namespace {

std::string Value(int64_t v) {
  std::string out;
  AppendCounterValue(&out, v);
  return out;
}

int64_t Decoded(const std::string& bytes) {
  int64_t v = 0;
  EXPECT_TRUE(DecodeCounterValue(bytes, &v));
  return v;
}

TEST(CounterMergeOperatorTest, ValuesAreEightBytesLittleEndian) {
  EXPECT_EQ(Value(1), std::string("\x01\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(Decoded(Value(-1)), -1);
  EXPECT_EQ(Decoded(Value(std::numeric_limits<int64_t>::min())),
            std::numeric_limits<int64_t>::min());
}

TEST(CounterMergeOperatorTest, AddsOperandToExistingValue) {
  CounterMergeOperator op;
  std::string existing = Value(40), operand = Value(2), out;
  rocksdb::Slice existing_slice(existing);
  ASSERT_TRUE(op.Merge("k", &existing_slice, operand, &out, nullptr));
  EXPECT_EQ(Decoded(out), 42);
}

TEST(CounterMergeOperatorTest, MissingValueCountsAsZero) {
  CounterMergeOperator op;
  std::string operand = Value(-3), out;
  ASSERT_TRUE(op.Merge("k", nullptr, operand, &out, nullptr));
  EXPECT_EQ(Decoded(out), -3);
}

TEST(CounterMergeOperatorTest, WrongSizedBytesFailTheMerge) {
  CounterMergeOperator op;
  std::string bad = "1234567", good = Value(1), out;
  rocksdb::Slice bad_slice(bad);
  EXPECT_FALSE(op.Merge("k", &bad_slice, good, &out, nullptr));
  EXPECT_FALSE(op.Merge("k", nullptr, bad, &out, nullptr));
  int64_t v = 0;
  EXPECT_FALSE(DecodeCounterValue("123456789", &v));
}

}  // namespace
}  // namespace actiond::storage
