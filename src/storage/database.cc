#include "storage/database.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "base/time.h"
#include "storage/access_store.h"
#include "storage/audit_store.h"
#include "storage/boundary_store.h"
#include "storage/evaluation_store.h"
#include "storage/fund_store.h"
#include "storage/goal_store.h"
#include "storage/indicator_store.h"
#include "storage/migrations.h"
#include "storage/monitoring_store.h"
#include "storage/postgres/pg_connection.h"
#include "storage/project_store.h"
#include "storage/region_store.h"
#include "storage/registry_store.h"
#include "storage/sql.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/subsidy_store.h"
#include "storage/testing.h"
#include "storage/workshop_store.h"

namespace fupin::storage {
namespace {

std::string Checksum(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

class SqlDatabase final : public Database, public ConnectionPool {
 public:
  SqlDatabase(DatabaseUrl url, std::unique_ptr<ConnectionSet> writers,
              std::unique_ptr<ConnectionSet> readers, std::string secret_key,
              bool cache_list_totals, bool sole_user)
      : url_(std::move(url)),
        sole_user_(sole_user),
        writers_(std::move(writers)),
        readers_(std::move(readers)),
        regions_(*this),
        access_(*this),
        audit_(*this),
        registry_(*this, secret_key, cache_list_totals),
        boundaries_(*this),
        indicators_(*this),
        monitoring_(*this, std::move(secret_key)),
        workshops_(*this),
        subsidies_(*this),
        projects_(*this),
        goals_(*this),
        funds_(*this),
        evaluation_(*this) {}

  Backend backend() const override { return url_.backend; }
  const DatabaseUrl& url() const override { return url_; }

  Result<ConnectionLease> Reader() override {
    return readers_ ? readers_->Acquire() : writers_->Acquire();
  }
  Result<ConnectionLease> Writer() override { return writers_->Acquire(); }
  bool sole_user() const override { return sole_user_; }
  void CloseIdleReaders() override {
    if (readers_) readers_->CloseIdle();
  }

  Result<int> Migrate() override;
  Result<std::vector<AppliedMigration>> AppliedMigrations() override;
  Result<int> PendingMigrationCount() override;

  Result<int64_t> TableCount() override {
    auto conn = Reader();
    if (!conn) return std::unexpected(conn.error());
    int64_t count = 0;
    auto r = (*conn)->Run(TablesQuery(), {}, [&](const SqlRow&) { ++count; });
    if (!r) return std::unexpected(r.error());
    return count;
  }

  Status DropAllTables() override {
    auto lease = Writer();
    if (!lease) return std::unexpected(lease.error());
    SqlConnection& conn = **lease;
    const bool sqlite = url_.backend == Backend::kSqlite;
    // SQLite checks foreign keys on DROP TABLE; the check can only be switched off outside a
    // transaction.
    if (sqlite) FUPIN_TRY(conn.RunScript("PRAGMA foreign_keys = OFF"));
    std::vector<std::string> tables;
    auto listed =
        conn.Run(TablesQuery(), {}, [&](const SqlRow& row) { tables.push_back(row.Text(0)); });
    Status result;
    if (!listed) {
      result = std::unexpected(listed.error());
    } else if (auto begun = conn.Begin(true); !begun) {
      result = begun;
    } else {
      for (const std::string& t : tables) {
        // Table names come from the catalogue, quoted as identifiers.
        std::string quoted = "\"";
        for (char c : t) {
          if (c == '"') quoted += '"';
          quoted += c;
        }
        quoted += '"';
        result = conn.RunScript(
            fmt::format("DROP TABLE IF EXISTS {}{}", quoted, sqlite ? "" : " CASCADE"));
        if (!result) break;
      }
      if (result) {
        result = conn.Commit();
      } else {
        conn.Rollback();
      }
    }
    if (sqlite) (void)conn.RunScript("PRAGMA foreign_keys = ON");
    return result;
  }

  Status Ping() override {
    auto conn = Reader();
    if (!conn) return std::unexpected(conn.error());
    auto r = Execute(**conn, "SELECT 1");
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Result<std::optional<std::string>> GetMeta(std::string_view key) override {
    auto conn = Reader();
    if (!conn) return std::unexpected(conn.error());
    std::optional<std::string> value;
    const SqlValue params[] = {std::string(key)};
    auto r = (*conn)->Run("SELECT value FROM fupin_meta WHERE key = ?", params,
                          [&](const SqlRow& row) { value = row.Text(0); });
    if (!r) return std::unexpected(r.error());
    return value;
  }

  Status SetMeta(std::string_view key, std::string_view value) override {
    auto r = InTransaction<int64_t>(*this, [&](SqlConnection& conn) {
      return Execute(conn,
                     "INSERT INTO fupin_meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     {std::string(key), std::string(value)});
    });
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Status Backup(const std::string& path) override {
    if (url_.backend != Backend::kSqlite) {
      return FailedPrecondition(
          "fupin backup copies SQLite databases; for PostgreSQL use pg_dump "
          "(pg_dump --format=custom --file=FILE URL, restore with pg_restore; see "
          "docs/operations.md)");
    }
    const std::string tmp = path + ".partial";
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    if (auto s = sqlite::BackupFile(url_.target, tmp); !s) {
      std::filesystem::remove(tmp, ec);
      return s;
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Internal(fmt::format("cannot move the backup to {}: {}", path, ec.message()));
    return {};
  }

  regions::RegionRepository& Regions() override { return regions_; }
  access::AccessRepository& Access() override { return access_; }
  audit::AuditRepository& Audit() override { return audit_; }
  registry::RegistryRepository& Registry() override { return registry_; }
  regions::BoundaryRepository& Boundaries() override { return boundaries_; }
  indicators::IndicatorRepository& Indicators() override { return indicators_; }
  monitoring::MonitoringRepository& Monitoring() override { return monitoring_; }
  workshops::WorkshopRepository& Workshops() override { return workshops_; }
  workshops::SubsidyRepository& Subsidies() override { return subsidies_; }
  projects::ProjectRepository& Projects() override { return projects_; }
  goals::GoalRepository& Goals() override { return goals_; }
  funds::FundRepository& Funds() override { return funds_; }
  evaluation::EvaluationRepository& Evaluation() override { return evaluation_; }

 private:
  std::span<const Migration> Migrations() const {
    return url_.backend == Backend::kSqlite ? SqliteMigrations() : PostgresMigrations();
  }

  std::string_view TablesQuery() const {
    return url_.backend == Backend::kSqlite
               ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
               : "SELECT table_name FROM information_schema.tables "
                 "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
  }

  // Creates schema_migrations when missing, refusing a database that holds other tables
  // (not a fupin database).
  Status EnsureMigrationTable(SqlConnection& conn);
  Result<std::map<int, std::pair<std::string, std::string>>> ReadApplied(SqlConnection& conn);

  const DatabaseUrl url_;
  const bool sole_user_;
  std::unique_ptr<ConnectionSet> writers_;
  std::unique_ptr<ConnectionSet> readers_;  // null: readers share writers_ (PostgreSQL)
  SqlRegionRepository regions_;
  SqlAccessRepository access_;
  SqlAuditRepository audit_;
  SqlRegistryRepository registry_;
  SqlBoundaryRepository boundaries_;
  SqlIndicatorRepository indicators_;
  SqlMonitoringRepository monitoring_;
  SqlWorkshopRepository workshops_;
  SqlSubsidyRepository subsidies_;
  SqlProjectRepository projects_;
  SqlGoalRepository goals_;
  SqlFundRepository funds_;
  SqlEvaluationRepository evaluation_;
};

Status SqlDatabase::EnsureMigrationTable(SqlConnection& conn) {
  const bool sqlite = url_.backend == Backend::kSqlite;
  int64_t tables = 0;
  int64_t has_migrations = 0;
  auto r = conn.Run(
      sqlite ? "SELECT count(*), coalesce(sum(name = 'schema_migrations'), 0) FROM sqlite_master "
               "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
             : "SELECT count(*), count(*) FILTER (WHERE table_name = 'schema_migrations') "
               "FROM information_schema.tables WHERE table_schema = current_schema()",
      {}, [&](const SqlRow& row) {
        tables = row.Int(0);
        has_migrations = row.Int(1);
      });
  if (!r) return std::unexpected(r.error());
  if (has_migrations > 0) return {};
  if (tables > 0) {
    return FailedPrecondition(
        fmt::format("{} holds {} tables but no schema_migrations: it is not a fupin database",
                    url_.Redacted(), tables));
  }
  return conn.RunScript(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
}

Result<std::map<int, std::pair<std::string, std::string>>> SqlDatabase::ReadApplied(
    SqlConnection& conn) {
  std::map<int, std::pair<std::string, std::string>> applied;  // version → (name, checksum)
  auto r =
      conn.Run("SELECT version, name, checksum FROM schema_migrations", {}, [&](const SqlRow& row) {
        applied[static_cast<int>(row.Int(0))] = {row.Text(1), row.Text(2)};
      });
  if (!r) return std::unexpected(r.error());
  return applied;
}

Result<int> SqlDatabase::Migrate() {
  int applied_now = 0;
  for (const Migration& m : Migrations()) {
    auto done = InTransaction<bool>(*this, [&](SqlConnection& conn) -> Result<bool> {
      if (url_.backend == Backend::kPostgres) {
        // Serializes concurrent migrators (two servers starting at once).
        FUPIN_TRY(Execute(conn, "SELECT pg_advisory_xact_lock(7346001)"));
      }
      FUPIN_TRY(EnsureMigrationTable(conn));
      auto applied = ReadApplied(conn);
      if (!applied) return std::unexpected(applied.error());
      const int known_max = Migrations().back().version;
      if (!applied->empty() && applied->rbegin()->first > known_max) {
        return FailedPrecondition(
            fmt::format("the database is at schema version {}, newer than this fupin (up to {}); "
                        "upgrade fupin",
                        applied->rbegin()->first, known_max));
      }
      auto it = applied->find(m.version);
      if (it != applied->end()) {
        if (it->second.second != Checksum(m.sql)) {
          return FailedPrecondition(
              fmt::format("migration {} ({}) differs from the one applied to this database: landed "
                          "migrations must never be edited",
                          m.version, m.name));
        }
        return false;
      }
      FUPIN_TRY(conn.RunScript(m.sql));
      FUPIN_TRY(
          Execute(conn,
                  "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                  "VALUES (?, ?, ?, ?)",
                  {static_cast<int64_t>(m.version), std::string(m.name), Checksum(m.sql), Now()}));
      return true;
    });
    if (!done) {
      Error e = done.error();
      return std::unexpected(e.Prefix(fmt::format("migration {}", m.name)));
    }
    applied_now += *done ? 1 : 0;
  }
  return applied_now;
}

Result<std::vector<AppliedMigration>> SqlDatabase::AppliedMigrations() {
  auto conn = Reader();
  if (!conn) return std::unexpected(conn.error());
  return QueryAll<AppliedMigration>(
      **conn, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {},
      [](const SqlRow& row) {
        return AppliedMigration{static_cast<int>(row.Int(0)), row.Text(1), row.Text(2)};
      });
}

Result<int> SqlDatabase::PendingMigrationCount() {
  auto applied = AppliedMigrations();
  if (!applied) {
    // No schema_migrations table yet: everything is pending.
    return static_cast<int>(Migrations().size());
  }
  int pending = 0;
  for (const Migration& m : Migrations()) {
    bool found = false;
    for (const auto& a : *applied) found = found || a.version == m.version;
    pending += found ? 0 : 1;
  }
  return pending;
}

}  // namespace

std::string_view BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

Result<DatabaseUrl> DatabaseUrl::Parse(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite://PATH is accepted too
    if (path.empty()) return InvalidArgument("sqlite: URL without a file path");
    return DatabaseUrl{Backend::kSqlite, std::string(path)};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return DatabaseUrl{Backend::kPostgres, std::string(url)};
  }
  return InvalidArgument(
      fmt::format("unknown database URL '{}': use sqlite:PATH or postgresql://USER@HOST:PORT/DB",
                  DatabaseUrl{Backend::kPostgres, std::string(url)}.Redacted()));
}

std::string DatabaseUrl::Redacted() const {
  if (backend == Backend::kSqlite) return "sqlite:" + target;
  std::string out = target;
  // userinfo: scheme://user:password@host
  const size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const size_t authority = scheme_end + 3;
    const size_t at = out.find('@', authority);
    const size_t slash = out.find('/', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // query parameter password=…
  for (size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const size_t start = pos + 9;
    const size_t end = out.find('&', start);
    out.replace(start, (end == std::string::npos ? out.size() : end) - start, "***");
  }
  return out;
}

Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseUrl& url, OpenOptions options) {
  if (url.backend == Backend::kSqlite) {
    const std::string path = url.target;
    auto writers = std::make_unique<ConnectionSet>(
        [path, create = options.create] {
          return sqlite::Open(path, sqlite::Mode::kWriter, create);
        },
        1);
    // Open the writer now: it creates the file and switches it to WAL before any reader.
    {
      auto probe = writers->Acquire();
      if (!probe) return std::unexpected(probe.error());
    }
    auto readers = std::make_unique<ConnectionSet>(
        [path] { return sqlite::Open(path, sqlite::Mode::kReader, false); },
        std::max(1, options.pool_size));
    return std::unique_ptr<Database>(std::make_unique<SqlDatabase>(
        url, std::move(writers), std::move(readers), options.secret_key, options.cache_list_totals,
        options.sole_user));
  }
  const std::string uri = url.target;
  auto connections = std::make_unique<ConnectionSet>([uri] { return postgres::Connect(uri); },
                                                     std::max(1, options.pool_size));
  {
    auto probe = connections->Acquire();
    if (!probe) return std::unexpected(probe.error());
  }
  return std::unique_ptr<Database>(std::make_unique<SqlDatabase>(
      url, std::move(connections), nullptr, options.secret_key, options.cache_list_totals,
      /*sole_user=*/false));
}

namespace testing {

Status ExecuteSql(Database& db, std::string_view sql) {
  auto* sql_db = dynamic_cast<SqlDatabase*>(&db);
  if (!sql_db) return Internal("not a SQL database");
  auto lease = sql_db->Writer();
  if (!lease) return std::unexpected(lease.error());
  return (*lease)->RunScript(sql);
}

Result<std::vector<std::vector<std::string>>> QuerySql(Database& db, std::string_view sql,
                                                       int columns) {
  auto* sql_db = dynamic_cast<SqlDatabase*>(&db);
  if (!sql_db) return Internal("not a SQL database");
  auto lease = sql_db->Reader();
  if (!lease) return std::unexpected(lease.error());
  std::vector<std::vector<std::string>> rows;
  auto r = (*lease)->Run(sql, {}, [&](const SqlRow& row) {
    std::vector<std::string> cells;
    for (int c = 0; c < columns; ++c) cells.push_back(row.IsNull(c) ? "" : row.Text(c));
    rows.push_back(std::move(cells));
  });
  if (!r) return std::unexpected(r.error());
  return rows;
}

Result<BulkLoadModes> JournalModesOfBulkLoad(Database& db) {
  auto* sql_db = dynamic_cast<SqlDatabase*>(&db);
  if (!sql_db) return Internal("not a SQL database");
  auto mode = [&]() -> Result<std::string> {
    auto lease = sql_db->Writer();
    if (!lease) return std::unexpected(lease.error());
    if ((*lease)->backend() != Backend::kSqlite) return "";
    std::string m;
    FUPIN_TRY(
        (*lease)->Run("PRAGMA journal_mode", {}, [&](const SqlRow& row) { m = row.Text(0); }));
    return m;
  };
  BulkLoadModes modes;
  {
    const RollbackJournalForBulkLoad journal(*sql_db, /*bulk=*/true);
    modes.active = journal.active();
    auto during = mode();
    if (!during) return std::unexpected(during.error());
    modes.during = *during;
  }
  auto after = mode();
  if (!after) return std::unexpected(after.error());
  modes.after = *after;
  return modes;
}

}  // namespace testing

Status RestoreSqlite(const std::string& from, const DatabaseUrl& target) {
  if (target.backend != Backend::kSqlite) {
    return FailedPrecondition("restore copies SQLite backups; for PostgreSQL use pg_restore");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(from, ec)) {
    return NotFound(fmt::format("{}: no such backup file", from));
  }
  {
    // The backup must be a fupin database.
    auto conn = sqlite::Open(from, sqlite::Mode::kReader, false);
    if (!conn) return std::unexpected(conn.error());
    int64_t versions = -1;
    auto r = (*conn)->Run("SELECT count(*) FROM schema_migrations", {},
                          [&](const SqlRow& row) { versions = row.Int(0); });
    if (!r || versions <= 0) {
      return InvalidArgument(fmt::format("{} is not a fupin database backup", from));
    }
  }
  return sqlite::BackupFile(from, target.target);
}

}  // namespace fupin::storage
