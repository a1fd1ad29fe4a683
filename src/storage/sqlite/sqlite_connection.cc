#include "storage/sqlite/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <charconv>
#include <cstring>
#include <unordered_map>

namespace fupin::storage::sqlite {
namespace {

int CompareBytes(void*, int a_len, const void* a, int b_len, const void* b) {
  const int n = a_len < b_len ? a_len : b_len;
  const int c = std::memcmp(a, b, static_cast<size_t>(n));
  if (c != 0) return c;
  return a_len - b_len;
}

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int ext = db ? sqlite3_extended_errcode(db) : rc;
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  ErrorCode code = ErrorCode::kInternal;
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      code = (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE)
                 ? ErrorCode::kAlreadyExists
                 : ErrorCode::kFailedPrecondition;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = ErrorCode::kUnavailable;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
      code = ErrorCode::kUnavailable;
      break;
    default:
      break;
  }
  return Error{code, fmt::format("sqlite {}: {}", what, msg), {}, 0};
}

class Row final : public SqlRow {
 public:
  explicit Row(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Double(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string Text(int c) const override { return std::string(TextView(c)); }
  std::string_view TextView(int c) const override {
    const auto* p = sqlite3_column_text(stmt_, c);
    if (!p) return {};
    return std::string_view(reinterpret_cast<const char*>(p),
                            static_cast<size_t>(sqlite3_column_bytes(stmt_, c)));
  }

 private:
  sqlite3_stmt* stmt_;
};

// A statement of its own (not the connection's cache), finalized with it. Text is bound
// without a copy (SQLITE_STATIC): SqlStatement's contract keeps it alive until Run returns.
class Statement final : public SqlStatement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() override { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void BindNull(int index) override { Check(sqlite3_bind_null(stmt_, index + 1)); }
  void Bind(int index, int64_t value) override {
    Check(sqlite3_bind_int64(stmt_, index + 1, value));
  }
  void Bind(int index, double value) override {
    Check(sqlite3_bind_double(stmt_, index + 1, value));
  }
  void Bind(int index, std::string_view text) override {
    // A non-null pointer even for "": SQLite binds a null pointer as NULL.
    Check(sqlite3_bind_text(stmt_, index + 1, text.empty() ? "" : text.data(),
                            static_cast<int>(text.size()), SQLITE_STATIC));
  }

  Result<int64_t> Run(const RowCallback& on_row) override {
    if (bind_rc_ != SQLITE_OK) {
      const int rc = bind_rc_;
      bind_rc_ = SQLITE_OK;
      sqlite3_clear_bindings(stmt_);
      return std::unexpected(SqliteError(db_, rc, "bind"));
    }
    Row row(stmt_);
    while (true) {
      const int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_ROW) {
        if (on_row) on_row(row);
        continue;
      }
      if (rc == SQLITE_DONE) break;
      Error e = SqliteError(db_, rc, "step");
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
      return std::unexpected(std::move(e));
    }
    const int64_t changes = sqlite3_changes64(db_);
    sqlite3_reset(stmt_);
    // No binding outlives the run: the text it points to may not.
    sqlite3_clear_bindings(stmt_);
    return changes;
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;  // the first failed bind, reported by Run
};

class Connection final : public SqlConnection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Backend backend() const override { return Backend::kSqlite; }

  Result<int64_t> Run(std::string_view sql, std::span<const SqlValue> params,
                      const RowCallback& on_row) override {
    auto stmt = Cached(sql);
    if (!stmt) return std::unexpected(stmt.error());
    sqlite3_stmt* s = *stmt;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(s)) {
      return Internal(fmt::format("statement expects {} parameters, got {}",
                                  sqlite3_bind_parameter_count(s), params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              rc = sqlite3_bind_null(s, idx);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              rc = sqlite3_bind_int64(s, idx, v);
            } else if constexpr (std::is_same_v<T, double>) {
              rc = sqlite3_bind_double(s, idx, v);
            } else {
              rc =
                  sqlite3_bind_text(s, idx, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "bind"));
    }
    Row row(s);
    while (true) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_ROW) {
        if (on_row) on_row(row);
        continue;
      }
      if (rc == SQLITE_DONE) break;
      Error e = SqliteError(db_, rc, "step");
      sqlite3_reset(s);
      return std::unexpected(std::move(e));
    }
    const int64_t changes = sqlite3_changes64(db_);
    sqlite3_reset(s);
    return changes;
  }

  Result<std::unique_ptr<SqlStatement>> PrepareStatement(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "prepare"));
    return std::unique_ptr<SqlStatement>(std::make_unique<Statement>(db_, stmt));
  }

  Status RunScript(std::string_view sql) override {
    char* err = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return Internal("sqlite script: " + msg);
    }
    return {};
  }

  Status Begin(bool write) override { return RunScript(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
  Status Commit() override { return RunScript("COMMIT"); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)RunScript("ROLLBACK");
  }
  bool Healthy() const override { return sqlite3_get_autocommit(db_) != 0; }

 private:
  Result<sqlite3_stmt*> Cached(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "prepare"));
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> Open(const std::string& path, Mode mode, bool create) {
  // Once per process, before SQLite initializes: statement journals stay in memory up to
  // 64 MiB (default 64 KiB). A multi-row INSERT inside a transaction keeps a journal of the
  // pages it changes (to undo just that statement on a constraint error); spilled to a
  // temporary file that doubled the page writes of a large import. Temporary data otherwise
  // stays in files (temp_store's default): SQLite's sorter builds a large index faster from
  // sorted runs in a file than from one list in memory (docs/benchmarks.md, "Registry import").
  static const int configured = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 64 << 20);
  (void)configured;  // SQLITE_MISUSE when another part of the process initialized SQLite first
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= mode == Mode::kWriter ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  if (mode == Mode::kWriter && create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, fmt::format("open {}", path));
    e.code = ErrorCode::kUnavailable;
    sqlite3_close_v2(db);
    return std::unexpected(std::move(e));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_create_collation(db, "C", SQLITE_UTF8, nullptr, &CompareBytes);
  auto conn = std::make_unique<Connection>(db);
  std::string pragmas = "PRAGMA foreign_keys = ON;";
  if (mode == Mode::kWriter) {
    // A new database gets 16 KiB pages (SQLite's default is 4 KiB; an existing database keeps
    // its own): a bulk load of a province's registry writes and indexes its rows about a fifth
    // faster, and the household list reads as fast (docs/benchmarks.md, "Registry import").
    pragmas += "PRAGMA page_size = 16384;";
    pragmas += "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
  }
  if (auto s = conn->RunScript(pragmas); !s) {
    Error e = s.error();
    e.code = ErrorCode::kUnavailable;
    e.message = fmt::format("{} is not a usable SQLite database ({})", path, e.message);
    return std::unexpected(std::move(e));
  }
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

Status BackupFile(const std::string& from_path, const std::string& to_path) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto cleanup = [&] {
    sqlite3_close_v2(src);
    sqlite3_close_v2(dst);
  };
  int rc = sqlite3_open_v2(from_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
  if (rc == SQLITE_OK) {
    rc =
        sqlite3_open_v2(to_path.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  }
  if (rc != SQLITE_OK) {
    Error e = SqliteError(dst ? dst : src, rc, "open for backup");
    cleanup();
    return std::unexpected(std::move(e));
  }
  sqlite3_busy_timeout(src, 5000);
  sqlite3_busy_timeout(dst, 5000);
  // SQLite copies onto a WAL database only when both have the same page size (databases made
  // before fupin's 16 KiB pages have 4 KiB): the target leaves WAL for the copy, which brings
  // the backup's pages and header; the next opening of the writer puts it in WAL again.
  rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(dst, rc, "prepare the target for the copy");
    cleanup();
    return std::unexpected(std::move(e));
  }
  sqlite3_backup* backup = sqlite3_backup_init(dst, "main", src, "main");
  if (!backup) {
    Error e = SqliteError(dst, sqlite3_errcode(dst), "backup");
    cleanup();
    return std::unexpected(std::move(e));
  }
  // Copy in steps so a busy live database only blocks briefly; -1 would lock it throughout.
  do {
    rc = sqlite3_backup_step(backup, 1024);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    Error e = SqliteError(dst, rc, "backup step");
    cleanup();
    return std::unexpected(std::move(e));
  }
  cleanup();
  return {};
}

}  // namespace fupin::storage::sqlite
