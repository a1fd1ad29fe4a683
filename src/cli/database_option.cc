#include "cli/database_option.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/secret_key.h"
#include "cli/settings.h"

namespace fupin::cli {

DatabaseOption::DatabaseOption(CLI::App& command, std::string fallback)
    : fallback_(std::move(fallback)) {
  option_ = command.add_option(
      "--db", value_,
      fmt::format("database URL: sqlite:PATH or postgresql://USER@HOST:PORT/DB (env FUPIN_DB; "
                  "default {})",
                  fallback_));
  secret_option_ = command.add_option(
      "--secret-file", secret_file_,
      "file holding the secret key of the audit log's HMACs (env FUPIN_SECRET_FILE; default "
      "PATH.secret next to an SQLite database, ~/.config/fupin/ for PostgreSQL)");
}

std::string DatabaseOption::SecretFile(const CommandContext& ctx,
                                       const storage::DatabaseUrl& url) const {
  const std::string fallback = DefaultSecretFile(url);
  if (!ctx.settings) return secret_option_->count() > 0 ? secret_file_ : fallback;
  return ctx.settings->Resolve(secret_file_, secret_option_->count() > 0, "secret_file", fallback);
}

Result<storage::DatabaseUrl> DatabaseOption::Url(const CommandContext& ctx) const {
  const std::string url = ctx.settings
                              ? ctx.settings->Resolve(value_, option_->count() > 0, "db", fallback_)
                              : (option_->count() > 0 ? value_ : fallback_);
  return storage::DatabaseUrl::Parse(url);
}

Result<std::unique_ptr<storage::Database>> DatabaseOption::Open(const CommandContext& ctx,
                                                                bool migrate, bool one_query,
                                                                bool sole_user) const {
  auto url = Url(ctx);
  if (!url) return std::unexpected(url.error());
  const std::string secret_file = SecretFile(ctx, *url);
  auto key = LoadOrCreateSecretKey(secret_file);
  if (!key) return std::unexpected(key.error());
  storage::OpenOptions options;
  options.secret_key = *key;
  options.cache_list_totals = !one_query;
  options.sole_user = sole_user;
  auto db = storage::OpenDatabase(*url, options);
  if (!db) return std::unexpected(db.error());
  if (migrate) {
    auto applied = (*db)->Migrate();
    if (!applied) return std::unexpected(applied.error());
    if (*applied > 0) {
      fmt::print(stderr, "applied {} migration{} to {}\n", *applied, *applied == 1 ? "" : "s",
                 url->Redacted());
    }
  }
  // An unmigrated database has nowhere to keep the fingerprint yet; it is recorded on the
  // first run that migrates it.
  auto pending = (*db)->PendingMigrationCount();
  if (pending && *pending == 0) {
    if (auto checked = CheckSecretKey(**db, *key, secret_file); !checked) {
      return std::unexpected(checked.error());
    }
  }
  return db;
}

}  // namespace fupin::cli
