// SQLite implementation of SqlConnection (internal to storage/).
#pragma once

#include <memory>
#include <string>

#include "storage/sql.h"

namespace fupin::storage::sqlite {

enum class Mode { kWriter, kReader };

// Opens `path`. The writer creates the file if `create`, turns on WAL and sets
// synchronous=NORMAL; every connection turns on foreign keys, a 5 s busy timeout and
// registers the "C" collation. Readers are read-only.
Result<std::unique_ptr<SqlConnection>> Open(const std::string& path, Mode mode, bool create);

// Copies the database `from_path` into `to_path` with the online backup API.
Status BackupFile(const std::string& from_path, const std::string& to_path);

}  // namespace fupin::storage::sqlite
