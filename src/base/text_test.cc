#include "base/text.h"

#include <gtest/gtest.h>

namespace fupin {
namespace {

TEST(DecodeText, PlainUtf8IsKept) {
  auto d = DecodeText("代码,名称\n");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(d->utf8, "代码,名称\n");
}

TEST(DecodeText, BomIsDropped) {
  auto d = DecodeText(
      "\xEF\xBB\xBF"
      "code");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(d->utf8, "code");
}

TEST(DecodeText, GbkIsConverted) {
  // "名称,代码" as GBK bytes, the way Excel saves a Chinese CSV.
  auto d = DecodeText("\xC3\xFB\xB3\xC6,\xB4\xFA\xC2\xEB");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(d->utf8, "名称,代码");
}

TEST(DecodeText, Utf16IsRejected) {
  auto d =
      DecodeText(std::string("\xFF\xFE"
                             "c\0o\0",
                             6));
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(d.error().message.find("UTF-16"), std::string::npos);
}

TEST(DecodeText, BytesInvalidInBothAreRejectedWithOffset) {
  // 0x80 and 0xFF are invalid lead bytes in UTF-8 and in GB18030.
  auto d = DecodeText("abc\x80\xFF");
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message.find("neither UTF-8"), std::string::npos);
  EXPECT_NE(d.error().message.find("byte 3"), std::string::npos);
}

TEST(IsValidUtf8, RejectsOverlongAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("ascii 中文 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));          // truncated
}

TEST(Trim, RemovesAsciiAndIdeographicSpace) {
  EXPECT_EQ(Trim("  a b \t"), "a b");
  EXPECT_EQ(Trim("\xE3\x80\x80名称\xE3\x80\x80"), "名称");
  EXPECT_EQ(Trim(""), "");
}

TEST(Split, KeepsEmptyParts) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace fupin
