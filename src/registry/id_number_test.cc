#include "registry/id_number.h"

#include <gtest/gtest.h>

namespace fupin::registry {
namespace {

const Date kToday{2026, 11, 23};

TEST(IdNumber, AcceptsTheStandardsExampleAndDerivesBirthAndSex) {
  // GB 11643-1999's worked example: 11010519491231002X, a woman born 1949-12-31.
  auto info = ParseIdNumber("11010519491231002x", kToday);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->normalized, "11010519491231002X");
  EXPECT_EQ(info->region_prefix, "110105");
  EXPECT_EQ(info->birth_date, (Date{1949, 12, 31}));
  EXPECT_FALSE(info->male);
  EXPECT_EQ(IdNumberCheckCharacter("44052418800101001"), '4');  // the other textbook example
  auto man = ParseIdNumber(
      std::string("44052419800101001") + IdNumberCheckCharacter("44052419800101001"), kToday);
  ASSERT_TRUE(man) << man.error().message;
  EXPECT_TRUE(man->male);
}

TEST(IdNumber, NamesWhatIsWrong) {
  auto wrong_check = ParseIdNumber("110105194912310021", kToday);
  ASSERT_FALSE(wrong_check);
  EXPECT_NE(wrong_check.error().message.find("check character"), std::string::npos);
  auto short_one = ParseIdNumber("1101051949123100", kToday);
  ASSERT_FALSE(short_one);
  EXPECT_NE(short_one.error().message.find("18 characters"), std::string::npos);
  auto bad_date = ParseIdNumber("110105194902300021", kToday);
  ASSERT_FALSE(bad_date);
  EXPECT_NE(bad_date.error().message.find("birth date"), std::string::npos);
  auto letters = ParseIdNumber("1101051949A231002X", kToday);
  ASSERT_FALSE(letters);
  EXPECT_NE(letters.error().message.find("17 digits"), std::string::npos);
  // A birth date after today.
  const std::string future17 = "11010520300101001";
  auto future = ParseIdNumber(future17 + IdNumberCheckCharacter(future17), kToday);
  ASSERT_FALSE(future);
  EXPECT_NE(future.error().message.find("future"), std::string::npos);
  // Messages never repeat the number (they may be logged).
  EXPECT_EQ(wrong_check.error().message.find("110105"), std::string::npos);
}

}  // namespace
}  // namespace fupin::registry
