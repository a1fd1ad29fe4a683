#include "regions/region.h"

#include <gtest/gtest.h>

namespace fupin::regions {
namespace {

TEST(LevelOfCode, DerivesEachLevel) {
  EXPECT_EQ(LevelOfCode("620000000000"), RegionLevel::kProvince);
  EXPECT_EQ(LevelOfCode("620600000000"), RegionLevel::kCity);
  EXPECT_EQ(LevelOfCode("620623000000"), RegionLevel::kCounty);
  EXPECT_EQ(LevelOfCode("620623100000"), RegionLevel::kTownship);
  EXPECT_EQ(LevelOfCode("620623100201"), RegionLevel::kVillage);
  // A township numbered 010 and a village numbered 001 (residents' committee).
  EXPECT_EQ(LevelOfCode("620623010001"), RegionLevel::kVillage);
}

TEST(LevelOfCode, RejectsMalformedCodes) {
  for (const char* bad : {"", "62", "6200000000000", "62000000000a", "000000000000",
                          "620000000001" /* village under no city, county, township */,
                          "620023000000" /* county under city 00 */, "6206230001 1"}) {
    auto level = LevelOfCode(bad);
    EXPECT_FALSE(level.has_value()) << bad;
    if (!level) {
      EXPECT_EQ(level.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

TEST(ParentCodeOf, ZeroesTheOwnSegment) {
  EXPECT_EQ(ParentCodeOf("620000000000", RegionLevel::kProvince), "");
  EXPECT_EQ(ParentCodeOf("620600000000", RegionLevel::kCity), "620000000000");
  EXPECT_EQ(ParentCodeOf("620623000000", RegionLevel::kCounty), "620600000000");
  EXPECT_EQ(ParentCodeOf("620623100000", RegionLevel::kTownship), "620623000000");
  EXPECT_EQ(ParentCodeOf("620623100201", RegionLevel::kVillage), "620623100000");
}

TEST(SubtreeRange, CoversExactlyTheDescendants) {
  const auto r = SubtreeRange("620623000000", RegionLevel::kCounty);
  EXPECT_EQ(r.low, "620623000000");
  EXPECT_EQ(r.high, "620623999999");
  EXPECT_TRUE(std::string("620623100201") >= r.low && std::string("620623100201") <= r.high);
  EXPECT_FALSE(std::string("620624000000") <= r.high);
  const auto v = SubtreeRange("620623100201", RegionLevel::kVillage);
  EXPECT_EQ(v.low, v.high);
}

TEST(AncestorCodes, ProvinceFirst) {
  EXPECT_EQ(
      AncestorCodes("620623100201", RegionLevel::kVillage),
      (std::vector<std::string>{"620000000000", "620600000000", "620623000000", "620623100000"}));
  EXPECT_TRUE(AncestorCodes("620000000000", RegionLevel::kProvince).empty());
}

TEST(ParseLevel, NamesAndNumbers) {
  EXPECT_EQ(ParseLevel("township"), RegionLevel::kTownship);
  EXPECT_EQ(ParseLevel("5"), RegionLevel::kVillage);
  EXPECT_FALSE(ParseLevel("hamlet").has_value());
  EXPECT_EQ(LevelNameZh(RegionLevel::kCounty), "县");
}

}  // namespace
}  // namespace fupin::regions
