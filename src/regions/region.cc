#include "regions/region.h"

#include <fmt/format.h>

#include <array>

#include "base/text.h"

namespace fupin::regions {
namespace {

constexpr std::array<int, kLevelCount + 1> kSegmentEnd = {0, 2, 4, 6, 9, 12};

bool AllZero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

}  // namespace

std::string_view LevelName(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince:
      return "province";
    case RegionLevel::kCity:
      return "city";
    case RegionLevel::kCounty:
      return "county";
    case RegionLevel::kTownship:
      return "township";
    case RegionLevel::kVillage:
      return "village";
  }
  return "province";
}

std::string_view LevelNameZh(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince:
      return "省";
    case RegionLevel::kCity:
      return "市";
    case RegionLevel::kCounty:
      return "县";
    case RegionLevel::kTownship:
      return "乡";
    case RegionLevel::kVillage:
      return "村";
  }
  return "省";
}

Result<RegionLevel> ParseLevel(std::string_view name) {
  for (int l = 1; l <= kLevelCount; ++l) {
    const auto level = static_cast<RegionLevel>(l);
    if (name == LevelName(level) || name == std::to_string(l)) return level;
  }
  return InvalidArgument(fmt::format(
      "'{}' is not a region level (province, city, county, township, village or 1-5)", name));
}

int PrefixLength(RegionLevel level) { return kSegmentEnd[static_cast<int>(level)]; }

Result<RegionLevel> LevelOfCode(std::string_view code) {
  if (code.size() != kCodeLength || !IsAsciiDigits(code)) {
    return InvalidArgument(fmt::format("'{}' is not a region code: it must be 12 digits", code));
  }
  // The level is the deepest non-zero segment; all segments above it must be non-zero too.
  int level = 0;
  for (int l = kLevelCount; l >= 1; --l) {
    if (!AllZero(code.substr(kSegmentEnd[l - 1], kSegmentEnd[l] - kSegmentEnd[l - 1]))) {
      level = l;
      break;
    }
  }
  if (level == 0) return InvalidArgument(fmt::format("'{}' is not a region code: all zero", code));
  for (int l = 1; l < level; ++l) {
    if (AllZero(code.substr(kSegmentEnd[l - 1], kSegmentEnd[l] - kSegmentEnd[l - 1]))) {
      return InvalidArgument(fmt::format(
          "'{}' is not a region code: its {} segment (digits {}-{}) is zero under a non-zero {} "
          "segment",
          code, LevelName(static_cast<RegionLevel>(l)), kSegmentEnd[l - 1] + 1, kSegmentEnd[l],
          LevelName(static_cast<RegionLevel>(level))));
    }
  }
  return static_cast<RegionLevel>(level);
}

std::string ParentCodeOf(std::string_view code, RegionLevel level) {
  if (level == RegionLevel::kProvince) return "";
  const int keep = kSegmentEnd[static_cast<int>(level) - 1];
  return std::string(code.substr(0, keep)) + std::string(kCodeLength - keep, '0');
}

CodeRange SubtreeRange(std::string_view code, RegionLevel level) {
  const int keep = PrefixLength(level);
  const std::string prefix(code.substr(0, keep));
  return {prefix + std::string(kCodeLength - keep, '0'),
          prefix + std::string(kCodeLength - keep, '9')};
}

std::vector<std::string> AncestorCodes(std::string_view code, RegionLevel level) {
  std::vector<std::string> out;
  for (int l = 1; l < static_cast<int>(level); ++l) {
    const int keep = kSegmentEnd[l];
    out.push_back(std::string(code.substr(0, keep)) + std::string(kCodeLength - keep, '0'));
  }
  return out;
}

}  // namespace fupin::regions
