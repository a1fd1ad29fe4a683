#include "storage/project_store.h"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using projects::Attachment;
using projects::MilestoneActual;
using projects::ProgressReport;
using projects::Project;
using projects::ProjectDetail;
using projects::ProjectProfile;
using projects::ProjectVersion;
using projects::TargetActual;
using projects::Transition;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

Date DateOf(const SqlRow& row, int c) { return ParseDate(row.Text(c)).value_or(Date{}); }

// The project's row joined with its latest version (v) for the profile's scalar fields.
constexpr std::string_view kProjectColumns =
    "p.id, p.status, p.version, p.stage, p.approved_version, p.revision, p.maintainer, "
    "p.created_at, p.updated_at, v.name, v.type, v.region_code, v.implementing_unit, "
    "v.person_in_charge, v.content, v.mechanism, v.budget_fen, v.start_on, v.end_on, "
    "(SELECT r.percent FROM project_reports r WHERE r.project_id = p.id "
    "ORDER BY r.on_date DESC, r.id DESC LIMIT 1), "
    "(SELECT r.on_date FROM project_reports r WHERE r.project_id = p.id "
    "ORDER BY r.on_date DESC, r.id DESC LIMIT 1)";
constexpr std::string_view kProjectFrom =
    "projects p JOIN project_versions v ON v.project_id = p.id AND v.version = p.version";

Project ReadProject(const SqlRow& row) {
  Project p;
  p.id = row.Int(0);
  p.status = row.Text(1);
  p.version = row.Int(2);
  p.stage = row.Text(3);
  p.approved_version = row.Int(4);
  p.revision = row.Int(5);
  p.maintainer = row.Text(6);
  p.created_at = row.Text(7);
  p.updated_at = row.Text(8);
  ProjectProfile& f = p.profile;
  f.name = row.Text(9);
  f.type = row.Text(10);
  f.region_code = row.Text(11);
  f.implementing_unit = row.Text(12);
  f.person_in_charge = row.Text(13);
  f.content = row.Text(14);
  f.mechanism = row.Text(15);
  f.budget_fen = row.Int(16);
  f.start_on = DateOf(row, 17);
  f.end_on = DateOf(row, 18);
  if (!row.IsNull(19)) p.latest_percent = static_cast<int>(row.Int(19));
  if (!row.IsNull(20)) p.latest_report_on = DateOf(row, 20);
  return p;
}

// The targets, milestones and beneficiaries of one version.
Status LoadProfileChildren(SqlConnection& conn, int64_t project_id, int64_t version,
                           ProjectProfile& f) {
  const SqlValue key[] = {project_id, version};
  FUPIN_TRY(conn.Run(
      "SELECT item_key, category, name, unit, direction, target_value FROM project_targets "
      "WHERE project_id = ? AND version = ? ORDER BY position",
      key, [&](const SqlRow& row) {
        f.targets.push_back(
            {row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Double(5)});
      }));
  FUPIN_TRY(conn.Run(
      "SELECT item_key, name, planned_on, weight FROM project_milestones WHERE project_id = ? "
      "AND version = ? ORDER BY position",
      key, [&](const SqlRow& row) {
        f.milestones.push_back(
            {row.Text(0), row.Text(1), DateOf(row, 2), static_cast<int>(row.Int(3))});
      }));
  FUPIN_TRY(conn.Run(
      "SELECT household_id FROM project_beneficiaries WHERE project_id = ? AND version = ? "
      "ORDER BY household_id",
      key, [&](const SqlRow& row) { f.beneficiaries.push_back(row.Int(0)); }));
  return {};
}

Result<std::optional<Project>> FindOn(SqlConnection& conn, int64_t id,
                                      const std::vector<std::string>& scope) {
  std::vector<SqlValue> params{id};
  auto in_scope = ScopeCondition(scope, "p.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::optional<Project> out;
  FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM {} WHERE p.id = ? AND {}", kProjectColumns,
                                 kProjectFrom, *in_scope),
                     params, [&](const SqlRow& row) { out = ReadProject(row); }));
  if (out) FUPIN_TRY(LoadProfileChildren(conn, out->id, out->version, out->profile));
  return out;
}

Result<std::vector<ProjectVersion>> VersionsOn(SqlConnection& conn, int64_t id) {
  std::vector<ProjectVersion> out;
  const SqlValue key[] = {id};
  FUPIN_TRY(conn.Run(
      "SELECT version, name, type, region_code, implementing_unit, person_in_charge, content, "
      "mechanism, budget_fen, start_on, end_on, stage, change_reason, created_by, created_at "
      "FROM project_versions WHERE project_id = ? ORDER BY version",
      key, [&](const SqlRow& row) {
        ProjectVersion v;
        v.project_id = id;
        v.version = row.Int(0);
        ProjectProfile& f = v.profile;
        f.name = row.Text(1);
        f.type = row.Text(2);
        f.region_code = row.Text(3);
        f.implementing_unit = row.Text(4);
        f.person_in_charge = row.Text(5);
        f.content = row.Text(6);
        f.mechanism = row.Text(7);
        f.budget_fen = row.Int(8);
        f.start_on = DateOf(row, 9);
        f.end_on = DateOf(row, 10);
        v.stage = row.Text(11);
        v.change_reason = row.Text(12);
        v.created_by = row.Text(13);
        v.created_at = row.Text(14);
        out.push_back(std::move(v));
      }));
  for (ProjectVersion& v : out) FUPIN_TRY(LoadProfileChildren(conn, id, v.version, v.profile));
  return out;
}

std::string Joined(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

std::vector<audit::Field> AuditFields(const ProjectProfile& f) {
  std::string targets;
  for (const auto& t : f.targets) {
    targets += fmt::format("{}{}: {} {} {} {}{}", targets.empty() ? "" : "; ", t.key, t.category,
                           t.name, t.direction, t.target_value, t.unit);
  }
  std::string milestones;
  for (const auto& m : f.milestones) {
    milestones += fmt::format("{}{}: {} {} {}%", milestones.empty() ? "" : "; ", m.key, m.name,
                              m.planned_on.ToString(), m.weight);
  }
  return {{"name", f.name, false},
          {"type", f.type, false},
          {"region", f.region_code, false},
          {"implementing_unit", f.implementing_unit, false},
          {"person_in_charge", f.person_in_charge, false},
          {"content", f.content, false},
          {"mechanism", f.mechanism, false},
          {"beneficiaries", Joined(f.beneficiaries), false},
          {"budget_fen", std::to_string(f.budget_fen), false},
          {"start_on", f.start_on.ToString(), false},
          {"end_on", f.end_on.ToString(), false},
          {"targets", targets, false},
          {"milestones", milestones, false}};
}

// Checks a new version's region and beneficiaries against what is stored, naming the field.
Status CheckReferences(SqlConnection& conn, const ProjectProfile& f) {
  bool region = false;
  const SqlValue code[] = {f.region_code};
  FUPIN_TRY(conn.Run("SELECT 1 FROM regions WHERE code = ?", code,
                     [&](const SqlRow&) { region = true; }));
  if (!region) {
    return InvalidArgument(fmt::format("no region {}", f.region_code),
                           {{0, "region", f.region_code, "is not a known region"}});
  }
  if (f.beneficiaries.empty()) return {};
  std::vector<SqlValue> ids(f.beneficiaries.begin(), f.beneficiaries.end());
  std::map<int64_t, std::string> found;
  FUPIN_TRY(conn.Run(fmt::format("SELECT id, region_code FROM households WHERE id IN ({})",
                                 Placeholders(ids.size())),
                     ids, [&](const SqlRow& row) { found[row.Int(0)] = row.Text(1); }));
  const std::string county = f.region_code.substr(0, 6);
  std::vector<ErrorDetail> problems;
  for (size_t i = 0; i < f.beneficiaries.size(); ++i) {
    const std::string at = fmt::format("beneficiaries[{}]", i + 1);
    const std::string id = std::to_string(f.beneficiaries[i]);
    auto it = found.find(f.beneficiaries[i]);
    if (it == found.end()) {
      problems.push_back({0, at, id, "is not a registered household"});
    } else if (it->second.substr(0, 6) != county) {
      problems.push_back({0, at, id, "lives outside the project's county"});
    }
  }
  if (!problems.empty()) {
    std::string message = fmt::format("the project has {} problem(s)", problems.size());
    return InvalidArgument(std::move(message), std::move(problems));
  }
  return {};
}

Status InsertVersion(SqlConnection& conn, int64_t id, int64_t version, const ProjectProfile& f,
                     const std::string& stage, const std::string& change_reason,
                     const std::string& by, const std::string& now) {
  FUPIN_TRY(Execute(
      conn,
      "INSERT INTO project_versions (project_id, version, name, type, region_code, "
      "implementing_unit, person_in_charge, content, mechanism, budget_fen, start_on, end_on, "
      "stage, change_reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?)",
      {id, version, f.name, f.type, f.region_code, f.implementing_unit, f.person_in_charge,
       f.content, f.mechanism, f.budget_fen, f.start_on.ToString(), f.end_on.ToString(), stage,
       change_reason, by, now}));
  for (size_t i = 0; i < f.targets.size(); ++i) {
    const auto& t = f.targets[i];
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO project_targets (project_id, version, position, item_key, "
                      "category, name, unit, direction, target_value) VALUES (?, ?, ?, ?, ?, ?, "
                      "?, ?, ?)",
                      {id, version, static_cast<int64_t>(i), t.key, t.category, t.name, t.unit,
                       t.direction, t.target_value}));
  }
  for (size_t i = 0; i < f.milestones.size(); ++i) {
    const auto& m = f.milestones[i];
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO project_milestones (project_id, version, position, item_key, "
                      "name, planned_on, weight) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      {id, version, static_cast<int64_t>(i), m.key, m.name, m.planned_on.ToString(),
                       static_cast<int64_t>(m.weight)}));
  }
  for (int64_t h : f.beneficiaries) {
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO project_beneficiaries (project_id, version, household_id) "
                      "VALUES (?, ?, ?)",
                      {id, version, h}));
  }
  return {};
}

// The project row's repeated fields, from the latest version.
Status UpdateHead(SqlConnection& conn, int64_t id, const ProjectProfile& f) {
  FUPIN_TRY(Execute(conn,
                    "UPDATE projects SET name = ?, type = ?, region_code = ?, budget_fen = ?, "
                    "start_on = ?, end_on = ? WHERE id = ?",
                    {f.name, f.type, f.region_code, f.budget_fen, f.start_on.ToString(),
                     f.end_on.ToString(), id}));
  return {};
}

Status LoadReports(SqlConnection& conn, int64_t id, std::vector<ProgressReport>& out) {
  const SqlValue key[] = {id};
  FUPIN_TRY(conn.Run(
      "SELECT id, on_date, percent, narrative, reported_by, reported_at FROM project_reports "
      "WHERE project_id = ? ORDER BY on_date, id",
      key, [&](const SqlRow& row) {
        ProgressReport r;
        r.id = row.Int(0);
        r.project_id = id;
        r.on = DateOf(row, 1);
        r.percent = static_cast<int>(row.Int(2));
        r.narrative = row.Text(3);
        r.reported_by = row.Text(4);
        r.reported_at = row.Text(5);
        out.push_back(std::move(r));
      }));
  for (ProgressReport& r : out) {
    const SqlValue report[] = {r.id};
    FUPIN_TRY(conn.Run(
        "SELECT name, ref FROM project_report_attachments WHERE report_id = ? ORDER BY position",
        report, [&](const SqlRow& row) {
          r.attachments.push_back({row.Text(0), row.Text(1)});
        }));
  }
  return {};
}

Result<std::optional<ProjectDetail>> DetailOn(SqlConnection& conn, int64_t id,
                                              const std::vector<std::string>& scope) {
  auto project = FindOn(conn, id, scope);
  if (!project) return std::unexpected(project.error());
  if (!*project) return std::optional<ProjectDetail>();
  ProjectDetail d;
  d.project = std::move(**project);
  auto versions = VersionsOn(conn, id);
  if (!versions) return std::unexpected(versions.error());
  d.versions = std::move(*versions);
  const int64_t in_force = d.project.approved_version;
  if (in_force > 0 && in_force != d.project.version) {
    for (const ProjectVersion& v : d.versions) {
      if (v.version == in_force) d.approved = v;
    }
  }
  const SqlValue key[] = {id};
  FUPIN_TRY(
      conn.Run("SELECT item_key, actual_value, measured_on, note, recorded_by, recorded_at FROM "
               "project_target_actuals WHERE project_id = ? ORDER BY item_key",
               key, [&](const SqlRow& row) {
                 d.target_actuals.push_back({row.Text(0), row.Double(1), DateOf(row, 2),
                                             row.Text(3), row.Text(4), row.Text(5)});
               }));
  FUPIN_TRY(
      conn.Run("SELECT item_key, completed_on, note, recorded_by, recorded_at FROM "
               "project_milestone_actuals WHERE project_id = ? ORDER BY item_key",
               key, [&](const SqlRow& row) {
                 d.milestone_actuals.push_back(
                     {row.Text(0), DateOf(row, 1), row.Text(2), row.Text(3), row.Text(4)});
               }));
  FUPIN_TRY(LoadReports(conn, id, d.reports));
  FUPIN_TRY(
      conn.Run("SELECT id, version, action, from_status, to_status, stage, reason, on_date, actor, "
               "actor_user_id, at FROM project_transitions WHERE project_id = ? ORDER BY id",
               key, [&](const SqlRow& row) {
                 Transition t;
                 t.id = row.Int(0);
                 t.project_id = id;
                 t.version = row.Int(1);
                 t.action = row.Text(2);
                 t.from_status = row.Text(3);
                 t.to_status = row.Text(4);
                 t.stage = row.Text(5);
                 t.reason = row.Text(6);
                 t.on = DateOf(row, 7);
                 t.actor = row.Text(8);
                 t.actor_user_id = row.Int(9);
                 t.at = row.Text(10);
                 d.transitions.push_back(std::move(t));
               }));
  return std::optional<ProjectDetail>(std::move(d));
}

Status Audit(SqlConnection& conn, const audit::Actor& actor, std::string action, int64_t id,
             const std::string& region, std::vector<audit::FieldChange> changes, std::string note) {
  audit::Entry entry;
  entry.actor = actor;
  entry.action = std::move(action);
  entry.entity = "project";
  entry.entity_id = std::to_string(id);
  entry.region_code = region;
  entry.changes = std::move(changes);
  entry.note = std::move(note);
  FUPIN_TRY(AppendAudit(conn, std::move(entry)));
  return {};
}

// The project's region and status (any scope), inside a write transaction.
Result<std::optional<std::pair<std::string, std::string>>> HeadOf(SqlConnection& conn, int64_t id) {
  std::optional<std::pair<std::string, std::string>> out;
  const SqlValue key[] = {id};
  FUPIN_TRY(conn.Run("SELECT region_code, status FROM projects WHERE id = ?", key,
                     [&](const SqlRow& row) { out.emplace(row.Text(0), row.Text(1)); }));
  return out;
}

}  // namespace

Result<projects::ProjectPage> SqlProjectRepository::ListProjects(
    const projects::ProjectQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto in_scope = ScopeCondition(query.scope, "p.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::string where = *in_scope;
  if (!query.within.empty()) {
    std::vector<std::string> within{query.within};
    auto sub = ScopeCondition(within, "p.region_code", params);
    if (!sub) return std::unexpected(sub.error());
    where += " AND " + *sub;
  }
  if (!query.type.empty()) {
    where += " AND p.type = ?";
    params.emplace_back(query.type);
  }
  if (!query.text.empty()) {
    where += " AND p.name LIKE ?";
    params.emplace_back("%" + query.text + "%");
  }
  projects::ProjectPage page;
  FUPIN_TRY((*conn)->Run(
      fmt::format("SELECT p.status, count(*) FROM projects p WHERE {} GROUP BY p.status "
                  "ORDER BY p.status",
                  where),
      params, [&](const SqlRow& row) { page.by_status.emplace_back(row.Text(0), row.Int(1)); }));
  if (!query.status.empty()) {
    where += " AND p.status = ?";
    params.emplace_back(query.status);
  }
  FUPIN_TRY((*conn)->Run(fmt::format("SELECT count(*) FROM projects p WHERE {}", where), params,
                         [&](const SqlRow& row) { page.total = row.Int(0); }));
  std::string tail = " ORDER BY p.id";
  if (query.limit > 0) {
    tail += " LIMIT ? OFFSET ?";
    params.emplace_back(query.limit);
    params.emplace_back(query.offset);
  }
  FUPIN_TRY((*conn)->Run(
      fmt::format("SELECT {} FROM {} WHERE {}{}", kProjectColumns, kProjectFrom, where, tail),
      params, [&](const SqlRow& row) { page.items.push_back(ReadProject(row)); }));
  for (Project& p : page.items) {
    FUPIN_TRY(LoadProfileChildren(**conn, p.id, p.version, p.profile));
  }
  return page;
}

Result<std::optional<Project>> SqlProjectRepository::FindProject(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return FindOn(**conn, id, scope);
}

Result<std::optional<ProjectDetail>> SqlProjectRepository::FindDetail(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return DetailOn(**conn, id, scope);
}

Result<std::optional<std::string>> SqlProjectRepository::ProjectRegion(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  auto head = HeadOf(**conn, id);
  if (!head) return std::unexpected(head.error());
  if (!*head) return std::optional<std::string>();
  return std::optional<std::string>((*head)->first);
}

Result<std::vector<ProjectVersion>> SqlProjectRepository::Versions(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return VersionsOn(**conn, id);
}

Result<Project> SqlProjectRepository::Write(const projects::ProjectWrite& w,
                                            const audit::Actor& actor) {
  return InTransaction<Project>(pool_, [&](SqlConnection& conn) -> Result<Project> {
    const std::string now = Now();
    const Transition& t = w.transition;
    int64_t id = w.project_id;
    std::optional<Project> before;
    int64_t version = 1;
    if (id == 0) {
      if (!w.profile) return Internal("a new project needs its profile");
      FUPIN_TRY(CheckReferences(conn, *w.profile));
      const ProjectProfile& f = *w.profile;
      FUPIN_TRY(conn.Run(
          "INSERT INTO projects (name, type, region_code, budget_fen, start_on, end_on, status, "
          "version, stage, approved_version, revision, created_at, updated_at) VALUES (?, ?, ?, "
          "?, ?, ?, ?, 1, ?, 0, 1, ?, ?) RETURNING id",
          std::vector<SqlValue>{f.name, f.type, f.region_code, f.budget_fen, f.start_on.ToString(),
                                f.end_on.ToString(), t.to_status, t.stage, now, now},
          [&](const SqlRow& row) { id = row.Int(0); }));
      FUPIN_TRY(InsertVersion(conn, id, 1, f, t.stage, w.change_reason, actor.name, now));
    } else {
      auto found = FindOn(conn, id, {""});
      if (!found) return std::unexpected(found.error());
      if (!*found) return NotFound(fmt::format("no project with id {}", id));
      before = std::move(*found);
      if (before->revision != w.revision) {
        return Conflict(fmt::format("project {} was changed by someone else: you acted on "
                                    "revision {}, the current revision is {}",
                                    id, w.revision, before->revision),
                        before->revision);
      }
      if (before->status != t.from_status) {
        return Conflict(
            fmt::format("project {} is {} now, not {}", id, before->status, t.from_status),
            before->revision);
      }
      version = before->version;
      if (w.profile) {
        version = before->version + 1;
        FUPIN_TRY(CheckReferences(conn, *w.profile));
        FUPIN_TRY(InsertVersion(conn, id, version, *w.profile, t.stage, w.change_reason, actor.name,
                                now));
        FUPIN_TRY(UpdateHead(conn, id, *w.profile));
      } else {
        FUPIN_TRY(Execute(conn,
                          "UPDATE project_versions SET stage = ? WHERE project_id = ? AND "
                          "version = ?",
                          {t.stage, id, version}));
      }
      auto updated = Execute(
          conn,
          "UPDATE projects SET status = ?, version = ?, stage = ?, approved_version = ?, "
          "revision = revision + 1, maintainer = CASE WHEN ? = '' THEN maintainer ELSE ? END, "
          "updated_at = ? WHERE id = ? AND revision = ?",
          {t.to_status, version, t.stage, w.approved_version, w.maintainer, w.maintainer, now, id,
           w.revision});
      if (!updated) return std::unexpected(updated.error());
      if (*updated != 1) {
        return Conflict(fmt::format("project {} was changed by someone else meanwhile", id), 0);
      }
    }
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO project_transitions (project_id, version, action, "
                      "from_status, to_status, stage, reason, on_date, actor, actor_user_id, at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {id, version, t.action, t.from_status, t.to_status, t.stage, t.reason,
                       t.on.ToString(), actor.name, actor.user_id, now}));
    auto after = FindOn(conn, id, {""});
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal("the project just written cannot be read back");
    std::vector<audit::FieldChange> changes;
    std::string action = t.action;
    if (!before) {
      action = "create";
      changes = audit::Diff({}, AuditFields((*after)->profile), "");
    } else if (w.profile) {
      action = "update";
      changes = audit::Diff(AuditFields(before->profile), AuditFields((*after)->profile), "");
    }
    if (!before || before->status != t.to_status) {
      changes.push_back({"status",
                         before ? std::optional<std::string>(before->status) : std::nullopt,
                         t.to_status});
    }
    if (!w.maintainer.empty()) changes.push_back({"maintainer", std::nullopt, w.maintainer});
    std::string note = fmt::format("{} version {}: {}", t.action, version, t.stage);
    if (!t.reason.empty()) note += " — " + t.reason;
    FUPIN_TRY(Audit(conn, actor, action, id, (*after)->profile.region_code, std::move(changes),
                    std::move(note)));
    return std::move(**after);
  });
}

Result<MilestoneActual> SqlProjectRepository::RecordMilestone(int64_t project_id,
                                                              const MilestoneActual& m,
                                                              const audit::Actor& actor) {
  return InTransaction<MilestoneActual>(pool_, [&](SqlConnection& conn) -> Result<MilestoneActual> {
    auto head = HeadOf(conn, project_id);
    if (!head) return std::unexpected(head.error());
    if (!*head) return NotFound(fmt::format("no project with id {}", project_id));
    std::optional<std::string> earlier;
    const SqlValue key[] = {project_id, m.key};
    FUPIN_TRY(
        conn.Run("SELECT completed_on FROM project_milestone_actuals WHERE project_id = ? AND "
                 "item_key = ?",
                 key, [&](const SqlRow& row) { earlier = row.Text(0); }));
    MilestoneActual out = m;
    out.recorded_by = actor.name;
    out.recorded_at = Now();
    FUPIN_TRY(Execute(
        conn,
        "INSERT INTO project_milestone_actuals (project_id, item_key, completed_on, note, "
        "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, "
        "item_key) DO UPDATE SET completed_on = excluded.completed_on, note = excluded.note, "
        "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        {project_id, m.key, m.completed_on.ToString(), m.note, out.recorded_by, out.recorded_at}));
    FUPIN_TRY(Audit(
        conn, actor, "milestone", project_id, (*head)->first,
        {{fmt::format("milestones[{}].completed_on", m.key), earlier, m.completed_on.ToString()}},
        m.note));
    return out;
  });
}

Result<TargetActual> SqlProjectRepository::RecordTarget(int64_t project_id, const TargetActual& t,
                                                        const audit::Actor& actor) {
  return InTransaction<TargetActual>(pool_, [&](SqlConnection& conn) -> Result<TargetActual> {
    auto head = HeadOf(conn, project_id);
    if (!head) return std::unexpected(head.error());
    if (!*head) return NotFound(fmt::format("no project with id {}", project_id));
    std::optional<std::string> earlier;
    const SqlValue key[] = {project_id, t.key};
    FUPIN_TRY(conn.Run(
        "SELECT actual_value FROM project_target_actuals WHERE project_id = ? AND item_key = ?",
        key, [&](const SqlRow& row) { earlier = fmt::format("{}", row.Double(0)); }));
    TargetActual out = t;
    out.recorded_by = actor.name;
    out.recorded_at = Now();
    FUPIN_TRY(Execute(
        conn,
        "INSERT INTO project_target_actuals (project_id, item_key, actual_value, measured_on, "
        "note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, "
        "item_key) DO UPDATE SET actual_value = excluded.actual_value, measured_on = "
        "excluded.measured_on, note = excluded.note, recorded_by = excluded.recorded_by, "
        "recorded_at = excluded.recorded_at",
        {project_id, t.key, t.value, t.measured_on.ToString(), t.note, out.recorded_by,
         out.recorded_at}));
    FUPIN_TRY(Audit(
        conn, actor, "measure", project_id, (*head)->first,
        {{fmt::format("targets[{}].actual_value", t.key), earlier, fmt::format("{}", t.value)}},
        fmt::format("measured on {}", t.measured_on.ToString())));
    return out;
  });
}

Result<ProgressReport> SqlProjectRepository::AddReport(const ProgressReport& report,
                                                       const audit::Actor& actor) {
  return InTransaction<ProgressReport>(pool_, [&](SqlConnection& conn) -> Result<ProgressReport> {
    auto head = HeadOf(conn, report.project_id);
    if (!head) return std::unexpected(head.error());
    if (!*head) return NotFound(fmt::format("no project with id {}", report.project_id));
    ProgressReport out = report;
    out.reported_by = actor.name;
    out.reported_at = Now();
    FUPIN_TRY(conn.Run(
        "INSERT INTO project_reports (project_id, on_date, percent, narrative, reported_by, "
        "reported_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        std::vector<SqlValue>{report.project_id, report.on.ToString(),
                              static_cast<int64_t>(report.percent), report.narrative,
                              out.reported_by, out.reported_at},
        [&](const SqlRow& row) { out.id = row.Int(0); }));
    for (size_t i = 0; i < report.attachments.size(); ++i) {
      const Attachment& a = report.attachments[i];
      FUPIN_TRY(Execute(conn,
                        "INSERT INTO project_report_attachments (report_id, position, name, ref) "
                        "VALUES (?, ?, ?, ?)",
                        {out.id, static_cast<int64_t>(i), a.name, a.ref}));
    }
    FUPIN_TRY(Audit(conn, actor, "report", report.project_id, (*head)->first,
                    {{"percent", std::nullopt, std::to_string(report.percent)}},
                    fmt::format("progress on {}: {}%", report.on.ToString(), report.percent)));
    return out;
  });
}

}  // namespace fupin::storage
