// The storage interface of the regions module, in domain types. Implemented once over SQL in
// storage/ for SQLite and PostgreSQL; checked by the storage contract tests on both.
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "regions/region.h"

namespace fupin::regions {

struct UpsertCounts {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

enum class RegionSort { kCode, kCodeDesc, kName, kNameDesc };

// A filtered, paged list of regions. Names match as a substring (ASCII case-insensitive);
// a query of digits also matches code prefixes.
struct RegionQuery {
  std::string within;  // a region code: only its subtree (itself included); "" = everywhere
  std::optional<RegionLevel> level;
  std::string text;
  bool include_closed = false;
  RegionSort sort = RegionSort::kCode;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct RegionPage {
  std::vector<RegionListItem> items;
  int64_t total = 0;
};

// Open regions per level in a subtree, index 0 = province … 4 = village.
using LevelCounts = std::array<int64_t, kLevelCount>;

class RegionRepository {
 public:
  virtual ~RegionRepository() = default;

  virtual Result<std::optional<Region>> Find(std::string_view code) = 0;
  // The regions among `codes` that exist (open or closed), in code order.
  virtual Result<std::vector<Region>> FindMany(std::span<const std::string> codes) = 0;
  // Children of `parent_code` ("" = the provinces), in code order, each with the number of
  // its own open children.
  virtual Result<std::vector<RegionListItem>> Children(std::string_view parent_code,
                                                       bool include_closed) = 0;
  virtual Result<RegionPage> Search(const RegionQuery& query) = 0;
  // Open regions by level in the subtree of `code` (itself included); "" = all regions.
  virtual Result<LevelCounts> CountByLevel(std::string_view code) = 0;

  // Inserts new regions and renames existing open ones, all in one transaction: on any
  // error nothing is written. Callers validate first (RegionService::Import does);
  // referential problems that slip through (unknown parent) fail the whole batch.
  // Recorded as one audit entry: `note` (e.g. file name and SHA-256), the counts and the codes
  // inserted or renamed.
  virtual Result<UpsertCounts> Upsert(std::span<const Region> regions, const audit::Actor& actor,
                                      std::string_view note) = 0;
  // Renames a region. kConflict (with the current version) when `expected_version` is stale.
  virtual Result<Region> Rename(std::string_view code, std::string_view name,
                                int64_t expected_version, const audit::Actor& actor) = 0;
  // Closes a region on `on`, optionally naming a successor. Fails with kFailedPrecondition
  // when it still has open children; kConflict when `expected_version` is stale.
  virtual Result<Region> Close(std::string_view code, const Date& on,
                               std::string_view successor_code, int64_t expected_version,
                               const audit::Actor& actor) = 0;
};

}  // namespace fupin::regions
