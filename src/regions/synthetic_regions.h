// Deterministic synthetic administrative hierarchies for the demo and for benchmarks.
//
// All codes start with 99, a province code that does not exist in China's statistical
// division codes, and every region is flagged `synthetic`, so demo data can never be mistaken
// for a real place. Same scale and seed → the same regions, on every platform.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "regions/region.h"

namespace fupin::regions {

enum class DemoScale {
  kCounty,    // 1 province, 1 city, 1 county, ~15 townships, ~230 villages
  kProvince,  // 1 province, 14 cities, ~90 counties, ~1,200 townships, ~15,000 villages
};

Result<DemoScale> ParseDemoScale(std::string_view name);
std::string_view DemoScaleName(DemoScale scale);

inline constexpr std::string_view kSyntheticProvinceCode = "990000000000";

// Generates the hierarchy, parents before children.
std::vector<Region> GenerateRegions(DemoScale scale, uint64_t seed);

}  // namespace fupin::regions
