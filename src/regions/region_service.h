// Region use cases: browsing the hierarchy, importing a division-code file, renaming and
// closing. Validation lives here; storage only persists. Thread-safe if the repository is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/csv.h"
#include "base/error.h"
#include "regions/region.h"
#include "regions/region_repository.h"

namespace fupin::regions {

struct RegionWithAncestors {
  Region region;
  int64_t child_count = 0;
  std::vector<Region> ancestors;  // province first
};

struct ImportReport {
  UpsertCounts counts;
  int64_t rows = 0;
  TextEncoding encoding = TextEncoding::kUtf8;
  bool dry_run = false;
};

class RegionService {
 public:
  explicit RegionService(RegionRepository& repository) : repository_(repository) {}

  // kInvalidArgument for a malformed code, kNotFound for an unknown one.
  Result<RegionWithAncestors> Get(std::string_view code);
  // Children of a region ("" = provinces). kNotFound when the parent does not exist.
  Result<std::vector<RegionListItem>> Children(std::string_view code, bool include_closed);
  Result<RegionPage> Search(const RegionQuery& query);
  // Open regions per level in the subtree of `code` (itself included; "" = everything).
  Result<LevelCounts> CountByLevel(std::string_view code);

  // Validates a parsed region file (columns code,name,parent_code or 行政区划代码,名称,上级代码;
  // optional level/级别) against itself and the store, and writes it all or nothing. Every
  // bad row is reported (row, column, value, reason) in one kInvalidArgument error.
  // `source` names the file in the audit entry (e.g. "regions.csv sha256:…").
  Result<ImportReport> Import(const CsvTable& table, bool dry_run, const audit::Actor& actor,
                              std::string_view source);

  // Writes already-valid regions (e.g. generated demo data) in one transaction.
  Result<UpsertCounts> Store(std::span<const Region> regions, const audit::Actor& actor,
                             std::string_view note);

  Result<Region> Rename(std::string_view code, std::string_view name, int64_t expected_version,
                        const audit::Actor& actor);
  Result<Region> Close(std::string_view code, std::string_view on, std::string_view successor,
                       int64_t expected_version, const audit::Actor& actor);

 private:
  RegionRepository& repository_;
};

// Checks a region name: 1–100 characters after trimming, no control characters.
Status ValidateRegionName(std::string_view name);

}  // namespace fupin::regions
