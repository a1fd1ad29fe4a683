#include "storage/postgres/pg_connection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <unordered_map>

namespace fupin::storage::postgres {
namespace {

// SQLSTATE classes we map to domain errors; everything else is kInternal.
ErrorCode CodeForSqlState(const char* state) {
  if (!state) return ErrorCode::kUnavailable;  // no server answer at all
  const std::string_view s(state);
  if (s == "23505") return ErrorCode::kAlreadyExists;              // unique_violation
  if (s.starts_with("23")) return ErrorCode::kFailedPrecondition;  // other integrity violations
  if (s == "40001" || s == "40P01") return ErrorCode::kConflict;   // serialization / deadlock
  if (s.starts_with("08") || s.starts_with("57")) return ErrorCode::kUnavailable;
  return ErrorCode::kInternal;
}

class Row final : public SqlRow {
 public:
  Row(PGresult* res, int row) : res_(res), row_(row) {}
  bool IsNull(int c) const override { return PQgetisnull(res_, row_, c) != 0; }
  int64_t Int(int c) const override {
    const char* p = PQgetvalue(res_, row_, c);
    int64_t v = 0;
    std::from_chars(p, p + PQgetlength(res_, row_, c), v);
    return v;
  }
  double Double(int c) const override {
    const char* p = PQgetvalue(res_, row_, c);
    double v = 0;
    std::from_chars(p, p + PQgetlength(res_, row_, c), v);
    return v;
  }
  std::string Text(int c) const override { return std::string(TextView(c)); }
  std::string_view TextView(int c) const override {
    return std::string_view(PQgetvalue(res_, row_, c),
                            static_cast<size_t>(PQgetlength(res_, row_, c)));
  }

 private:
  PGresult* res_;
  int row_;
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class Connection final : public SqlConnection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() override { PQfinish(conn_); }

  Backend backend() const override { return Backend::kPostgres; }

  Result<int64_t> Run(std::string_view sql, std::span<const SqlValue> params,
                      const RowCallback& on_row) override {
    auto name = Prepare(sql);
    if (!name) return std::unexpected(name.error());
    return Execute(name->c_str(), nullptr, params, on_row);
  }

  Result<int64_t> RunPlanned(std::string_view sql, std::span<const SqlValue> params,
                             const RowCallback& on_row) override {
    const std::string numbered = NumberPlaceholders(sql);
    return Execute(nullptr, numbered.c_str(), params, on_row);
  }

  // Runs the prepared statement `name`, or else `sql` unprepared (planned with the values).
  Result<int64_t> Execute(const char* name, const char* sql, std::span<const SqlValue> params,
                          const RowCallback& on_row) {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<T, std::string>) {
              values[i] = v.c_str();
            } else {
              texts[i] = fmt::format("{}", v);
              values[i] = texts[i].c_str();
            }
          },
          params[i]);
    }
    ResultPtr res(name ? PQexecPrepared(conn_, name, static_cast<int>(params.size()), values.data(),
                                        nullptr, nullptr, 0)
                       : PQexecParams(conn_, sql, static_cast<int>(params.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0));
    auto status = Check(res.get(), "execute");
    if (!status) return std::unexpected(status.error());
    if (on_row) {
      const int rows = PQntuples(res.get());
      for (int r = 0; r < rows; ++r) on_row(Row(res.get(), r));
    }
    const char* affected = PQcmdTuples(res.get());
    int64_t changes = 0;
    if (affected && *affected) std::from_chars(affected, affected + std::strlen(affected), changes);
    return changes;
  }

  Status RunScript(std::string_view sql) override {
    ResultPtr res(PQexec(conn_, std::string(sql).c_str()));
    return Check(res.get(), "script");
  }

  Status Begin(bool) override { return RunScript("BEGIN"); }
  Status Commit() override { return RunScript("COMMIT"); }
  void Rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)RunScript("ROLLBACK");
  }
  bool Healthy() const override {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

 private:
  Status Check(PGresult* res, std::string_view what) {
    const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return {};
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    // Only the primary message: PostgreSQL's DETAIL quotes the offending values (e.g. a
    // duplicate ID number), which must never reach a log.
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* msg = primary ? primary : (res ? nullptr : PQerrorMessage(conn_));
    std::string text = msg ? msg : "unknown error";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return std::unexpected(
        Error{CodeForSqlState(state), fmt::format("postgresql {}: {}", what, text), {}, 0});
  }

  Result<std::string> Prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    std::string name = fmt::format("fupin_{}", statements_.size() + 1);
    const std::string numbered = NumberPlaceholders(sql);
    ResultPtr res(PQprepare(conn_, name.c_str(), numbered.c_str(), 0, nullptr));
    FUPIN_TRY(Check(res.get(), "prepare"));
    statements_.emplace(std::string(sql), name);
    return name;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> statements_;  // SQL text → prepared name
};

}  // namespace

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out += fmt::format("${}", ++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::unique_ptr<SqlConnection>> Connect(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    // libpq's messages name host and port but never the password.
    return Unavailable("cannot connect to PostgreSQL: " + msg);
  }
  auto connection = std::make_unique<Connection>(conn);
  FUPIN_TRY(connection->RunScript(
      "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET client_min_messages = warning"));
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace fupin::storage::postgres
