#include "regions/boundary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "regions/synthetic_regions.h"

namespace fupin::regions {
namespace {

// The vertices of a generated Polygon's ring.
std::vector<std::pair<double, double>> Ring(const std::string& geometry) {
  std::vector<std::pair<double, double>> out;
  static const std::regex point(R"(\[(-?[0-9.]+),(-?[0-9.]+)\])");
  for (auto it = std::sregex_iterator(geometry.begin(), geometry.end(), point);
       it != std::sregex_iterator(); ++it) {
    out.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  }
  return out;
}

// Twice the signed area (shoelace): positive for a counter-clockwise ring.
double Area2(const std::vector<std::pair<double, double>>& ring) {
  double a = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    a += ring[i].first * ring[i + 1].second - ring[i + 1].first * ring[i].second;
  }
  return a;
}

TEST(SyntheticBoundaries, EveryRegionGetsAClosedCounterClockwisePolygonMarkedSynthetic) {
  const auto regions = GenerateRegions(DemoScale::kCounty, 7);
  const auto boundaries = GenerateSyntheticBoundaries(regions);
  ASSERT_EQ(boundaries.size(), regions.size());
  std::set<std::string> codes;
  for (const Boundary& b : boundaries) {
    codes.insert(b.code);
    EXPECT_TRUE(b.synthetic);
    EXPECT_TRUE(b.geometry.starts_with(R"({"type":"Polygon","coordinates":[[)")) << b.geometry;
    const auto ring = Ring(b.geometry);
    ASSERT_GE(ring.size(), 5u) << b.code;
    EXPECT_EQ(ring.front(), ring.back()) << "closed ring " << b.code;
    EXPECT_GT(Area2(ring), 0) << "counter-clockwise " << b.code;
  }
  EXPECT_EQ(codes.size(), regions.size());
}

TEST(SyntheticBoundaries, SiblingsTileTheirParentWithoutGapsOrOverlaps) {
  const auto regions = GenerateRegions(DemoScale::kCounty, 7);
  const auto boundaries = GenerateSyntheticBoundaries(regions);
  std::map<std::string, const Boundary*> by_code;
  for (const auto& b : boundaries) by_code[b.code] = &b;
  // The county's townships: their areas add up to the county's nominal rectangle (the parent
  // of a set of siblings is laid out as a rectangle), so no gaps and no overlaps.
  std::map<std::string, double> children_area;
  for (const Region& r : regions) {
    if (r.parent_code.empty()) continue;
    children_area[r.parent_code] += Area2(Ring(by_code.at(r.code)->geometry)) / 2;
  }
  const Region* province = &regions.front();
  ASSERT_TRUE(province->parent_code.empty());
  const double province_area = Area2(Ring(by_code.at(province->code)->geometry)) / 2;
  EXPECT_NEAR(children_area.at(province->code), province_area, 1e-6);
  // The county is the province's only grandchild, so it fills the same rectangle; its ~15
  // jittered townships must cover exactly that area.
  const auto county = std::find_if(regions.begin(), regions.end(),
                                   [](const Region& r) { return r.level == RegionLevel::kCounty; });
  ASSERT_NE(county, regions.end());
  EXPECT_GT(children_area.count(county->code), 0u);
  EXPECT_NEAR(children_area.at(county->code), province_area, 1e-4);
  // Deterministic.
  const auto again = GenerateSyntheticBoundaries(regions);
  for (size_t i = 0; i < boundaries.size(); ++i) {
    EXPECT_EQ(again[i].geometry, boundaries[i].geometry);
  }
}

}  // namespace
}  // namespace fupin::regions
