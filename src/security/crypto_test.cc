#include "security/crypto.h"

#include <gtest/gtest.h>

namespace fupin::security {
namespace {

TEST(Password, HashAndVerify) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", *hash));
  EXPECT_FALSE(VerifyPassword("x", ""));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(*HashPassword("same"), *HashPassword("same"));
}

TEST(RandomHex, LengthAndUniqueness) {
  const std::string a = RandomHex(16);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, RandomHex(16));
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Sha256Hex, KnownVector) {
  // FIPS 180-2 example "abc".
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256Hex, Rfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(ConstantTimeEquals, Basics) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace fupin::security
