// Rectification tasks over SQL (SqlEvaluationRepository's rectification part).
#include <fmt/format.h>

#include <chrono>
#include <map>

#include "storage/audit_store.h"
#include "storage/evaluation_store.h"

namespace fupin::storage {
namespace {

using evaluation::RectificationTask;
using evaluation::TaskStatus;
using evaluation::TaskUpdate;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

constexpr std::string_view kTaskColumns =
    "id, run_id, system_id, run_region, finding_kind, finding_object, finding_node, "
    "finding_text, finding_text_en, region_code, title, unit, person, deadline, status, "
    "submitted_on, verified_on, version, created_by, created_at, updated_at";

Result<std::vector<RectificationTask>> QueryTasks(SqlConnection& conn, const std::string& sql,
                                                  const std::vector<SqlValue>& params) {
  std::vector<RectificationTask> out;
  bool bad_status = false;
  FUPIN_TRY(conn.Run(sql, params, [&](const SqlRow& row) {
    RectificationTask t;
    t.id = row.Int(0);
    t.run_id = row.Int(1);
    t.system_id = row.Int(2);
    t.run_region = row.Text(3);
    t.finding.kind = row.Text(4);
    t.finding.object = row.Text(5);
    t.finding.node = row.Text(6);
    t.finding.text = row.Text(7);
    t.finding.text_en = row.Text(8);
    t.region_code = row.Text(9);
    t.title = row.Text(10);
    t.unit = row.Text(11);
    t.person = row.Text(12);
    t.deadline = row.Text(13);
    const auto status = evaluation::TaskStatusNamed(row.Text(14));
    if (!status) bad_status = true;
    t.status = status.value_or(TaskStatus::kAssigned);
    t.submitted_on = row.Text(15);
    t.verified_on = row.Text(16);
    t.version = row.Int(17);
    t.created_by = row.Text(18);
    t.created_at = row.Text(19);
    t.updated_at = row.Text(20);
    out.push_back(std::move(t));
  }));
  if (bad_status) return Internal("a stored rectification task has an unknown status");
  if (out.empty()) return out;
  // Their updates, oldest first.
  std::map<int64_t, size_t> index;
  std::string ids;
  std::vector<SqlValue> id_params;
  for (size_t i = 0; i < out.size(); ++i) {
    index[out[i].id] = i;
    ids += i == 0 ? "?" : ", ?";
    id_params.emplace_back(out[i].id);
  }
  FUPIN_TRY(conn.Run(fmt::format("SELECT task_id, status, note, evidence, by_name, created_at FROM "
                                 "rectification_updates WHERE task_id IN ({}) ORDER BY task_id, id",
                                 ids),
                     id_params, [&](const SqlRow& row) {
                       TaskUpdate u;
                       u.status =
                           evaluation::TaskStatusNamed(row.Text(1)).value_or(TaskStatus::kAssigned);
                       u.note = row.Text(2);
                       u.evidence = row.Text(3);
                       u.by = row.Text(4);
                       u.at = row.Text(5);
                       out[index.at(row.Int(0))].updates.push_back(std::move(u));
                     }));
  return out;
}

Result<std::optional<RectificationTask>> LoadTask(SqlConnection& conn, int64_t id) {
  auto all = QueryTasks(
      conn, fmt::format("SELECT {} FROM rectification_tasks WHERE id = ?", kTaskColumns), {id});
  if (!all) return std::unexpected(all.error());
  if (all->empty()) return std::optional<RectificationTask>();
  return std::optional<RectificationTask>(std::move(all->front()));
}

Status InsertUpdate(SqlConnection& conn, int64_t task_id, const TaskUpdate& u,
                    const std::string& now) {
  auto done = Execute(
      conn,
      "INSERT INTO rectification_updates (task_id, status, note, evidence, "
      "by_name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {task_id, std::string(evaluation::TaskStatusName(u.status)), u.note, u.evidence, u.by, now});
  if (!done) return std::unexpected(done.error());
  return {};
}

std::vector<audit::Field> AuditFields(const RectificationTask& t) {
  return {{"run_id", std::to_string(t.run_id), false},
          {"finding", t.finding.text, false},
          {"title", t.title, false},
          {"unit", t.unit, false},
          {"person", t.person, false},
          {"deadline", t.deadline, false},
          {"status", std::string(evaluation::TaskStatusName(t.status)), false}};
}

}  // namespace

Result<RectificationTask> SqlEvaluationRepository::CreateTask(const RectificationTask& t,
                                                              const TaskUpdate& first,
                                                              const audit::Actor& actor) {
  return InTransaction<RectificationTask>(
      pool_, [&](SqlConnection& conn) -> Result<RectificationTask> {
        const std::string now = Now();
        int64_t id = 0;
        const std::vector<SqlValue> params{t.run_id,
                                           t.system_id,
                                           t.run_region,
                                           t.finding.kind,
                                           t.finding.object,
                                           t.finding.node,
                                           t.finding.text,
                                           t.finding.text_en,
                                           t.region_code,
                                           t.title,
                                           t.unit,
                                           t.person,
                                           t.deadline,
                                           std::string(evaluation::TaskStatusName(t.status)),
                                           actor.name,
                                           now,
                                           now};
        FUPIN_TRY(conn.Run(
            "INSERT INTO rectification_tasks (run_id, system_id, run_region, finding_kind, "
            "finding_object, finding_node, finding_text, finding_text_en, region_code, title, "
            "unit, person, deadline, status, version, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
            params, [&](const SqlRow& row) { id = row.Int(0); }));
        FUPIN_TRY(InsertUpdate(conn, id, first, now));
        auto stored = LoadTask(conn, id);
        if (!stored) return std::unexpected(stored.error());
        if (!*stored) return Internal(fmt::format("rectification task {} vanished", id));
        audit::Entry entry;
        entry.actor = actor;
        entry.action = "create";
        entry.entity = "rectification_task";
        entry.entity_id = std::to_string(id);
        entry.region_code = t.region_code;
        entry.changes = audit::Diff({}, AuditFields(**stored), "");
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        return **stored;
      });
}

Result<std::optional<RectificationTask>> SqlEvaluationRepository::FindTask(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadTask(**conn, id);
}

Result<std::vector<RectificationTask>> SqlEvaluationRepository::ListTasks(
    const TaskFilter& filter) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto own = ScopeCondition(filter.scope, "region_code", params);
  if (!own) return std::unexpected(own.error());
  auto assigned = ScopeCondition(filter.scope, "run_region", params);
  if (!assigned) return std::unexpected(assigned.error());
  std::string where = fmt::format("(({}) OR ({}))", *own, *assigned);
  if (filter.run_id != 0) {
    where += " AND run_id = ?";
    params.emplace_back(filter.run_id);
  }
  if (filter.system_id != 0) {
    where += " AND system_id = ?";
    params.emplace_back(filter.system_id);
  }
  if (filter.status) {
    where += " AND status = ?";
    params.emplace_back(std::string(evaluation::TaskStatusName(*filter.status)));
  }
  return QueryTasks(**conn,
                    fmt::format("SELECT {} FROM rectification_tasks WHERE {} ORDER BY deadline, "
                                "id",
                                kTaskColumns, where),
                    params);
}

Result<RectificationTask> SqlEvaluationRepository::UpdateTask(
    const RectificationTask& t, const std::optional<TaskUpdate>& update, const std::string& action,
    const audit::Actor& actor) {
  return InTransaction<RectificationTask>(
      pool_, [&](SqlConnection& conn) -> Result<RectificationTask> {
        auto stored = LoadTask(conn, t.id);
        if (!stored) return std::unexpected(stored.error());
        if (!*stored) return NotFound(fmt::format("no rectification task with id {}", t.id));
        if ((*stored)->version != t.version) {
          return StaleVersion("rectification task", t.id, "updated", t.version, (*stored)->version);
        }
        const std::string now = Now();
        auto changed = Execute(
            conn,
            "UPDATE rectification_tasks SET title = ?, unit = ?, person = ?, deadline = ?, "
            "status = ?, submitted_on = ?, verified_on = ?, version = version + 1, updated_at = "
            "? WHERE id = ? AND version = ?",
            {t.title, t.unit, t.person, t.deadline,
             std::string(evaluation::TaskStatusName(t.status)), t.submitted_on, t.verified_on, now,
             t.id, t.version});
        if (!changed) return std::unexpected(changed.error());
        if (*changed != 1) {
          return StaleVersion("rectification task", t.id, "updated", t.version, t.version + 1);
        }
        if (update) FUPIN_TRY(InsertUpdate(conn, t.id, *update, now));
        auto after = LoadTask(conn, t.id);
        if (!after) return std::unexpected(after.error());
        audit::Entry entry;
        entry.actor = actor;
        entry.action = action;
        entry.entity = "rectification_task";
        entry.entity_id = std::to_string(t.id);
        entry.region_code = t.region_code;
        auto fields = AuditFields(**after);
        if (update) {
          fields.push_back({"note", update->note, false});
          fields.push_back({"evidence", update->evidence, false});
        }
        entry.changes = audit::Diff(AuditFields(**stored), fields, "");
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        return **after;
      });
}

}  // namespace fupin::storage
