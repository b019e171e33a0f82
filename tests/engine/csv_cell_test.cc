#include "engine/csv_cell.h"

#include <gtest/gtest.h>

namespace actiond::engine {
namespace {

TEST(CsvCellTest, FormulaStartsGetAQuote) {
  EXPECT_EQ(NeutraliseCsvCell("=1+1"), "'=1+1");
  EXPECT_EQ(NeutraliseCsvCell("+33 1 23"), "'+33 1 23");
  EXPECT_EQ(NeutraliseCsvCell("-2"), "'-2");
  EXPECT_EQ(NeutraliseCsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(NeutraliseCsvCell("\t=cmd"), "'\t=cmd");
  EXPECT_EQ(NeutraliseCsvCell("\r=cmd"), "'\r=cmd");
}

TEST(CsvCellTest, OtherCellsAreUnchanged) {
  EXPECT_EQ(NeutraliseCsvCell(""), "");
  EXPECT_EQ(NeutraliseCsvCell("signup"), "signup");
  EXPECT_EQ(NeutraliseCsvCell("a=b"), "a=b");
  EXPECT_EQ(NeutraliseCsvCell(" =x"), " =x");
  EXPECT_EQ(NeutraliseCsvCell("'already"), "'already");
  EXPECT_FALSE(CsvCellNeedsNeutralising("12"));
  EXPECT_TRUE(CsvCellNeedsNeutralising("-12"));
}

}  // namespace
}  // namespace actiond::engine
