// Internal to storage/: BoundaryRepository over SQL, shared by both backends.
#pragma once

#include "regions/boundary.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlBoundaryRepository final : public regions::BoundaryRepository {
 public:
  explicit SqlBoundaryRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<std::vector<regions::Boundary>> ChildBoundaries(std::string_view parent_code) override;
  Result<std::vector<regions::Boundary>> Find(std::string_view code) override;
  Result<regions::BoundaryCounts> Save(std::span<const regions::Boundary> boundaries,
                                       const audit::Actor& actor, std::string_view note) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
