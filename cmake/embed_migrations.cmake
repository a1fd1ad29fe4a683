# Writes OUTPUT, a C++ source defining fupin::storage::{Sqlite,Postgres}Migrations() from the
# numbered SQL files listed in SQLITE_FILES and POSTGRES_FILES (";"-separated, in order).
# Run at build time (cmake -P) so that editing a migration rebuilds the binary.
function(emit_set var_name files out)
  set(text "")
  foreach(f IN LISTS files)
    get_filename_component(base "${f}" NAME_WE)
    string(REGEX MATCH "^[0-9]+" number "${base}")
    math(EXPR number "${number} + 0")
    file(READ "${f}" sql)
    string(APPEND text "    {${number}, \"${base}\", R\"fupin_sql(${sql})fupin_sql\"},\n")
  endforeach()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(REPLACE "|" ";" SQLITE_FILES "${SQLITE_FILES}")
string(REPLACE "|" ";" POSTGRES_FILES "${POSTGRES_FILES}")
emit_set(sqlite "${SQLITE_FILES}" sqlite_entries)
emit_set(postgres "${POSTGRES_FILES}" postgres_entries)
file(WRITE "${OUTPUT}.tmp" "// Generated from src/storage/migrations by cmake/embed_migrations.cmake.
#include \"storage/migrations.h\"

namespace fupin::storage {

std::span<const Migration> SqliteMigrations() {
  static const Migration kMigrations[] = {
${sqlite_entries}  };
  return kMigrations;
}

std::span<const Migration> PostgresMigrations() {
  static const Migration kMigrations[] = {
${postgres_entries}  };
  return kMigrations;
}

}  // namespace fupin::storage
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
