#include "access/masking.h"

#include <gtest/gtest.h>

namespace fupin::access {
namespace {

TEST(Masking, KeepsOnlyTheDocumentedParts) {
  EXPECT_EQ(MaskIdNumber("620102199001011234"), "6201**********1234");
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskBankAccount("6228480012345678901"), "***************8901");
  EXPECT_EQ(MaskHealth("serious"), "***");
}

TEST(Masking, EmptyStaysEmptyAndShortValuesAreHiddenEntirely) {
  EXPECT_EQ(Mask(SensitiveKind::kIdNumber, ""), "");
  EXPECT_EQ(Mask(SensitiveKind::kHealth, ""), "");
  EXPECT_EQ(MaskIdNumber("1234567"), "*******");
  EXPECT_EQ(MaskPhone("5678"), "****");
  EXPECT_EQ(MaskPhone("12345678"), "****5678");
  EXPECT_EQ(MaskBankAccount("12345"), "*****");
}

TEST(Masking, NoMaskRevealsMoreThanEightCharactersOfAnIdNumber) {
  const std::string id = "99012119850612003X";
  const std::string masked = Mask(SensitiveKind::kIdNumber, id);
  ASSERT_EQ(masked.size(), id.size());
  int kept = 0;
  for (size_t i = 0; i < id.size(); ++i) kept += masked[i] == id[i] ? 1 : 0;
  EXPECT_EQ(kept, 8);
}

}  // namespace
}  // namespace fupin::access
