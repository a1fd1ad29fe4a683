// Internal to storage/: the numbered schema migrations, built into the binary from
// src/storage/migrations/{sqlite,postgres}/NNNN_name.sql. The two backends keep the same
// numbers and the same meaning; each file is applied once, in a transaction, and recorded in
// schema_migrations with a checksum so that an edited landed migration is detected.
#pragma once

#include <span>
#include <string_view>

namespace fupin::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

}  // namespace fupin::storage
