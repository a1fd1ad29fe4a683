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
  // Opens the database and, if `migrate`, applies pending migrations (printing how many).
  Result<std::unique_ptr<storage::Database>> Open(const CommandContext& ctx, bool migrate) const;

 private:
  std::string value_;
  std::string fallback_;
  CLI::Option* option_ = nullptr;
};

}  // namespace fupin::cli
