#include "cli/database_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>

#include "base/version.h"
#include "cli/database_option.h"

namespace fupin::cli {

void AddDatabaseCommands(CLI::App& root, CommandContext& ctx) {
  {
    auto* cmd = root.add_subcommand("version", "Print the version of fupin");
    cmd->callback([&ctx] {
      ctx.action = [] {
        fmt::print("fupin {}\n", kVersion);
        return kExitOk;
      };
    });
  }
  {
    auto* cmd = root.add_subcommand("migrate", "Apply pending schema migrations to a database");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    cmd->callback([&ctx, db] {
      ctx.action = [&ctx, db]() -> int {
        auto url = db->Url(ctx);
        if (!url) return ReportError(url.error());
        auto opened = storage::OpenDatabase(*url);
        if (!opened) return ReportError(opened.error());
        auto applied = (*opened)->Migrate();
        if (!applied) return ReportError(applied.error());
        auto all = (*opened)->AppliedMigrations();
        if (!all) return ReportError(all.error());
        fmt::print("{}: applied {} migration{}; schema version {}\n", url->Redacted(), *applied,
                   *applied == 1 ? "" : "s", all->empty() ? 0 : all->back().version);
        return kExitOk;
      };
    });
  }
  {
    auto* cmd = root.add_subcommand(
        "backup",
        "Copy a live SQLite database to a file (online backup API). For PostgreSQL use pg_dump: "
        "see docs/operations.md");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    auto to = std::make_shared<std::string>();
    cmd->add_option("--to", *to, "backup file to write")->required();
    cmd->callback([&ctx, db, to] {
      ctx.action = [&ctx, db, to]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/false);
        if (!opened) return ReportError(opened.error());
        if (auto s = (*opened)->Backup(*to); !s) return ReportError(s.error());
        // The secret key travels with the backup (both must be kept safe).
        std::error_code ec;
        std::filesystem::copy_file(db->SecretFile(ctx, (*opened)->url()), *to + ".secret",
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec)
          return ReportError(
              Error{ErrorCode::kInternal, "cannot copy the secret key: " + ec.message(), {}, 0, 0});
        std::filesystem::permissions(
            *to + ".secret",
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
        fmt::print("backed up {} to {} (and its secret key to {}.secret)\n",
                   (*opened)->url().Redacted(), *to, *to);
        return kExitOk;
      };
    });
  }
  {
    auto* cmd = root.add_subcommand(
        "restore",
        "Replace a SQLite database with a backup made by `fupin backup` (stop the server first)");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    auto from = std::make_shared<std::string>();
    cmd->add_option("--from", *from, "backup file to restore")->required();
    cmd->callback([&ctx, db, from] {
      ctx.action = [&ctx, db, from]() -> int {
        auto url = db->Url(ctx);
        if (!url) return ReportError(url.error());
        if (auto s = storage::RestoreSqlite(*from, *url); !s) return ReportError(s.error());
        if (std::filesystem::exists(*from + ".secret")) {
          std::error_code ec;
          std::filesystem::copy_file(*from + ".secret", db->SecretFile(ctx, *url),
                                     std::filesystem::copy_options::overwrite_existing, ec);
          if (ec) {
            return ReportError(Error{
                ErrorCode::kInternal, "cannot restore the secret key: " + ec.message(), {}, 0, 0});
          }
        }
        fmt::print("restored {} from {}\n", url->Redacted(), *from);
        return kExitOk;
      };
    });
  }
}

}  // namespace fupin::cli
