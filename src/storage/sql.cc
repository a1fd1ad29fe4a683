#include "storage/sql.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "regions/region.h"

namespace fupin::storage {

Result<int64_t> Execute(SqlConnection& conn, std::string_view sql,
                        std::initializer_list<SqlValue> params) {
  return conn.Run(sql, std::span<const SqlValue>(params.begin(), params.size()), nullptr);
}

namespace {

// SqlConnection::PrepareStatement for connections without prepared statements of their own: the
// parameters are collected as SqlValues and the statement goes through Run().
class BufferedStatement final : public SqlStatement {
 public:
  BufferedStatement(SqlConnection& conn, std::string_view sql) : conn_(conn), sql_(sql) {}
  void BindNull(int index) override { At(index) = nullptr; }
  void Bind(int index, int64_t value) override { At(index) = value; }
  void Bind(int index, double value) override { At(index) = value; }
  void Bind(int index, std::string_view text) override { At(index) = std::string(text); }
  Result<int64_t> Run(const RowCallback& on_row) override {
    return conn_.Run(sql_, params_, on_row);
  }

 private:
  SqlValue& At(int index) {
    const auto i = static_cast<size_t>(index);
    if (i >= params_.size()) params_.resize(i + 1);
    return params_[i];
  }

  SqlConnection& conn_;
  const std::string sql_;
  std::vector<SqlValue> params_;
};

}  // namespace

Result<std::unique_ptr<SqlStatement>> SqlConnection::PrepareStatement(std::string_view sql) {
  return std::make_unique<BufferedStatement>(*this, sql);
}

Result<std::string> ScopeCondition(const std::vector<std::string>& scope, std::string_view column,
                                   std::vector<SqlValue>& params) {
  if (std::find(scope.begin(), scope.end(), std::string()) != scope.end()) return "1 = 1";
  if (scope.empty()) return "1 = 0";
  std::string any;
  for (const std::string& s : scope) {
    auto level = regions::LevelOfCode(s);
    if (!level) return std::unexpected(level.error());
    const auto range = regions::SubtreeRange(s, *level);
    any += fmt::format("{}{} BETWEEN ? AND ?", any.empty() ? "" : " OR ", column);
    params.emplace_back(range.low);
    params.emplace_back(range.high);
  }
  return "(" + any + ")";
}

// The smallest region whose subtree holds every code in `codes` ("" when none does).
Result<std::string> ScopeOrAboveCondition(const std::vector<std::string>& scope,
                                          std::string_view column, std::vector<SqlValue>& params) {
  auto within = ScopeCondition(scope, column, params);
  if (!within) return std::unexpected(within.error());
  std::vector<std::string> above;
  for (const std::string& code : scope) {
    if (code.empty()) continue;
    std::string at = code;
    while (true) {
      auto level = regions::LevelOfCode(at);
      if (!level) break;
      at = regions::ParentCodeOf(at, *level);
      if (at.empty()) break;
      above.push_back(at);
    }
  }
  if (above.empty()) return within;
  for (const auto& code : above) params.emplace_back(code);
  return fmt::format("({} OR {} IN ({}))", *within, column, Placeholders(above.size()));
}

std::unexpected<Error> StaleVersion(std::string_view what, int64_t id, std::string_view verb,
                                    int64_t edited, int64_t current) {
  return Conflict(fmt::format("{} {} was changed by someone else: you {} version {}, the current "
                              "version is {}",
                              what, id, verb, edited, current),
                  current);
}

std::string CoveringRegion(const std::vector<std::string>& codes) {
  if (codes.empty()) return "";
  for (int l = regions::kLevelCount; l >= 1; --l) {
    const auto level = static_cast<regions::RegionLevel>(l);
    const int keep = regions::PrefixLength(level);
    const std::string prefix = codes.front().substr(0, keep);
    bool all = true;
    for (const auto& c : codes) all = all && c.compare(0, keep, prefix) == 0;
    const std::string candidate = prefix + std::string(regions::kCodeLength - keep, '0');
    if (all && regions::LevelOfCode(candidate).value_or(regions::RegionLevel::kProvince) == level) {
      return candidate;
    }
  }
  return "";
}

Result<int64_t> BumpChangeCounter(SqlConnection& conn, std::string_view name) {
  std::optional<int64_t> value;
  const SqlValue params[] = {std::string(name)};
  FUPIN_TRY(conn.Run("UPDATE change_counters SET value = value + 1 WHERE name = ? RETURNING value",
                     params, [&](const SqlRow& row) { value = row.Int(0); }));
  if (!value) return Internal(fmt::format("no change counter named {}", name));
  return *value;
}

Result<indicators::ChangeStamp> ReadChangeStamp(SqlConnection& conn, int64_t* registry_pruned) {
  indicators::ChangeStamp stamp;
  FUPIN_TRY(conn.Run("SELECT name, value FROM change_counters", {}, [&](const SqlRow& row) {
    const std::string name = row.Text(0);
    if (name == "registry") stamp.registry = row.Int(1);
    if (name == "regions") stamp.regions = row.Int(1);
    if (name == "statistics") stamp.statistics = row.Int(1);
    if (name == "catalogue") stamp.catalogue = row.Int(1);
    if (name == "registry_pruned" && registry_pruned) *registry_pruned = row.Int(1);
  }));
  return stamp;
}

Status RecordRegistryWrite(SqlConnection& conn, std::span<const int64_t> household_ids) {
  auto generation = BumpChangeCounter(conn, "registry");
  if (!generation) return std::unexpected(generation.error());
  constexpr size_t kRows = 400;
  for (size_t first = 0; first < household_ids.size(); first += kRows) {
    const size_t n = std::min(kRows, household_ids.size() - first);
    std::string sql = "INSERT INTO registry_changes (generation, household_id) VALUES ";
    std::vector<SqlValue> params;
    params.reserve(2 * n);
    for (size_t i = 0; i < n; ++i) {
      sql += i == 0 ? "(?, ?)" : ", (?, ?)";
      params.emplace_back(*generation);
      params.emplace_back(household_ids[first + i]);
    }
    FUPIN_TRY(conn.Run(sql, params, nullptr));
  }
  // Prune now and then rather than on every write.
  if (*generation % 100 == 0 && *generation > kRegistryLogGenerations) {
    const int64_t through = *generation - kRegistryLogGenerations;
    FUPIN_TRY(Execute(conn, "DELETE FROM registry_changes WHERE generation <= ?", {through}));
    // Never back: a registry reload (RecordRegistryReload) may have marked it further.
    FUPIN_TRY(Execute(conn,
                      "UPDATE change_counters SET value = CASE WHEN value < ? THEN ? ELSE value "
                      "END WHERE name = 'registry_pruned'",
                      {through, through}));
  }
  return {};
}

Status RecordRegistryReload(SqlConnection& conn) {
  auto generation = BumpChangeCounter(conn, "registry");
  if (!generation) return std::unexpected(generation.error());
  FUPIN_TRY(Execute(conn, "DELETE FROM registry_changes WHERE generation <= ?", {*generation}));
  FUPIN_TRY(Execute(conn, "UPDATE change_counters SET value = ? WHERE name = 'registry_pruned'",
                    {*generation}));
  return {};
}

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

Result<ConnectionLease> ConnectionSet::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < capacity_; });
  auto release = [this](std::unique_ptr<SqlConnection> c) { Release(std::move(c)); };
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return ConnectionLease(std::move(conn), release);
  }
  ++open_;
  lock.unlock();
  auto conn = factory_();
  if (!conn) {
    std::lock_guard relock(mutex_);
    --open_;
    available_.notify_one();
    return std::unexpected(conn.error());
  }
  return ConnectionLease(std::move(*conn), release);
}

void ConnectionSet::CloseIdle() {
  std::vector<std::unique_ptr<SqlConnection>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
    available_.notify_all();
  }
}  // closed here, outside the lock

RollbackJournalForBulkLoad::RollbackJournalForBulkLoad(ConnectionPool& pool, bool bulk)
    : pool_(pool) {
  if (!bulk || !pool.sole_user()) return;
  pool.CloseIdleReaders();
  auto lease = pool.Writer();
  if (!lease || (*lease)->backend() != Backend::kSqlite) return;
  SqlConnection& conn = **lease;
  // Refused at once (not after the busy timeout) when another connection has the database.
  std::string mode;
  if (!conn.RunScript("PRAGMA busy_timeout = 0")) return;
  auto switched =
      conn.Run("PRAGMA journal_mode = DELETE", {}, [&](const SqlRow& row) { mode = row.Text(0); });
  (void)conn.RunScript("PRAGMA busy_timeout = 5000");
  if (!switched || mode != "delete") return;
  active_ = static_cast<bool>(conn.RunScript("PRAGMA synchronous = FULL"));
  if (!active_) (void)conn.Run("PRAGMA journal_mode = WAL", {}, nullptr);
}

RollbackJournalForBulkLoad::~RollbackJournalForBulkLoad() {
  if (!active_) return;
  auto lease = pool_.Writer();
  if (!lease) return;
  std::string mode;
  (void)(*lease)->Run("PRAGMA journal_mode = WAL", {},
                      [&](const SqlRow& row) { mode = row.Text(0); });
  // synchronous NORMAL is safe in WAL only: should another connection have opened the
  // database meanwhile (so that it stays in rollback mode), this writer keeps FULL.
  if (mode == "wal") (void)(*lease)->RunScript("PRAGMA synchronous = NORMAL");
}

void ConnectionSet::Release(std::unique_ptr<SqlConnection> conn) {
  if (!conn->Healthy()) conn->Rollback();
  std::lock_guard lock(mutex_);
  if (conn->Healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // dropped; a fresh one is made on the next demand
  }
  available_.notify_one();
}

}  // namespace fupin::storage
