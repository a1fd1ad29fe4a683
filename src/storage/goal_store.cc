#include "storage/goal_store.h"

#include <fmt/format.h>

#include <chrono>

#include "base/text.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using goals::Goal;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

constexpr std::string_view kGoalColumns =
    "id, region_code, indicator, title, baseline, baseline_date, target, deadline, "
    "responsible_unit, responsible_person, note, on_track_ratio, at_risk_ratio, version, "
    "created_by, created_at, updated_by, updated_at";

Goal ReadGoal(const SqlRow& row) {
  Goal g;
  g.id = row.Int(0);
  g.region_code = row.Text(1);
  g.indicator = row.Text(2);
  g.title = row.Text(3);
  g.baseline = row.Double(4);
  if (auto d = ParseDate(row.Text(5))) g.baseline_date = *d;
  g.target = row.Double(6);
  if (auto d = ParseDate(row.Text(7))) g.deadline = *d;
  g.responsible_unit = row.Text(8);
  g.responsible_person = row.Text(9);
  g.note = row.Text(10);
  g.on_track_ratio = row.Double(11);
  g.at_risk_ratio = row.Double(12);
  g.version = row.Int(13);
  g.created_by = row.Text(14);
  g.created_at = row.Text(15);
  g.updated_by = row.Text(16);
  g.updated_at = row.Text(17);
  return g;
}

std::string Opt(const std::optional<double>& v) { return v ? fmt::format("{}", *v) : ""; }
std::string Opt(const std::optional<Date>& v) { return v ? v->ToString() : ""; }

std::vector<audit::Field> AuditFields(const Goal& g) {
  return {{"region_code", g.region_code, false},
          {"indicator", g.indicator, false},
          {"title", g.title, false},
          {"baseline", Opt(g.baseline), false},
          {"baseline_date", Opt(g.baseline_date), false},
          {"target", Opt(g.target), false},
          {"deadline", Opt(g.deadline), false},
          {"responsible_unit", g.responsible_unit, false},
          {"responsible_person", g.responsible_person, false},
          {"note", g.note, false},
          {"on_track_ratio", fmt::format("{}", g.on_track_ratio), false},
          {"at_risk_ratio", fmt::format("{}", g.at_risk_ratio), false}};
}

Result<std::optional<Goal>> Load(SqlConnection& conn, int64_t id,
                                 const std::vector<std::string>& scope) {
  std::vector<SqlValue> params = {id};
  auto in_scope = ScopeCondition(scope, "region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::optional<Goal> out;
  FUPIN_TRY(
      conn.Run(fmt::format("SELECT {} FROM goals WHERE id = ? AND {}", kGoalColumns, *in_scope),
               params, [&](const SqlRow& row) { out = ReadGoal(row); }));
  return out;
}

}  // namespace

Result<std::vector<Goal>> SqlGoalRepository::ListGoals(const goals::GoalQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto in_scope = ScopeCondition(query.scope, "region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::string where = *in_scope;
  if (!query.within.empty()) {
    auto within = ScopeCondition({query.within}, "region_code", params);
    if (!within) return std::unexpected(within.error());
    where += " AND " + *within;
  }
  if (!query.indicator.empty()) {
    where += " AND indicator = ?";
    params.emplace_back(query.indicator);
  }
  return QueryAll<Goal>(**conn,
                        fmt::format("SELECT {} FROM goals WHERE {} ORDER BY region_code COLLATE "
                                    "\"C\", deadline, id",
                                    kGoalColumns, where),
                        params, ReadGoal);
}

Result<std::optional<Goal>> SqlGoalRepository::FindGoal(int64_t id,
                                                        const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return Load(**conn, id, scope);
}

Result<Goal> SqlGoalRepository::SaveGoal(const Goal& g, const audit::Actor& actor) {
  return InTransaction<Goal>(pool_, [&](SqlConnection& conn) -> Result<Goal> {
    const std::string now = Now();
    std::optional<Goal> before;
    int64_t id = g.id;
    const std::vector<SqlValue> values = {g.region_code,
                                          g.indicator,
                                          g.title,
                                          g.baseline.value_or(0),
                                          Opt(g.baseline_date),
                                          g.target.value_or(0),
                                          Opt(g.deadline),
                                          g.responsible_unit,
                                          g.responsible_person,
                                          g.note,
                                          g.on_track_ratio,
                                          g.at_risk_ratio};
    if (id == 0) {
      std::vector<SqlValue> params = values;
      for (const auto& v :
           {SqlValue(actor.name), SqlValue(now), SqlValue(actor.name), SqlValue(now)}) {
        params.push_back(v);
      }
      FUPIN_TRY(conn.Run(
          "INSERT INTO goals (region_code, indicator, title, baseline, baseline_date, target, "
          "deadline, responsible_unit, responsible_person, note, on_track_ratio, at_risk_ratio, "
          "version, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id",
          params, [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      auto stored = Load(conn, id, {""});
      if (!stored) return std::unexpected(stored.error());
      if (!*stored) return NotFound(fmt::format("no goal with id {}", id));
      if ((*stored)->version != g.version) {
        return Conflict(fmt::format("goal {} was changed by someone else: you edited version {}, "
                                    "the current version is {}",
                                    id, g.version, (*stored)->version),
                        (*stored)->version);
      }
      before = std::move(*stored);
      std::vector<SqlValue> params = values;
      params.emplace_back(actor.name);
      params.emplace_back(now);
      params.emplace_back(id);
      params.emplace_back(g.version);
      FUPIN_TRY(conn.Run(
          "UPDATE goals SET region_code = ?, indicator = ?, title = ?, baseline = ?, "
          "baseline_date = ?, target = ?, deadline = ?, responsible_unit = ?, "
          "responsible_person = ?, note = ?, on_track_ratio = ?, at_risk_ratio = ?, version = "
          "version + 1, updated_by = ?, updated_at = ? WHERE id = ? AND version = ?",
          params, [](const SqlRow&) {}));
    }
    auto after = Load(conn, id, {""});
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal(fmt::format("goal {} vanished while being saved", id));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "goal";
    entry.entity_id = std::to_string(id);
    entry.region_code = g.region_code;
    entry.changes = audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                AuditFields(**after), "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return **after;
  });
}

Status SqlGoalRepository::DeleteGoal(int64_t id, int64_t version, const audit::Actor& actor) {
  auto done = InTransaction<bool>(pool_, [&](SqlConnection& conn) -> Result<bool> {
    auto stored = Load(conn, id, {""});
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return NotFound(fmt::format("no goal with id {}", id));
    if ((*stored)->version != version) {
      return Conflict(fmt::format("goal {} was changed by someone else: you deleted version {}, "
                                  "the current version is {}",
                                  id, version, (*stored)->version),
                      (*stored)->version);
    }
    FUPIN_TRY(Execute(conn, "DELETE FROM goals WHERE id = ?", {id}));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "delete";
    entry.entity = "goal";
    entry.entity_id = std::to_string(id);
    entry.region_code = (*stored)->region_code;
    entry.changes = audit::Diff(AuditFields(**stored), {}, "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

}  // namespace fupin::storage
