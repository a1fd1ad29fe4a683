// The storage of fupin: one Database per process, opened from a URL.
//
//   sqlite:PATH               embedded SQLite file (WAL, foreign keys, busy timeout,
//                             one writer connection and a pool of readers)
//   postgresql://…, postgres://…   a PostgreSQL server through libpq (small connection pool,
//                             prepared statements, parameters never spliced into SQL)
//
// Each domain module declares a repository interface in domain types; the Database hands
// out implementations of them. Backend types (sqlite3*, PGconn*) never leave storage/.
// Thread-safety: a Database and its repositories may be used from many threads at once; each
// call takes a connection from the pool for its duration.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/access_repository.h"
#include "audit/audit_repository.h"
#include "base/error.h"
#include "evaluation/repository.h"
#include "funds/fund_repository.h"
#include "goals/goal_repository.h"
#include "indicators/indicator_repository.h"
#include "monitoring/monitoring_repository.h"
#include "projects/project_repository.h"
#include "regions/boundary.h"
#include "regions/region_repository.h"
#include "registry/registry_repository.h"
#include "workshops/subsidy_repository.h"
#include "workshops/workshop_repository.h"

namespace fupin::storage {

enum class Backend { kSqlite, kPostgres };
std::string_view BackendName(Backend backend);  // "sqlite" | "postgresql"

// A parsed database URL. `Redacted()` is the only form that may be logged or printed.
struct DatabaseUrl {
  Backend backend = Backend::kSqlite;
  std::string target;  // SQLite: the file path; PostgreSQL: the URL as given (for libpq)

  static Result<DatabaseUrl> Parse(std::string_view url);
  // The URL with any password replaced by "***".
  std::string Redacted() const;
};

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string applied_at;
};

struct OpenOptions {
  int pool_size = 4;   // SQLite readers / PostgreSQL connections
  bool create = true;  // SQLite: create the file when missing
  // The key of the HMACs that stand for sensitive values in the audit log. It must not be
  // stored in the database (whoever holds both could test guesses); the command line keeps
  // it in a file of its own (cli/secret_key.h).
  std::string secret_key;
  // Whether the household list is served from an in-memory table of the households (totals,
  // searches and pages, kept exact: storage/household_counts.h), and SQL's totals of recent
  // queries kept while the registry is unchanged. Benchmarks and tests turn it off to read
  // every list with SQL, and commands that read one list and exit, because loading the
  // table costs more than one query.
  bool cache_list_totals = true;
  // SQLite: this process is the database's sole user while it has it open (a command-line
  // import), so that a bulk load may run in rollback-journal mode
  // (storage::RollbackJournalForBulkLoad). A server never sets it: its readers must go on
  // reading while an import writes, which only WAL allows.
  bool sole_user = false;
};

class Database {
 public:
  virtual ~Database() = default;

  virtual Backend backend() const = 0;
  virtual const DatabaseUrl& url() const = 0;

  // Applies every pending numbered migration, each in its own transaction, and records it.
  // Returns the number applied. Fails with kFailedPrecondition when an applied migration's
  // checksum differs from the one built in (a landed migration was edited) or the database is
  // newer than this binary.
  virtual Result<int> Migrate() = 0;
  virtual Result<std::vector<AppliedMigration>> AppliedMigrations() = 0;
  // Number of migrations this binary has that the database has not applied.
  virtual Result<int> PendingMigrationCount() = 0;

  // Number of tables in the database (its current schema for PostgreSQL), fupin's or not.
  virtual Result<int64_t> TableCount() = 0;
  // Drops every table of the database (PostgreSQL: of its current schema). Only `fupin demo`
  // uses it, to recreate a demo database.
  virtual Status DropAllTables() = 0;

  // Round trip to the database (health checks).
  virtual Status Ping() = 0;

  // Small key/value facts about the database itself (e.g. "demo_seed").
  virtual Result<std::optional<std::string>> GetMeta(std::string_view key) = 0;
  virtual Status SetMeta(std::string_view key, std::string_view value) = 0;

  // SQLite: a consistent copy of the live database to `path` through the online backup API
  // (written to a temporary file and renamed). PostgreSQL: kFailedPrecondition explaining
  // pg_dump (see docs/operations.md).
  virtual Status Backup(const std::string& path) = 0;

  virtual regions::RegionRepository& Regions() = 0;
  virtual access::AccessRepository& Access() = 0;
  virtual audit::AuditRepository& Audit() = 0;
  virtual registry::RegistryRepository& Registry() = 0;
  virtual regions::BoundaryRepository& Boundaries() = 0;
  virtual indicators::IndicatorRepository& Indicators() = 0;
  virtual monitoring::MonitoringRepository& Monitoring() = 0;
  virtual workshops::WorkshopRepository& Workshops() = 0;
  virtual workshops::SubsidyRepository& Subsidies() = 0;
  virtual projects::ProjectRepository& Projects() = 0;
  virtual goals::GoalRepository& Goals() = 0;
  virtual funds::FundRepository& Funds() = 0;
  virtual evaluation::EvaluationRepository& Evaluation() = 0;
};

Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseUrl& url, OpenOptions options = {});

// Replaces the SQLite database at `target` with the backup at `from` (which must be a fupin
// database). The server must not be running on `target`.
Status RestoreSqlite(const std::string& from, const DatabaseUrl& target);

}  // namespace fupin::storage
