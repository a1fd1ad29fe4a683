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

}  // namespace fupin::storage::testing
