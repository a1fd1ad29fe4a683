// PostgreSQL implementation of SqlConnection through libpq (internal to storage/).
#pragma once

#include <memory>
#include <string>

#include "storage/sql.h"

namespace fupin::storage::postgres {

// Connects with a libpq connection URI. kUnavailable when the server cannot be reached;
// the message never contains the password.
Result<std::unique_ptr<SqlConnection>> Connect(const std::string& uri);

// Rewrites `?` placeholders (outside quotes) to $1, $2, …
std::string NumberPlaceholders(std::string_view sql);

}  // namespace fupin::storage::postgres
