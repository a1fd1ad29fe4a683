// Internal to storage/: RegionRepository over SQL, shared by both backends.
#pragma once

#include "regions/region_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

// RegionRepository::FindMany on `conn` (inside the caller's transaction).
Result<std::vector<regions::Region>> FindRegions(SqlConnection& conn,
                                                 std::span<const std::string> codes);

class SqlRegionRepository final : public regions::RegionRepository {
 public:
  explicit SqlRegionRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<std::optional<regions::Region>> Find(std::string_view code) override;
  Result<std::vector<regions::Region>> FindMany(std::span<const std::string> codes) override;
  Result<std::vector<regions::RegionListItem>> Children(std::string_view parent_code,
                                                        bool include_closed) override;
  Result<regions::RegionPage> Search(const regions::RegionQuery& query) override;
  Result<regions::LevelCounts> CountByLevel(std::string_view code) override;
  Result<regions::UpsertCounts> Upsert(std::span<const regions::Region> regions,
                                       const audit::Actor& actor, std::string_view note) override;
  Result<regions::Region> Rename(std::string_view code, std::string_view name,
                                 int64_t expected_version, const audit::Actor& actor) override;
  Result<regions::Region> Close(std::string_view code, const Date& on,
                                std::string_view successor_code, int64_t expected_version,
                                const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
