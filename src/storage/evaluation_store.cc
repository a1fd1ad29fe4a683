#include "storage/evaluation_store.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "evaluation/run_json.h"
#include "evaluation/spec_json.h"
#include "evaluation/system_json.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using evaluation::Judgment;
using evaluation::System;
using evaluation::SystemContent;
using evaluation::SystemVersion;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

std::string ContentText(const SystemContent& c) { return evaluation::ContentJson(c).dump(); }

// A stored content was written by ContentText; failing to read it back is a bug or a
// corrupted database, reported as kInternal.
Result<SystemContent> ReadContent(const std::string& text, int64_t id) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return Internal(fmt::format("system {}: stored content is not JSON", id));
  auto c = evaluation::ParseContent(j, "content");
  if (!c)
    return Internal(fmt::format("system {}: stored content unreadable: {}", id, c.error().message));
  return c;
}

constexpr std::string_view kSystemColumns =
    "id, name, name_en, description, region_code, template, draft, latest_version, version, "
    "created_by, created_at, updated_by, updated_at";

Result<std::vector<System>> QuerySystems(SqlConnection& conn, const std::string& sql,
                                         const std::vector<SqlValue>& params) {
  std::vector<System> out;
  std::vector<std::string> drafts;
  FUPIN_TRY(conn.Run(sql, params, [&](const SqlRow& row) {
    System s;
    s.id = row.Int(0);
    s.name = row.Text(1);
    s.name_en = row.Text(2);
    s.description = row.Text(3);
    s.region_code = row.Text(4);
    s.template_code = row.Text(5);
    drafts.push_back(row.Text(6));
    s.latest_version = static_cast<int>(row.Int(7));
    s.version = row.Int(8);
    s.created_by = row.Text(9);
    s.created_at = row.Text(10);
    s.updated_by = row.Text(11);
    s.updated_at = row.Text(12);
    out.push_back(std::move(s));
  }));
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = ReadContent(drafts[i], out[i].id);
    if (!c) return std::unexpected(c.error());
    out[i].draft = std::move(*c);
  }
  return out;
}

Result<std::optional<System>> LoadSystem(SqlConnection& conn, int64_t id) {
  auto all = QuerySystems(
      conn, fmt::format("SELECT {} FROM evaluation_systems WHERE id = ?", kSystemColumns), {id});
  if (!all) return std::unexpected(all.error());
  if (all->empty()) return std::optional<System>();
  return std::optional<System>(std::move(all->front()));
}

std::vector<audit::Field> AuditFields(const System& s) {
  return {{"name", s.name, false},
          {"name_en", s.name_en, false},
          {"description", s.description, false},
          {"region_code", s.region_code, false},
          {"template", s.template_code, false},
          {"draft", fmt::format("{} nodes", s.draft.nodes.size()), false}};
}

Result<std::vector<SystemVersion>> QueryVersions(SqlConnection& conn, const std::string& sql,
                                                 const std::vector<SqlValue>& params) {
  std::vector<SystemVersion> out;
  std::vector<std::string> contents;
  FUPIN_TRY(conn.Run(sql, params, [&](const SqlRow& row) {
    SystemVersion v;
    v.system_id = row.Int(0);
    v.version = static_cast<int>(row.Int(1));
    contents.push_back(row.Text(2));
    v.note = row.Text(3);
    v.published_by = row.Text(4);
    v.published_at = row.Text(5);
    out.push_back(std::move(v));
  }));
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = ReadContent(contents[i], out[i].system_id);
    if (!c) return std::unexpected(c.error());
    out[i].content = std::move(*c);
  }
  return out;
}

constexpr std::string_view kVersionColumns =
    "system_id, version, content, note, published_by, published_at";

std::string MatrixText(const evaluation::Matrix& m) {
  return evaluation::JudgmentMatrixJson(m).dump();
}

Result<std::vector<Judgment>> QueryJudgments(SqlConnection& conn, const std::string& sql,
                                             const std::vector<SqlValue>& params) {
  std::vector<Judgment> out;
  std::vector<std::string> matrices;
  FUPIN_TRY(conn.Run(sql, params, [&](const SqlRow& row) {
    Judgment j;
    j.system_id = row.Int(0);
    j.version = static_cast<int>(row.Int(1));
    j.node_key = row.Text(2);
    j.expert_id = row.Int(3);
    j.expert_name = row.Text(4);
    matrices.push_back(row.Text(5));
    j.note = row.Text(6);
    j.updated_at = row.Text(7);
    out.push_back(std::move(j));
  }));
  for (size_t i = 0; i < out.size(); ++i) {
    std::vector<ErrorDetail> details;
    const auto parsed = nlohmann::json::parse(matrices[i], nullptr, false);
    auto m = evaluation::ParseJudgmentMatrix(parsed, "matrix", details);
    if (!m) {
      return Internal(fmt::format("judgment of system {} node {}: stored matrix unreadable",
                                  out[i].system_id, out[i].node_key));
    }
    out[i].matrix = std::move(*m);
  }
  return out;
}

constexpr std::string_view kJudgmentColumns =
    "system_id, version, node_key, expert_id, expert_name, matrix, note, updated_at";

constexpr std::string_view kRunColumns =
    "id, system_id, system_version, name, region_code, status, snapshot, results, findings, "
    "fupin_version, version, created_by, created_at, published_by, published_at";

Result<std::vector<evaluation::Run>> QueryRuns(SqlConnection& conn, const std::string& sql,
                                               const std::vector<SqlValue>& params) {
  std::vector<evaluation::Run> out;
  std::vector<std::array<std::string, 3>> texts;
  FUPIN_TRY(conn.Run(sql, params, [&](const SqlRow& row) {
    evaluation::Run r;
    r.id = row.Int(0);
    r.system_id = row.Int(1);
    r.system_version = static_cast<int>(row.Int(2));
    r.name = row.Text(3);
    r.region_code = row.Text(4);
    r.status = row.Text(5) == "published" ? evaluation::RunStatus::kPublished
                                          : evaluation::RunStatus::kDraft;
    texts.push_back({row.Text(6), row.Text(7), row.Text(8)});
    r.fupin_version = row.Text(9);
    r.version = row.Int(10);
    r.created_by = row.Text(11);
    r.created_at = row.Text(12);
    r.published_by = row.Text(13);
    r.published_at = row.Text(14);
    out.push_back(std::move(r));
  }));
  for (size_t i = 0; i < out.size(); ++i) {
    auto unreadable = [&](const char* what) {
      return Internal(fmt::format("run {}: stored {} is not JSON", out[i].id, what));
    };
    const auto snapshot = nlohmann::json::parse(texts[i][0], nullptr, false);
    const auto results = nlohmann::json::parse(texts[i][1], nullptr, false);
    const auto findings = nlohmann::json::parse(texts[i][2], nullptr, false);
    if (snapshot.is_discarded()) return unreadable("snapshot");
    if (results.is_discarded()) return unreadable("results");
    if (findings.is_discarded()) return unreadable("findings");
    auto s = evaluation::ParseSnapshot(snapshot);
    if (!s) return std::unexpected(s.error());
    auto r = evaluation::ParseResults(results);
    if (!r) return std::unexpected(r.error());
    auto f = evaluation::ParseFindings(findings);
    if (!f) return Internal(fmt::format("run {}: stored findings unreadable", out[i].id));
    out[i].snapshot = std::move(*s);
    out[i].results = std::move(*r);
    out[i].findings = std::move(*f);
  }
  return out;
}

Result<std::optional<evaluation::Run>> LoadRun(SqlConnection& conn, int64_t id) {
  auto all = QueryRuns(
      conn, fmt::format("SELECT {} FROM evaluation_runs WHERE id = ?", kRunColumns), {id});
  if (!all) return std::unexpected(all.error());
  if (all->empty()) return std::optional<evaluation::Run>();
  return std::optional<evaluation::Run>(std::move(all->front()));
}

}  // namespace

Result<std::vector<System>> SqlEvaluationRepository::ListSystems(
    const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto visible = ScopeOrAboveCondition(scope, "region_code", params);
  if (!visible) return std::unexpected(visible.error());
  return QuerySystems(**conn,
                      fmt::format("SELECT {} FROM evaluation_systems WHERE {} ORDER BY "
                                  "region_code COLLATE \"C\", id",
                                  kSystemColumns, *visible),
                      params);
}

Result<std::optional<System>> SqlEvaluationRepository::FindSystem(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadSystem(**conn, id);
}

Result<System> SqlEvaluationRepository::SaveSystem(const System& s, const audit::Actor& actor) {
  return InTransaction<System>(pool_, [&](SqlConnection& conn) -> Result<System> {
    const std::string now = Now();
    std::optional<System> before;
    int64_t id = s.id;
    if (id == 0) {
      const std::vector<SqlValue> params{s.name,          s.name_en,
                                         s.description,   s.region_code,
                                         s.template_code, ContentText(s.draft),
                                         actor.name,      now,
                                         actor.name,      now};
      FUPIN_TRY(conn.Run(
          "INSERT INTO evaluation_systems (name, name_en, description, region_code, template, "
          "draft, latest_version, version, created_by, created_at, updated_by, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?, ?) RETURNING id",
          params, [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      auto stored = LoadSystem(conn, id);
      if (!stored) return std::unexpected(stored.error());
      if (!*stored) return NotFound(fmt::format("no indicator system with id {}", id));
      if ((*stored)->version != s.version) {
        return StaleVersion("indicator system", id, "edited", s.version, (*stored)->version);
      }
      before = std::move(*stored);
      FUPIN_TRY(Execute(conn,
                        "UPDATE evaluation_systems SET name = ?, name_en = ?, description = ?, "
                        "draft = ?, version = version + 1, updated_by = ?, updated_at = ? "
                        "WHERE id = ? AND version = ?",
                        {s.name, s.name_en, s.description, ContentText(s.draft), actor.name, now,
                         id, s.version}));
    }
    auto after = LoadSystem(conn, id);
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal(fmt::format("indicator system {} vanished while saved", id));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "evaluation_system";
    entry.entity_id = std::to_string(id);
    entry.region_code = (*after)->region_code;
    entry.changes = audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                AuditFields(**after), "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return **after;
  });
}

Result<SystemVersion> SqlEvaluationRepository::PublishSystem(int64_t id, int64_t expected_version,
                                                             const SystemContent& content,
                                                             const std::string& note,
                                                             const audit::Actor& actor) {
  return InTransaction<SystemVersion>(pool_, [&](SqlConnection& conn) -> Result<SystemVersion> {
    auto stored = LoadSystem(conn, id);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return NotFound(fmt::format("no indicator system with id {}", id));
    if ((*stored)->version != expected_version) {
      return StaleVersion("indicator system", id, "published", expected_version,
                          (*stored)->version);
    }
    const int next = (*stored)->latest_version + 1;
    const std::string now = Now();
    // The conditional update first: it locks the system's row, so that of two concurrent
    // publications of the same draft version the second finds the version moved on (no row
    // updated) and is refused before it writes anything.
    auto changed = Execute(conn,
                           "UPDATE evaluation_systems SET latest_version = ?, version = version + "
                           "1, updated_by = ?, updated_at = ? WHERE id = ? AND version = ?",
                           {next, actor.name, now, id, expected_version});
    if (!changed) return std::unexpected(changed.error());
    if (*changed != 1) {
      return StaleVersion("indicator system", id, "published", expected_version,
                          expected_version + 1);
    }
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO evaluation_system_versions (system_id, version, content, note, "
                      "published_by, published_at) VALUES (?, ?, ?, ?, ?, ?)",
                      {id, next, ContentText(content), note, actor.name, now}));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "publish";
    entry.entity = "evaluation_system";
    entry.entity_id = std::to_string(id);
    entry.region_code = (*stored)->region_code;
    entry.changes =
        audit::Diff({}, {{"version", std::to_string(next), false}, {"note", note, false}}, "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    SystemVersion v;
    v.system_id = id;
    v.version = next;
    v.content = content;
    v.note = note;
    v.published_by = actor.name;
    v.published_at = now;
    return v;
  });
}

Result<std::vector<SystemVersion>> SqlEvaluationRepository::ListVersions(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return QueryVersions(**conn,
                       fmt::format("SELECT {} FROM evaluation_system_versions WHERE system_id = ? "
                                   "ORDER BY version",
                                   kVersionColumns),
                       {id});
}

Result<std::optional<SystemVersion>> SqlEvaluationRepository::FindVersion(int64_t id, int version) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  auto all = QueryVersions(**conn,
                           fmt::format("SELECT {} FROM evaluation_system_versions WHERE "
                                       "system_id = ? AND version = ?",
                                       kVersionColumns),
                           {id, version});
  if (!all) return std::unexpected(all.error());
  if (all->empty()) return std::optional<SystemVersion>();
  return std::optional<SystemVersion>(std::move(all->front()));
}

Result<std::vector<Judgment>> SqlEvaluationRepository::ListJudgments(int64_t id, int version,
                                                                     const std::string& node_key) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params{id, version};
  std::string where = "system_id = ? AND version = ?";
  if (!node_key.empty()) {
    where += " AND node_key = ?";
    params.emplace_back(node_key);
  }
  return QueryJudgments(**conn,
                        fmt::format("SELECT {} FROM evaluation_judgments WHERE {} ORDER BY "
                                    "node_key COLLATE \"C\", expert_id",
                                    kJudgmentColumns, where),
                        params);
}

Result<Judgment> SqlEvaluationRepository::SaveJudgment(const Judgment& j,
                                                       const audit::Actor& actor) {
  return InTransaction<Judgment>(pool_, [&](SqlConnection& conn) -> Result<Judgment> {
    auto system = LoadSystem(conn, j.system_id);
    if (!system) return std::unexpected(system.error());
    if (!*system) return NotFound(fmt::format("no indicator system with id {}", j.system_id));
    const std::string now = Now();
    const std::vector<SqlValue> key{j.system_id, j.version, j.node_key, j.expert_id};
    auto existing = QueryJudgments(
        conn,
        fmt::format("SELECT {} FROM evaluation_judgments WHERE system_id = ? AND version = ? "
                    "AND node_key = ? AND expert_id = ?",
                    kJudgmentColumns),
        key);
    if (!existing) return std::unexpected(existing.error());
    if (existing->empty()) {
      FUPIN_TRY(Execute(conn,
                        "INSERT INTO evaluation_judgments (system_id, version, node_key, "
                        "expert_id, expert_name, matrix, note, updated_at) VALUES (?, ?, ?, ?, "
                        "?, ?, ?, ?)",
                        {j.system_id, j.version, j.node_key, j.expert_id, j.expert_name,
                         MatrixText(j.matrix), j.note, now}));
    } else {
      FUPIN_TRY(Execute(conn,
                        "UPDATE evaluation_judgments SET expert_name = ?, matrix = ?, note = ?, "
                        "updated_at = ? WHERE system_id = ? AND version = ? AND node_key = ? "
                        "AND expert_id = ?",
                        {j.expert_name, MatrixText(j.matrix), j.note, now, j.system_id, j.version,
                         j.node_key, j.expert_id}));
    }
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "judge";
    entry.entity = "evaluation_judgment";
    entry.entity_id = fmt::format("{}/{}/{}/{}", j.system_id, j.version, j.node_key, j.expert_id);
    entry.region_code = (*system)->region_code;
    entry.changes = audit::Diff(
        existing->empty()
            ? std::vector<audit::Field>{}
            : std::vector<audit::Field>{{"matrix", MatrixText(existing->front().matrix), false}},
        {{"matrix", MatrixText(j.matrix), false}}, "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    Judgment out = j;
    out.updated_at = now;
    return out;
  });
}

Status SqlEvaluationRepository::DeleteJudgment(int64_t id, int version, const std::string& node_key,
                                               int64_t expert_id, const audit::Actor& actor) {
  auto done = InTransaction<bool>(pool_, [&](SqlConnection& conn) -> Result<bool> {
    auto system = LoadSystem(conn, id);
    if (!system) return std::unexpected(system.error());
    if (!*system) return NotFound(fmt::format("no indicator system with id {}", id));
    auto removed = Execute(conn,
                           "DELETE FROM evaluation_judgments WHERE system_id = ? AND version = ? "
                           "AND node_key = ? AND expert_id = ?",
                           {id, version, node_key, expert_id});
    if (!removed) return std::unexpected(removed.error());
    if (*removed == 0) {
      return NotFound(fmt::format("no judgment of node '{}' by this expert", node_key));
    }
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "delete";
    entry.entity = "evaluation_judgment";
    entry.entity_id = fmt::format("{}/{}/{}/{}", id, version, node_key, expert_id);
    entry.region_code = (*system)->region_code;
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<evaluation::Run> SqlEvaluationRepository::CreateRun(const evaluation::Run& run,
                                                           const audit::Actor& actor) {
  return InTransaction<evaluation::Run>(pool_, [&](SqlConnection& conn) -> Result<evaluation::Run> {
    const std::string now = Now();
    int64_t id = 0;
    const std::vector<SqlValue> params{run.system_id,
                                       run.system_version,
                                       run.name,
                                       run.region_code,
                                       std::string(evaluation::RunStatusName(run.status)),
                                       evaluation::SnapshotJson(run.snapshot).dump(),
                                       evaluation::ResultsJson(run.results).dump(),
                                       evaluation::FindingsJson(run.findings).dump(),
                                       run.fupin_version,
                                       actor.name,
                                       now};
    FUPIN_TRY(conn.Run(
        "INSERT INTO evaluation_runs (system_id, system_version, name, region_code, status, "
        "snapshot, results, findings, fupin_version, version, created_by, created_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
        params, [&](const SqlRow& row) { id = row.Int(0); }));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "create";
    entry.entity = "evaluation_run";
    entry.entity_id = std::to_string(id);
    entry.region_code = run.region_code;
    entry.changes =
        audit::Diff({},
                    {{"name", run.name, false},
                     {"system", fmt::format("{} v{}", run.system_id, run.system_version), false},
                     {"objects", std::to_string(run.snapshot.objects.size()), false}},
                    "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    auto stored = LoadRun(conn, id);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return Internal(fmt::format("run {} vanished while saved", id));
    return std::move(**stored);
  });
}

Result<std::optional<evaluation::Run>> SqlEvaluationRepository::FindRun(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadRun(**conn, id);
}

Result<std::vector<evaluation::Run>> SqlEvaluationRepository::ListRuns(
    const std::vector<std::string>& scope, int64_t system_id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto visible = ScopeOrAboveCondition(scope, "region_code", params);
  if (!visible) return std::unexpected(visible.error());
  std::string where = *visible;
  if (system_id != 0) {
    where += " AND system_id = ?";
    params.emplace_back(system_id);
  }
  return QueryRuns(
      **conn,
      fmt::format("SELECT {} FROM evaluation_runs WHERE {} ORDER BY id DESC", kRunColumns, where),
      params);
}

Result<evaluation::Run> SqlEvaluationRepository::UpdateRun(const evaluation::Run& run,
                                                           const std::string& action,
                                                           const audit::Actor& actor) {
  return InTransaction<evaluation::Run>(pool_, [&](SqlConnection& conn) -> Result<evaluation::Run> {
    auto stored = LoadRun(conn, run.id);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return NotFound(fmt::format("no evaluation run with id {}", run.id));
    if ((*stored)->version != run.version) {
      return StaleVersion("evaluation run", run.id, "edited", run.version, (*stored)->version);
    }
    const std::string now = Now();
    const bool publish = run.status == evaluation::RunStatus::kPublished &&
                         (*stored)->status != evaluation::RunStatus::kPublished;
    auto changed = Execute(
        conn,
        "UPDATE evaluation_runs SET findings = ?, status = ?, published_by = ?, published_at = ?, "
        "version = version + 1 WHERE id = ? AND version = ?",
        {evaluation::FindingsJson(run.findings).dump(),
         std::string(evaluation::RunStatusName(run.status)),
         publish ? actor.name : (*stored)->published_by, publish ? now : (*stored)->published_at,
         run.id, run.version});
    if (!changed) return std::unexpected(changed.error());
    if (*changed != 1) {
      return StaleVersion("evaluation run", run.id, "edited", run.version, run.version + 1);
    }
    audit::Entry entry;
    entry.actor = actor;
    entry.action = action;
    entry.entity = "evaluation_run";
    entry.entity_id = std::to_string(run.id);
    entry.region_code = run.region_code;
    entry.changes =
        audit::Diff({{"status", std::string(evaluation::RunStatusName((*stored)->status)), false},
                     {"findings", std::to_string((*stored)->findings.size()), false}},
                    {{"status", std::string(evaluation::RunStatusName(run.status)), false},
                     {"findings", std::to_string(run.findings.size()), false}},
                    "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    auto after = LoadRun(conn, run.id);
    if (!after) return std::unexpected(after.error());
    return std::move(**after);
  });
}

}  // namespace fupin::storage
