// The --db option every database command shares, resolved through Settings
// (flag > FUPIN_DB > config file > default).
#pragma once

#include <memory>
#include <string>

#include "base/error.h"
#include "cli/command.h"
#include "storage/database.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace fupin::cli {

class DatabaseOption {
 public:
  // Adds --db to `command`; `fallback` is the default URL.
  DatabaseOption(CLI::App& command, std::string fallback = "sqlite:fupin.db");
  // The URL to use, after the precedence rules.
  Result<storage::DatabaseUrl> Url(const CommandContext& ctx) const;
  // The secret key file for `url` (--secret-file > FUPIN_SECRET_FILE > config > default; see
  // cli/secret_key.h).
  std::string SecretFile(const CommandContext& ctx, const storage::DatabaseUrl& url) const;
  // Opens the database with its secret key and, if `migrate`, applies pending migrations
  // (printing how many). Refuses a key the database was not used with. `one_query`: the
  // command reads one household list and exits, so its total is counted with SQL rather than
  // by loading the in-memory table of counts (storage::OpenOptions::cache_list_totals).
  // `sole_user`: the command may write a bulk load in SQLite's rollback-journal mode when no
  // other process has the database open (storage::OpenOptions::sole_user).
  Result<std::unique_ptr<storage::Database>> Open(const CommandContext& ctx, bool migrate,
                                                  bool one_query = false,
                                                  bool sole_user = false) const;

 private:
  std::string value_;
  std::string fallback_;
  CLI::Option* option_ = nullptr;
  std::string secret_file_;
  CLI::Option* secret_option_ = nullptr;
};

}  // namespace fupin::cli
