// Internal to storage/: the small SQL abstraction both backends implement, so that each
// repository is written once. SQL text uses `?` placeholders (PostgreSQL's connection turns
// them into $1, $2, …), `COLLATE "C"` for byte-order sorting (SQLite gets a "C" collation
// registered), and only syntax both engines share (ON CONFLICT, RETURNING, LIMIT/OFFSET).
// Thread-safety: a SqlConnection is used by one thread at a time (the pool hands it out).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "base/error.h"
#include "indicators/indicator_repository.h"
#include "storage/database.h"

namespace fupin::storage {

using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;

// The current row of a result, valid only inside the row callback.
class SqlRow {
 public:
  virtual ~SqlRow() = default;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  // The text without a copy: valid inside the row callback (for SQLite, while no other
  // accessor is called for the same column).
  virtual std::string_view TextView(int column) const = 0;
  std::optional<std::string> OptionalText(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<std::string>(Text(column));
  }
};

using RowCallback = std::function<void(const SqlRow&)>;

// A statement prepared once and run many times with fresh parameters: for bulk writes, where
// building a SqlValue per parameter would cost more than the database's own work. Bind every
// `?` (0-based index) before each Run; text is not copied, so it must outlive the Run.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;
  virtual void BindNull(int index) = 0;
  virtual void Bind(int index, int64_t value) = 0;
  virtual void Bind(int index, double value) = 0;
  virtual void Bind(int index, std::string_view text) = 0;
  // Runs the statement with the parameters bound (as SqlConnection::Run does) and keeps it
  // for the next run.
  virtual Result<int64_t> Run(const RowCallback& on_row) = 0;

  void Bind(int index, const std::string& text) { Bind(index, std::string_view(text)); }
  template <typename T>
  void Bind(int index, const std::optional<T>& value) {
    if (!value) {
      BindNull(index);
    } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int>) {
      Bind(index, static_cast<int64_t>(*value));
    } else {
      Bind(index, *value);
    }
  }
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Backend backend() const = 0;
  // Runs one statement with `params` bound to its `?` placeholders; calls `on_row` for each
  // result row. Returns the number of rows changed (INSERT/UPDATE/DELETE).
  virtual Result<int64_t> Run(std::string_view sql, std::span<const SqlValue> params,
                              const RowCallback& on_row) = 0;
  // The same, planned for these very values each time: PostgreSQL's cached prepared
  // statements switch to a generic plan after a few runs, which cannot see how many rows a
  // region range holds (a city planned as the whole province). For queries whose best plan
  // depends on their values. SQLite plans a statement once either way.
  virtual Result<int64_t> RunPlanned(std::string_view sql, std::span<const SqlValue> params,
                                     const RowCallback& on_row) {
    return Run(sql, params, on_row);
  }
  // Prepares `sql` (with `?` placeholders) to be run many times. The default runs each time
  // through Run() with the parameters as SqlValues; SQLite binds them in place.
  virtual Result<std::unique_ptr<SqlStatement>> PrepareStatement(std::string_view sql);
  // Runs several statements without parameters (migrations).
  virtual Status RunScript(std::string_view sql) = 0;
  // `write` = this transaction will write (SQLite: BEGIN IMMEDIATE, taking the write lock now).
  virtual Status Begin(bool write) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // False when the connection is broken and must not go back into the pool.
  virtual bool Healthy() const = 0;
};

// Convenience wrappers.
Result<int64_t> Execute(SqlConnection& conn, std::string_view sql,
                        std::initializer_list<SqlValue> params = {});
template <typename T, typename F>
Result<std::vector<T>> QueryAll(SqlConnection& conn, std::string_view sql,
                                std::span<const SqlValue> params, F&& map_row) {
  std::vector<T> out;
  auto r = conn.Run(sql, params, [&](const SqlRow& row) { out.push_back(map_row(row)); });
  if (!r) return std::unexpected(r.error());
  return out;
}

// A connection borrowed from the pool; returned on destruction.
class ConnectionLease {
 public:
  ConnectionLease(std::unique_ptr<SqlConnection> conn,
                  std::function<void(std::unique_ptr<SqlConnection>)> release)
      : conn_(std::move(conn)), release_(std::move(release)) {}
  ConnectionLease(ConnectionLease&&) = default;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ~ConnectionLease() {
    if (conn_) release_(std::move(conn_));
  }
  SqlConnection& operator*() const { return *conn_; }
  SqlConnection* operator->() const { return conn_.get(); }

 private:
  std::unique_ptr<SqlConnection> conn_;
  std::function<void(std::unique_ptr<SqlConnection>)> release_;
};

// A bounded set of connections made on demand by `factory`. Acquire blocks while all are in
// use. Broken connections are dropped on release and replaced on the next demand.
class ConnectionSet {
 public:
  using Factory = std::function<Result<std::unique_ptr<SqlConnection>>()>;
  ConnectionSet(Factory factory, int capacity)
      : factory_(std::move(factory)), capacity_(capacity) {}
  Result<ConnectionLease> Acquire();
  // Closes the connections not in use (those leased stay open).
  void CloseIdle();

 private:
  void Release(std::unique_ptr<SqlConnection> conn);

  const Factory factory_;
  const int capacity_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;  // guarded by mutex_
  int open_ = 0;                                      // guarded by mutex_
};

// Where repositories get connections: readers for queries, the writer for transactions.
// SQLite has one writer and several read-only readers; PostgreSQL uses one set for both.
class ConnectionPool {
 public:
  virtual ~ConnectionPool() = default;
  virtual Result<ConnectionLease> Reader() = 0;
  virtual Result<ConnectionLease> Writer() = 0;
  // Whether this process is the database's sole user (storage::OpenOptions::sole_user).
  virtual bool sole_user() const { return false; }
  // Closes the readers not in use, so that the writer may be the database's only connection.
  virtual void CloseIdleReaders() {}
};

// A large write by a process that is its SQLite database's sole user (a command-line import)
// runs in SQLite's rollback-journal mode rather than WAL: the pages of a bulk load into new
// space are then written once, where WAL writes each twice (to the log and, at the
// checkpoint, to the database) — 2 to 2.5 s of a million-person import
// (docs/benchmarks.md, "Registry import"). SQLite leaves WAL only when no other connection
// holds a read lock, so the pool's idle readers are closed first; when another connection
// has read the database (a server, a second command) the switch is refused at once and the
// write runs in WAL as always. synchronous is FULL while in rollback mode (durable commits,
// no corruption on power loss). Going out of scope returns the database to WAL; should that
// fail, this writer keeps FULL and the next process to open the database puts it in WAL.
// While the load runs in rollback mode, another process that opens the database waits for
// it (its writer's switch to WAL, up to the 5 s busy timeout, then an error), and a reader
// that holds the database for more than that timeout when the load commits makes the load
// fail (rolled back whole). Nothing happens elsewhere (PostgreSQL, a server's pool, small
// writes).
class RollbackJournalForBulkLoad {
 public:
  RollbackJournalForBulkLoad(ConnectionPool& pool, bool bulk);
  ~RollbackJournalForBulkLoad();
  RollbackJournalForBulkLoad(const RollbackJournalForBulkLoad&) = delete;
  RollbackJournalForBulkLoad& operator=(const RollbackJournalForBulkLoad&) = delete;
  // Whether the write runs in rollback-journal mode.
  bool active() const { return active_; }

 private:
  ConnectionPool& pool_;
  bool active_ = false;
};

// Runs `body` in a write transaction on the writer connection: commits when it succeeds,
// rolls back when it fails, and passes its result through.
template <typename T>
Result<T> InTransaction(ConnectionPool& pool,
                        const std::function<Result<T>(SqlConnection&)>& body) {
  auto lease = pool.Writer();
  if (!lease) return std::unexpected(lease.error());
  SqlConnection& conn = **lease;
  FUPIN_TRY(conn.Begin(/*write=*/true));
  Result<T> result = body(conn);
  if (!result) {
    conn.Rollback();
    return result;
  }
  if (auto committed = conn.Commit(); !committed) {
    conn.Rollback();
    return std::unexpected(committed.error());
  }
  return result;
}

// The change counters (change_counters) as `conn` sees them; with `registry_pruned`, also the
// registry generation up to which registry_changes was pruned (a change scan from before it
// cannot be answered from the log).
Result<indicators::ChangeStamp> ReadChangeStamp(SqlConnection& conn,
                                                int64_t* registry_pruned = nullptr);

// Runs `body` on `conn` in a read transaction that sees one snapshot: SQLite (WAL) reads one
// snapshot from the first read of a transaction on; PostgreSQL needs repeatable read for
// every statement to see the same snapshot.
template <typename T>
Result<T> InSnapshot(SqlConnection& conn, const std::function<Result<T>(SqlConnection&)>& body) {
  FUPIN_TRY(conn.Begin(/*write=*/false));
  Result<T> result = [&]() -> Result<T> {
    if (conn.backend() == Backend::kPostgres) {
      FUPIN_TRY(conn.RunScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    }
    return body(conn);
  }();
  if (!result) {
    conn.Rollback();
    return result;
  }
  FUPIN_TRY(conn.Commit());
  return result;
}

// The same on a reader of `pool`.
template <typename T>
Result<T> InSnapshot(ConnectionPool& pool, const std::function<Result<T>(SqlConnection&)>& body) {
  auto lease = pool.Reader();
  if (!lease) return std::unexpected(lease.error());
  return InSnapshot<T>(**lease, body);
}

// A WHERE condition limiting `column` (a 12-digit region code) to the union of the `scope`
// subtrees; appends its parameters. {""} (everything) gives "1 = 1"; an empty scope "1 = 0".
// kInvalidArgument for a malformed code in the scope.
Result<std::string> ScopeCondition(const std::vector<std::string>& scope, std::string_view column,
                                   std::vector<SqlValue>& params);

// ScopeCondition widened to the regions above the scope's: `column` within one of the scope
// subtrees, or equal to an ancestor of one of them. For records that the regions below their
// own see too (a county's fund batches reach its villages; a province's indicator system is
// used by its counties).
Result<std::string> ScopeOrAboveCondition(const std::vector<std::string>& scope,
                                          std::string_view column, std::vector<SqlValue>& params);

// The smallest region whose subtree holds every code in `codes` ("" when none does): the
// region an audit entry about all of them belongs to.
std::string CoveringRegion(const std::vector<std::string>& codes);

// Adds one to the change counter `name` ("regions", "statistics"; see
// indicators/indicator_repository.h) on `conn`, inside the write transaction of the change,
// and returns its new value. Every write of that data must call it, so that cached
// aggregates know they are stale. Registry writes call RecordRegistryWrite instead.
Result<int64_t> BumpChangeCounter(SqlConnection& conn, std::string_view name);

// Records a write of the household registry inside its transaction: bumps the "registry"
// counter and logs the ids of the households written (created, replaced or deleted) under
// the new value in registry_changes, so that caches re-read only those. Every registry write
// must call it with every household it touched. Keeps the log to the last
// kRegistryLogGenerations generations.
inline constexpr int64_t kRegistryLogGenerations = 1000;
Status RecordRegistryWrite(SqlConnection& conn, std::span<const int64_t> household_ids);

// Records a load of at least kRegistryReloadHouseholds households into an empty registry
// inside its transaction, instead of RecordRegistryWrite: bumps the "registry" counter and
// marks the change log pruned up to the new value (its rows dropped), so that every cache
// loads the registry afresh — as it would for so many households anyway — without a log row
// per household (300,000 rows and their index for a province).
inline constexpr size_t kRegistryReloadHouseholds = 20000;
Status RecordRegistryReload(SqlConnection& conn);

// The refusal of a write made on a version someone else has moved on from: kConflict
// "<what> <id> was changed by someone else: you <verb> version <edited>, the current version
// is <current>", carrying the current version.
std::unexpected<Error> StaleVersion(std::string_view what, int64_t id, std::string_view verb,
                                    int64_t edited, int64_t current);

// Builds "?, ?, ?" with n placeholders.
std::string Placeholders(size_t n);

}  // namespace fupin::storage
