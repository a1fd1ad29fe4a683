#include "access/model.h"

#include <gtest/gtest.h>

#include "access/permissions.h"

namespace fupin::access {
namespace {

TEST(Roles, NamesRoundTrip) {
  for (Role r : kAllRoles) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("superuser").has_value());
  EXPECT_EQ(RoleName(Role::kSocialOrg), "social_org");
}

TEST(CreditCode, PublishedCodesPassAndTyposFail) {
  for (const char* ok : {"91350100M000100Y43", "91110108551385082Q", "913100007109376050"}) {
    EXPECT_TRUE(ValidateCreditCode(ok).has_value()) << ok;
  }
  EXPECT_FALSE(ValidateCreditCode("91350100M000100Y44").has_value());  // wrong check char
  EXPECT_FALSE(ValidateCreditCode("91350100M000100I43").has_value());  // I is not allowed
  EXPECT_FALSE(ValidateCreditCode("9135010").has_value());
}

TEST(UserName, Rules) {
  EXPECT_TRUE(ValidateUserName("zhang.san").has_value());
  EXPECT_TRUE(ValidateUserName("张三").has_value());
  EXPECT_FALSE(ValidateUserName("a").has_value());
  EXPECT_FALSE(ValidateUserName("has space").has_value());
  EXPECT_FALSE(ValidateUserName("a:b").has_value());
}

TEST(Password, Policy) {
  EXPECT_TRUE(ValidatePassword("Tianzhu-2020!", "zhangsan").has_value());
  EXPECT_FALSE(ValidatePassword("short1", "zhangsan").has_value());
  EXPECT_FALSE(ValidatePassword("ZhangSan-Admin", "zhangsan-admin").has_value());
  EXPECT_FALSE(ValidatePassword("aaaaaaaaaaaa", "x").has_value());
  auto e = ValidatePassword("secret-but-short", "secret-but-short");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message.find("secret-but-short"), std::string::npos);
}

Principal With(std::vector<RoleBinding> roles) {
  Principal p;
  p.roles = std::move(roles);
  return p;
}

TEST(Principal, AdminHoldsEverythingEverywhere) {
  const auto admin = With({{Role::kAdmin, "620000000000", 0}});
  EXPECT_EQ(admin.Scope({"users", "write"}), std::vector<std::string>{""});
  EXPECT_TRUE(admin.HoldsIn({"regions", "write"}, "990121001201"));
}

TEST(Principal, ScopeIsTheBoundSubtree) {
  const auto official = With({{Role::kOfficial, "620623000000", 0}});
  EXPECT_EQ(official.Scope({"regions", "read"}), std::vector<std::string>{"620623000000"});
  EXPECT_TRUE(official.HoldsIn({"regions", "read"}, "620623100201"));
  EXPECT_FALSE(official.HoldsIn({"regions", "read"}, "620624100201"));
  EXPECT_FALSE(official.Holds({"users", "read"}));
}

TEST(Principal, LevelRulesDecide) {
  const auto township = With({{Role::kOfficial, "620623100000", 0}});
  const auto county = With({{Role::kOfficial, "620623000000", 0}});
  EXPECT_TRUE(township.Holds({"projects", "review"}));
  EXPECT_FALSE(township.Holds({"projects", "approve"}));
  EXPECT_TRUE(county.Holds({"projects", "approve"}));
  EXPECT_FALSE(county.Holds({"projects", "review"}));
  EXPECT_FALSE(township.Holds({"organizations", "write"}));
  EXPECT_TRUE(county.Holds({"organizations", "write"}));
}

TEST(Principal, ProjectsAreProposedByTheVillageReviewedByTheTownshipApprovedByTheCounty) {
  const auto village = With({{Role::kVillage, "620623100201", 0}});
  const auto township = With({{Role::kOfficial, "620623100000", 0}});
  const auto county = With({{Role::kOfficial, "620623000000", 0}});
  const auto evaluator = With({{Role::kEvaluator, "620623000000", 0}});
  EXPECT_EQ(village.Scope({"projects", "propose"}), std::vector<std::string>{"620623100201"});
  EXPECT_FALSE(village.HoldsIn({"projects", "propose"}, "620623100202"));
  EXPECT_FALSE(village.Holds({"projects", "review"}));
  EXPECT_TRUE(village.HoldsIn({"projects", "report"}, "620623100201"));
  EXPECT_TRUE(township.HoldsIn({"projects", "review"}, "620623100201"));
  EXPECT_FALSE(township.HoldsIn({"projects", "review"}, "620623101201"));  // another township
  EXPECT_FALSE(township.Holds({"projects", "accept"}));
  EXPECT_TRUE(county.Holds({"projects", "accept"}));
  EXPECT_TRUE(county.Holds({"projects", "propose"}));
  EXPECT_TRUE(evaluator.Holds({"projects", "read"}));
  EXPECT_FALSE(evaluator.Holds({"projects", "propose"}));
}

TEST(Principal, OverlappingBindingsCollapse) {
  const auto p = With({{Role::kAuditor, "620623100000", 0},
                       {Role::kAuditor, "620623000000", 0},
                       {Role::kAuditor, "630000000000", 0}});
  EXPECT_EQ(p.Scope({"audit", "read"}), (std::vector<std::string>{"620623000000", "630000000000"}));
}

TEST(Principal, SensitiveDataNeedsTheVillageRoleOrAGrant) {
  const auto village = With({{Role::kVillage, "620623100201", 0}});
  EXPECT_EQ(village.Scope({"personal_data", "view_sensitive"}),
            std::vector<std::string>{"620623100201"});
  auto official = With({{Role::kOfficial, "620623000000", 0}});
  EXPECT_FALSE(official.Holds({"personal_data", "view_sensitive"}));
  official.view_sensitive = true;
  EXPECT_EQ(official.Scope({"personal_data", "view_sensitive"}),
            std::vector<std::string>{"620623000000"});
}

TEST(Principal, AHouseholdMemberReadsTheirOwnHouseholdOnly) {
  auto member = With({{Role::kHousehold, "620623100201", 0, 42}});
  // registry.read reaches the household, never the village.
  EXPECT_TRUE(member.Scope({"registry", "read"}).empty());
  EXPECT_EQ(member.Households({"registry", "read"}), std::vector<int64_t>{42});
  EXPECT_TRUE(member.Holds({"registry", "read"}));
  EXPECT_FALSE(member.HoldsIn({"registry", "read"}, "620623100201"));
  // The region hierarchy is still reference data for them; monitoring and writes are not.
  EXPECT_EQ(member.Scope({"regions", "read"}), std::vector<std::string>{"620623100201"});
  EXPECT_TRUE(member.Households({"regions", "read"}).empty());
  EXPECT_FALSE(member.Holds({"monitoring", "read"}));
  EXPECT_FALSE(member.Holds({"registry", "write"}));
  // No personal data by default; the per-user grant covers the household, not the village.
  EXPECT_FALSE(member.Holds({"personal_data", "view_sensitive"}));
  member.view_sensitive = true;
  EXPECT_TRUE(member.Scope({"personal_data", "view_sensitive"}).empty());
  EXPECT_EQ(member.Households({"personal_data", "view_sensitive"}), std::vector<int64_t>{42});
}

TEST(Principal, AHouseholdBindingWithoutItsHouseholdReadsNothing) {
  const auto legacy = With({{Role::kHousehold, "620623100201", 0}});
  EXPECT_FALSE(legacy.Holds({"registry", "read"}));
  // Bound above the village, the role's grant does not apply.
  const auto township = With({{Role::kHousehold, "620623100000", 0, 42}});
  EXPECT_FALSE(township.Holds({"registry", "read"}));
}

TEST(Principal, OtherBindingsKeepTheirRegionBesideAHouseholdBinding) {
  auto p = With({{Role::kHousehold, "620623100201", 0, 42}, {Role::kOfficial, "620624000000", 0}});
  p.view_sensitive = true;
  EXPECT_EQ(p.Scope({"registry", "read"}), std::vector<std::string>{"620624000000"});
  EXPECT_EQ(p.Households({"registry", "read"}), std::vector<int64_t>{42});
  EXPECT_EQ(p.Scope({"personal_data", "view_sensitive"}), std::vector<std::string>{"620624000000"});
}

TEST(InSubtree, PrefixByLevel) {
  EXPECT_TRUE(InSubtree("", "620623100201"));
  EXPECT_TRUE(InSubtree("620623000000", "620623000000"));
  EXPECT_TRUE(InSubtree("620623000000", "620623999999"));
  EXPECT_FALSE(InSubtree("620623000000", "620624000000"));
  EXPECT_FALSE(InSubtree("bad", "620623000000"));
}

}  // namespace
}  // namespace fupin::access
