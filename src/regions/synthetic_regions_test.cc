#include "regions/synthetic_regions.h"

#include <gtest/gtest.h>

#include <set>

namespace fupin::regions {
namespace {

TEST(GenerateRegions, SameSeedSameData) {
  const auto a = GenerateRegions(DemoScale::kCounty, 42);
  const auto b = GenerateRegions(DemoScale::kCounty, 42);
  const auto c = GenerateRegions(DemoScale::kCounty, 43);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].code, b[i].code);
    EXPECT_EQ(a[i].name, b[i].name);
  }
  bool any_difference = a.size() != c.size();
  for (size_t i = 0; !any_difference && i < a.size(); ++i) any_difference = a[i].name != c[i].name;
  EXPECT_TRUE(any_difference);
}

void ExpectWellFormed(const std::vector<Region>& regions) {
  std::set<std::string> seen;
  for (const Region& r : regions) {
    auto level = LevelOfCode(r.code);
    ASSERT_TRUE(level.has_value()) << r.code;
    EXPECT_EQ(*level, r.level) << r.code;
    EXPECT_TRUE(r.synthetic);
    EXPECT_TRUE(r.code.starts_with("99")) << r.code;
    EXPECT_EQ(r.parent_code, ParentCodeOf(r.code, r.level));
    if (!r.parent_code.empty()) {
      EXPECT_TRUE(seen.contains(r.parent_code)) << r.code;
    }
    EXPECT_TRUE(seen.insert(r.code).second) << "duplicate " << r.code;
    EXPECT_FALSE(r.name.empty());
  }
}

TEST(GenerateRegions, CountyScaleIsWellFormed) {
  const auto regions = GenerateRegions(DemoScale::kCounty, 1);
  ExpectWellFormed(regions);
  std::array<int, 6> per_level{};
  for (const Region& r : regions) ++per_level[static_cast<int>(r.level)];
  EXPECT_EQ(per_level[1], 1);
  EXPECT_EQ(per_level[3], 1);
  EXPECT_EQ(per_level[4], 15);
  EXPECT_GE(per_level[5], 150);
  EXPECT_LE(per_level[5], 300);
}

TEST(GenerateRegions, ProvinceScaleHasAboutFifteenThousandVillages) {
  const auto regions = GenerateRegions(DemoScale::kProvince, 1);
  ExpectWellFormed(regions);
  int villages = 0;
  for (const Region& r : regions) villages += r.level == RegionLevel::kVillage;
  EXPECT_GT(villages, 10000);
  EXPECT_LT(villages, 20000);
}

}  // namespace
}  // namespace fupin::regions
