#include "cli/database_option.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/settings.h"

namespace fupin::cli {

DatabaseOption::DatabaseOption(CLI::App& command, std::string fallback)
    : fallback_(std::move(fallback)) {
  option_ = command.add_option(
      "--db", value_,
      fmt::format("database URL: sqlite:PATH or postgresql://USER@HOST:PORT/DB (env FUPIN_DB; "
                  "default {})",
                  fallback_));
}

Result<storage::DatabaseUrl> DatabaseOption::Url(const CommandContext& ctx) const {
  const std::string url = ctx.settings
                              ? ctx.settings->Resolve(value_, option_->count() > 0, "db", fallback_)
                              : (option_->count() > 0 ? value_ : fallback_);
  return storage::DatabaseUrl::Parse(url);
}

Result<std::unique_ptr<storage::Database>> DatabaseOption::Open(const CommandContext& ctx,
                                                                bool migrate) const {
  auto url = Url(ctx);
  if (!url) return std::unexpected(url.error());
  auto db = storage::OpenDatabase(*url);
  if (!db) return std::unexpected(db.error());
  if (migrate) {
    auto applied = (*db)->Migrate();
    if (!applied) return std::unexpected(applied.error());
    if (*applied > 0) {
      fmt::print(stderr, "applied {} migration{} to {}\n", *applied, *applied == 1 ? "" : "s",
                 url->Redacted());
    }
  }
  return db;
}

}  // namespace fupin::cli
