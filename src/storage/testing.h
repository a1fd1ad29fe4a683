// Test seams for storage's own tests: raw SQL on a database, to simulate damage (an edited
// migration, a foreign table) that no repository would ever write. Not for production code.
#pragma once

#include <string_view>

#include "base/error.h"
#include "storage/database.h"

namespace fupin::storage::testing {

Status ExecuteSql(Database& db, std::string_view sql);

}  // namespace fupin::storage::testing
