// Test seams for storage's own tests: raw SQL on a database, to simulate damage (an edited
// migration, a foreign table) that no repository would ever write, and to time plain SQL in
// benchmarks. Not for production code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "storage/database.h"

namespace fupin::storage::testing {

Status ExecuteSql(Database& db, std::string_view sql);

// Runs a query on a reader connection and returns the first `columns` columns of every row as
// text (NULL as ""). For benchmarks that compare fupin with plain SQL.
Result<std::vector<std::vector<std::string>>> QuerySql(Database& db, std::string_view sql,
                                                       int columns);

// The journal mode of `db`'s writer ("wal", "delete"; PostgreSQL: "") while a
// RollbackJournalForBulkLoad for a bulk load is in scope (storage/sql.h) and after it, and
// whether it took effect.
struct BulkLoadModes {
  bool active = false;
  std::string during;
  std::string after;
};
Result<BulkLoadModes> JournalModesOfBulkLoad(Database& db);

}  // namespace fupin::storage::testing
