#include "regions/synthetic_regions.h"

#include <fmt/format.h>

#include <array>
#include <set>
#include <string>

#include "base/random.h"

namespace fupin::regions {
namespace {

// Characters that make plausible place names in north-west China.
constexpr std::array<std::string_view, 40> kFirst = {
    "青", "石", "河", "龙", "凤", "安", "平", "新", "柳", "杨", "马", "红", "白", "金",
    "东", "西", "南", "北", "大", "小", "沙", "泉", "川", "黄", "永", "长", "高", "双",
    "三", "古", "太", "兴", "德", "和", "清", "宁", "梁", "兰", "武", "华"};
constexpr std::array<std::string_view, 30> kSecond = {
    "山", "川", "原", "岭", "峰", "坪", "湾", "沟", "寨", "庄", "堡", "滩", "峪", "台", "坡",
    "源", "林", "阳", "丰", "泽", "口", "城", "水", "谷", "岔", "塬", "营", "园", "家", "店"};

class NameMaker {
 public:
  explicit NameMaker(Rng& rng) : rng_(rng) {}
  // A two-character stem plus `suffix`, unique among the names made for the same parent.
  std::string Make(std::string_view suffix, std::set<std::string>& used) {
    for (int attempt = 0;; ++attempt) {
      std::string name(kFirst[rng_.Uniform(0, kFirst.size() - 1)]);
      name += kSecond[rng_.Uniform(0, kSecond.size() - 1)];
      if (attempt > 50) name += kSecond[rng_.Uniform(0, kSecond.size() - 1)];
      name += suffix;
      if (used.insert(name).second) return name;
    }
  }

 private:
  Rng& rng_;
};

Region MakeRegion(std::string code, std::string name, RegionLevel level) {
  Region r;
  r.parent_code = ParentCodeOf(code, level);
  r.code = std::move(code);
  r.name = std::move(name);
  r.level = level;
  r.synthetic = true;
  return r;
}

void AddTownships(Rng& rng, NameMaker& names, const std::string& county_code, int townships,
                  int min_villages, int max_villages, std::vector<Region>& out) {
  std::set<std::string> township_names;
  for (int t = 1; t <= townships; ++t) {
    const std::string township_code = fmt::format("{}{:03}000", county_code.substr(0, 6), t);
    const bool is_town = rng.Uniform(0, 2) != 0;  // 镇 (town) more often than 乡 (township)
    out.push_back(MakeRegion(township_code, names.Make(is_town ? "镇" : "乡", township_names),
                             RegionLevel::kTownship));
    std::set<std::string> village_names;
    const int villages = static_cast<int>(rng.Uniform(min_villages, max_villages));
    for (int v = 1; v <= villages; ++v) {
      // Villagers' committees are numbered from 200 in the statistical codes; residents'
      // committees (社区) from 001 — the demo has a few of those in towns.
      const bool community = is_town && v <= 2;
      const int number = community ? v : 200 + v;
      out.push_back(MakeRegion(fmt::format("{}{:03}", township_code.substr(0, 9), number),
                               names.Make(community ? "社区" : "村", village_names),
                               RegionLevel::kVillage));
    }
  }
}

}  // namespace

Result<DemoScale> ParseDemoScale(std::string_view name) {
  if (name == "county") return DemoScale::kCounty;
  if (name == "province") return DemoScale::kProvince;
  return InvalidArgument(fmt::format("'{}' is not a demo scale (county or province)", name));
}

std::string_view DemoScaleName(DemoScale scale) {
  return scale == DemoScale::kCounty ? "county" : "province";
}

std::vector<Region> GenerateRegions(DemoScale scale, uint64_t seed) {
  Rng rng(seed);
  NameMaker names(rng);
  std::vector<Region> out;
  out.push_back(
      MakeRegion(std::string(kSyntheticProvinceCode), "陇原示范省", RegionLevel::kProvince));
  std::set<std::string> city_names;
  if (scale == DemoScale::kCounty) {
    out.push_back(MakeRegion("990100000000", names.Make("市", city_names), RegionLevel::kCity));
    std::set<std::string> county_names;
    out.push_back(MakeRegion("990121000000", names.Make("县", county_names), RegionLevel::kCounty));
    AddTownships(rng, names, "990121000000", 15, 10, 20, out);
    return out;
  }
  for (int c = 1; c <= 14; ++c) {
    const std::string city_code = fmt::format("99{:02}00000000", c);
    out.push_back(MakeRegion(city_code, names.Make("市", city_names), RegionLevel::kCity));
    std::set<std::string> county_names;
    const int counties = static_cast<int>(rng.Uniform(5, 8));
    for (int k = 1; k <= counties; ++k) {
      // 01–20 are districts (区) in the statistical codes, 21 and up counties (县).
      const bool district = k <= 1;
      const std::string county_code =
          fmt::format("{}{:02}000000", city_code.substr(0, 4), district ? k : 20 + k);
      out.push_back(MakeRegion(county_code, names.Make(district ? "区" : "县", county_names),
                               RegionLevel::kCounty));
      AddTownships(rng, names, county_code, static_cast<int>(rng.Uniform(10, 16)), 9, 15, out);
    }
  }
  return out;
}

}  // namespace fupin::regions
