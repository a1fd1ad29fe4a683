#include "base/csv.h"

#include <gtest/gtest.h>

namespace fupin {
namespace {

TEST(ParseCsv, HeaderRowsAndLineNumbers) {
  auto t = ParseCsv("code,name\r\n1, a \r\n\r\n2,b\r\n");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->header, (std::vector<std::string>{"code", "name"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"1", "a"}));
  EXPECT_EQ(t->rows[1].line, 4);  // the blank line 3 is skipped but still counted
}

TEST(ParseCsv, QuotedFieldsKeepCommasQuotesAndNewlines) {
  auto t = ParseCsv("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\nlast,row");
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].cells[0], "x, y");
  EXPECT_EQ(t->rows[0].cells[1], "say \"hi\"");
  EXPECT_EQ(t->rows[1].cells[0], "multi\nline");
  EXPECT_EQ(t->rows[1].line, 3);
  EXPECT_EQ(t->rows[2].line, 5);  // the record after a two-line field starts on line 5
  EXPECT_EQ(t->rows[2].cells, (std::vector<std::string>{"last", "row"}));
}

TEST(ParseCsv, TrailingEmptyCellsAreKept) {
  auto t = ParseCsv("a,b,c\n1,,\n");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"1", "", ""}));
}

TEST(ParseCsv, UnterminatedQuoteNamesTheLine) {
  auto t = ParseCsv("a,b\n1,2\n3,\"oops\n");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(t.error().details.size(), 1u);
  EXPECT_EQ(t.error().details[0].row, 3);
}

TEST(ParseCsv, EmptyInputIsAnError) {
  EXPECT_FALSE(ParseCsv("").has_value());
  EXPECT_FALSE(ParseCsv("\n\n").has_value());
}

TEST(ParseCsv, FindColumnAcceptsAliases) {
  auto t = ParseCsv("行政区划代码,名称\n1,2\n");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->FindColumn({"code", "行政区划代码"}), 0u);
  EXPECT_EQ(t->FindColumn({"name", "名称"}), 1u);
  EXPECT_FALSE(t->FindColumn("parent_code").has_value());
}

TEST(CsvLine, QuotesWhenNeeded) {
  EXPECT_EQ(CsvLine({"a", "b,c", "say \"x\"", ""}), "a,\"b,c\",\"say \"\"x\"\"\",\n");
}

TEST(CsvLine, RoundTripsThroughParse) {
  const std::vector<std::string> cells{"x", "1,2", "line\nbreak", "q\"q"};
  auto t = ParseCsv(CsvLine({"h1", "h2", "h3", "h4"}) + CsvLine(cells));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->rows.at(0).cells, cells);
}

}  // namespace
}  // namespace fupin
