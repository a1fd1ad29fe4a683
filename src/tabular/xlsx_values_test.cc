#include "tabular/xlsx_values.h"

#include <gtest/gtest.h>

namespace fupin::tabular::internal {
namespace {

TEST(XlsxValues, ColumnReferences) {
  EXPECT_EQ(ColumnFromReference("A1"), 0u);
  EXPECT_EQ(ColumnFromReference("Z9"), 25u);
  EXPECT_EQ(ColumnFromReference("AA10"), 26u);
  EXPECT_EQ(ColumnFromReference("ab3"), 27u);
  EXPECT_EQ(ColumnFromReference("XFD1048576"), 16383u);
  EXPECT_FALSE(ColumnFromReference("XFE1").has_value());
  EXPECT_FALSE(ColumnFromReference("AAAA1").has_value());
  EXPECT_FALSE(ColumnFromReference("12").has_value());
  EXPECT_FALSE(ColumnFromReference("").has_value());
  for (size_t column : {0u, 1u, 25u, 26u, 51u, 52u, 701u, 702u, 16383u}) {
    EXPECT_EQ(ColumnFromReference(ColumnLetters(column) + "1"), column) << column;
  }
  EXPECT_EQ(ColumnLetters(702), "AAA");
}

TEST(XlsxValues, DateFormats) {
  for (int id : {14, 15, 16, 17, 22, 27, 31, 36, 50, 57, 58}) {
    EXPECT_TRUE(IsBuiltInDateFormat(id)) << id;
  }
  for (int id : {0, 1, 2, 9, 10, 11, 12, 13, 18, 19, 20, 21, 32, 35, 45, 46, 47, 49, 55, 56}) {
    EXPECT_FALSE(IsBuiltInDateFormat(id)) << id;
  }
  for (const char* code :
       {"yyyy-mm-dd", "yyyy/m/d", "d-mmm-yy", "yyyy\"年\"m\"月\"d\"日\"",
        "[$-804]yyyy\"年\"m\"月\"", "m/d", "mmm", "[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"",
        "yyyy-mm-dd hh:mm:ss", "dd/mm/yyyy;@", "[Red]yyyy-mm-dd"}) {
    EXPECT_TRUE(IsDateFormatCode(code)) << code;
  }
  for (const char* code : {"General", "0.00", "#,##0", "0.0%", "@", "h:mm", "hh:mm:ss", "mm:ss",
                           "[h]:mm:ss", "h:mm AM/PM", "0.00\"day\"", "\"yyyy\"0",
                           "#,##0.00_);[Red](#,##0.00)", "0.0 d", "\"¥\"#,##0.00", ""}) {
    EXPECT_FALSE(IsDateFormatCode(code)) << code;
  }
}

TEST(XlsxValues, SerialDates1900) {
  EXPECT_EQ(SerialToIsoDate("1", false), "1900-01-01");
  EXPECT_EQ(SerialToIsoDate("59", false), "1900-02-28");
  EXPECT_EQ(SerialToIsoDate("60", false), "1900-02-29");  // Excel's fictitious day
  EXPECT_EQ(SerialToIsoDate("61", false), "1900-03-01");
  EXPECT_EQ(SerialToIsoDate("25569", false), "1970-01-01");
  EXPECT_EQ(SerialToIsoDate("43831", false), "2020-01-01");
  EXPECT_EQ(SerialToIsoDate("43831.75", false), "2020-01-01");           // the time is dropped
  EXPECT_EQ(SerialToIsoDate("43831.99999999999", false), "2020-01-02");  // rounds to the ms
  EXPECT_EQ(SerialToIsoDate("4.3831E4", false), "2020-01-01");
  EXPECT_EQ(SerialToIsoDate("2958465", false), "9999-12-31");
  EXPECT_FALSE(SerialToIsoDate("2958466", false).has_value());
  EXPECT_FALSE(SerialToIsoDate("0", false).has_value());
  EXPECT_FALSE(SerialToIsoDate("-5", false).has_value());
  EXPECT_FALSE(SerialToIsoDate("abc", false).has_value());
  EXPECT_FALSE(SerialToIsoDate("12x", false).has_value());
  EXPECT_FALSE(SerialToIsoDate("", false).has_value());
}

TEST(XlsxValues, SerialDates1904) {
  EXPECT_EQ(SerialToIsoDate("0", true), "1904-01-01");
  EXPECT_EQ(SerialToIsoDate("42369", true), "2020-01-01");
  EXPECT_FALSE(SerialToIsoDate("-1", true).has_value());
}

TEST(XlsxValues, NumbersKeepTheirText) {
  EXPECT_EQ(NumberText("1.0"), "1");
  EXPECT_EQ(NumberText("-12.000"), "-12");
  EXPECT_EQ(NumberText("1"), "1");
  EXPECT_EQ(NumberText("1.5"), "1.5");
  EXPECT_EQ(NumberText("1.50"), "1.50");
  EXPECT_EQ(NumberText("6.20102199001011E+17"), "6.20102199001011E+17");
  EXPECT_EQ(NumberText("1.0E+3"), "1.0E+3");
  EXPECT_EQ(NumberText(".0"), ".0");
  EXPECT_EQ(NumberText("1."), "1.");
}

TEST(XlsxValues, OoxmlEscapes) {
  std::string text = "a_x000D_b_x005F_x0041_c";
  DecodeOoxmlEscapes(text);
  EXPECT_EQ(text, "a\rb_x0041_c");
  text = "_xD840__xDC00_ and _x4E2D_";
  DecodeOoxmlEscapes(text);
  EXPECT_EQ(text, "𠀀 and 中");
  text = "_xD840_ lone, _x0000_ nul, _x12_ short, _xZZZZ_";
  const std::string unchanged = text;
  DecodeOoxmlEscapes(text);
  EXPECT_EQ(text, unchanged);
}

}  // namespace
}  // namespace fupin::tabular::internal
