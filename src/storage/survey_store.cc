// Surveys over SQL: questionnaires and responses (SqlEvaluationRepository's survey part).
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "evaluation/survey_json.h"
#include "storage/audit_store.h"
#include "storage/evaluation_store.h"

namespace fupin::storage {
namespace {

using evaluation::GradeInput;
using evaluation::Questionnaire;
using evaluation::Response;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

constexpr std::string_view kQuestionnaireColumns =
    "q.id, q.name, q.name_en, q.description, q.region_code, q.system_id, q.system_version, "
    "q.period, q.content, q.open, q.version, q.created_by, q.created_at, q.updated_by, "
    "q.updated_at, (SELECT COUNT(*) FROM survey_responses r WHERE r.questionnaire_id = q.id)";

Result<std::vector<Questionnaire>> QueryQuestionnaires(SqlConnection& conn, const std::string& sql,
                                                       const std::vector<SqlValue>& params) {
  std::vector<Questionnaire> out;
  std::vector<std::string> contents;
  FUPIN_TRY(conn.Run(sql, params, [&](const SqlRow& row) {
    Questionnaire q;
    q.id = row.Int(0);
    q.name = row.Text(1);
    q.name_en = row.Text(2);
    q.description = row.Text(3);
    q.region_code = row.Text(4);
    q.system_id = row.Int(5);
    q.system_version = static_cast<int>(row.Int(6));
    q.period = row.Text(7);
    contents.push_back(row.Text(8));
    q.open = row.Int(9) != 0;
    q.version = row.Int(10);
    q.created_by = row.Text(11);
    q.created_at = row.Text(12);
    q.updated_by = row.Text(13);
    q.updated_at = row.Text(14);
    q.responses = row.Int(15);
    out.push_back(std::move(q));
  }));
  for (size_t i = 0; i < out.size(); ++i) {
    const auto j = nlohmann::json::parse(contents[i], nullptr, false);
    FUPIN_TRY(evaluation::ParseQuestionnaireContent(j, out[i]));
  }
  return out;
}

Result<std::optional<Questionnaire>> LoadQuestionnaire(SqlConnection& conn, int64_t id) {
  auto all = QueryQuestionnaires(
      conn,
      fmt::format("SELECT {} FROM survey_questionnaires q WHERE q.id = ?", kQuestionnaireColumns),
      {id});
  if (!all) return std::unexpected(all.error());
  if (all->empty()) return std::optional<Questionnaire>();
  return std::optional<Questionnaire>(std::move(all->front()));
}

std::vector<audit::Field> AuditFields(const Questionnaire& q) {
  return {{"name", q.name, false},
          {"name_en", q.name_en, false},
          {"description", q.description, false},
          {"region_code", q.region_code, false},
          {"system", fmt::format("{} v{}", q.system_id, q.system_version), false},
          {"period", q.period, false},
          {"open", q.open ? "true" : "false", false},
          {"questions", fmt::format("{} questions", q.questions.size()), false},
          {"targets", fmt::format("{} targets", q.targets.size()), false}};
}

std::string AnswersText(const Response& r) {
  nlohmann::ordered_json a = nlohmann::ordered_json::object();
  for (const auto& [k, v] : r.answers) a[k] = v;
  return a.dump();
}

constexpr std::string_view kResponseColumns =
    "id, questionnaire_id, group_code, region_code, surveyed_on, answers, source, external_id, "
    "created_by, created_at, updated_at";

Result<std::vector<Response>> QueryResponses(SqlConnection& conn, const std::string& sql,
                                             const std::vector<SqlValue>& params) {
  std::vector<Response> out;
  bool corrupt = false;
  FUPIN_TRY(conn.Run(sql, params, [&](const SqlRow& row) {
    Response r;
    r.id = row.Int(0);
    r.questionnaire_id = row.Int(1);
    r.group = row.Text(2);
    r.region_code = row.Text(3);
    r.surveyed_on = row.Text(4);
    const auto a = nlohmann::json::parse(row.Text(5), nullptr, false);
    if (!a.is_object()) {
      corrupt = true;
    } else {
      for (const auto& [k, v] : a.items()) {
        if (v.is_string()) r.answers[k] = v.get<std::string>();
      }
    }
    r.source = row.Text(6);
    r.external_id = row.Text(7);
    r.created_by = row.Text(8);
    r.created_at = row.Text(9);
    r.updated_at = row.Text(10);
    out.push_back(std::move(r));
  }));
  if (corrupt) return Internal("a stored survey response's answers are unreadable");
  return out;
}

std::vector<audit::Field> AuditFields(const Response& r) {
  return {{"group", r.group, false},
          {"region_code", r.region_code, false},
          {"surveyed_on", r.surveyed_on, false},
          {"answers", AnswersText(r), false},
          {"source", r.source, false},
          {"external_id", r.external_id, false}};
}

}  // namespace

Result<std::vector<Questionnaire>> SqlEvaluationRepository::ListQuestionnaires(
    const std::vector<std::string>& scope, int64_t system_id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto visible = ScopeOrAboveCondition(scope, "q.region_code", params);
  if (!visible) return std::unexpected(visible.error());
  std::string where = *visible;
  if (system_id != 0) {
    where += " AND q.system_id = ?";
    params.emplace_back(system_id);
  }
  return QueryQuestionnaires(**conn,
                             fmt::format("SELECT {} FROM survey_questionnaires q WHERE {} ORDER BY "
                                         "q.id",
                                         kQuestionnaireColumns, where),
                             params);
}

Result<std::optional<Questionnaire>> SqlEvaluationRepository::FindQuestionnaire(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadQuestionnaire(**conn, id);
}

Result<Questionnaire> SqlEvaluationRepository::SaveQuestionnaire(
    const Questionnaire& q, const std::vector<GradeInput>& grades, const audit::Actor& actor) {
  return InTransaction<Questionnaire>(pool_, [&](SqlConnection& conn) -> Result<Questionnaire> {
    const std::string now = Now();
    const std::string content = evaluation::QuestionnaireContentJson(q, grades).dump();
    int64_t id = q.id;
    std::optional<Questionnaire> before;
    if (id == 0) {
      const std::vector<SqlValue> params{
          q.name,   q.name_en, q.description,  q.region_code, q.system_id, q.system_version,
          q.period, content,   q.open ? 1 : 0, actor.name,    now,         actor.name,
          now};
      FUPIN_TRY(conn.Run(
          "INSERT INTO survey_questionnaires (name, name_en, description, region_code, "
          "system_id, system_version, period, content, open, version, created_by, created_at, "
          "updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id",
          params, [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      auto stored = LoadQuestionnaire(conn, id);
      if (!stored) return std::unexpected(stored.error());
      if (!*stored) return NotFound(fmt::format("no questionnaire with id {}", id));
      if ((*stored)->version != q.version) {
        return StaleVersion("questionnaire", id, "edited", q.version, (*stored)->version);
      }
      before = std::move(*stored);
      FUPIN_TRY(Execute(conn,
                        "UPDATE survey_questionnaires SET name = ?, name_en = ?, description = ?, "
                        "period = ?, content = ?, open = ?, version = version + 1, updated_by = "
                        "?, updated_at = ? WHERE id = ? AND version = ?",
                        {q.name, q.name_en, q.description, q.period, content, q.open ? 1 : 0,
                         actor.name, now, id, q.version}));
    }
    auto after = LoadQuestionnaire(conn, id);
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal(fmt::format("questionnaire {} vanished while saved", id));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "survey_questionnaire";
    entry.entity_id = std::to_string(id);
    entry.region_code = (*after)->region_code;
    entry.changes = audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                AuditFields(**after), "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return **after;
  });
}

Result<std::vector<Response>> SqlEvaluationRepository::ListResponses(
    int64_t questionnaire_id, const std::vector<std::string>& regions) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params{questionnaire_id};
  auto within = ScopeCondition(regions, "region_code", params);
  if (!within) return std::unexpected(within.error());
  return QueryResponses(**conn,
                        fmt::format("SELECT {} FROM survey_responses WHERE questionnaire_id = ? "
                                    "AND {} ORDER BY id",
                                    kResponseColumns, *within),
                        params);
}

Result<evaluation::EvaluationRepository::SavedResponses> SqlEvaluationRepository::SaveResponses(
    int64_t questionnaire_id, const std::vector<Response>& responses, const audit::Actor& actor) {
  return InTransaction<SavedResponses>(pool_, [&](SqlConnection& conn) -> Result<SavedResponses> {
    auto q = LoadQuestionnaire(conn, questionnaire_id);
    if (!q) return std::unexpected(q.error());
    if (!*q) return NotFound(fmt::format("no questionnaire with id {}", questionnaire_id));
    const std::string now = Now();
    SavedResponses out;
    for (const auto& r : responses) {
      std::optional<Response> before;
      if (!r.external_id.empty()) {
        auto existing = QueryResponses(
            conn,
            fmt::format("SELECT {} FROM survey_responses WHERE questionnaire_id = ? AND "
                        "external_id = ?",
                        kResponseColumns),
            {questionnaire_id, r.external_id});
        if (!existing) return std::unexpected(existing.error());
        if (!existing->empty()) before = existing->front();
      }
      int64_t id = 0;
      if (before) {
        id = before->id;
        FUPIN_TRY(
            Execute(conn,
                    "UPDATE survey_responses SET group_code = ?, region_code = ?, "
                    "surveyed_on = ?, answers = ?, source = ?, updated_at = ? WHERE id = ?",
                    {r.group, r.region_code, r.surveyed_on, AnswersText(r), r.source, now, id}));
        ++out.updated;
      } else {
        const std::vector<SqlValue> params{
            questionnaire_id, r.group,       r.region_code, r.surveyed_on, AnswersText(r),
            r.source,         r.external_id, actor.name,    now,           now};
        FUPIN_TRY(conn.Run(
            "INSERT INTO survey_responses (questionnaire_id, group_code, region_code, "
            "surveyed_on, answers, source, external_id, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            params, [&](const SqlRow& row) { id = row.Int(0); }));
        ++out.inserted;
      }
      out.ids.push_back(id);
      audit::Entry entry;
      entry.actor = actor;
      entry.action = before ? "update" : "create";
      entry.entity = "survey_response";
      entry.entity_id = fmt::format("{}/{}", questionnaire_id, id);
      entry.region_code = r.region_code;
      entry.changes = audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                  AuditFields(r), "");
      FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    }
    return out;
  });
}

Status SqlEvaluationRepository::DeleteResponse(int64_t questionnaire_id, int64_t id,
                                               const audit::Actor& actor) {
  auto done = InTransaction<bool>(pool_, [&](SqlConnection& conn) -> Result<bool> {
    auto existing = QueryResponses(
        conn,
        fmt::format("SELECT {} FROM survey_responses WHERE questionnaire_id = ? AND id = ?",
                    kResponseColumns),
        {questionnaire_id, id});
    if (!existing) return std::unexpected(existing.error());
    if (existing->empty()) {
      return NotFound(fmt::format("questionnaire {} has no response {}", questionnaire_id, id));
    }
    FUPIN_TRY(Execute(conn, "DELETE FROM survey_responses WHERE id = ?", {id}));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "delete";
    entry.entity = "survey_response";
    entry.entity_id = fmt::format("{}/{}", questionnaire_id, id);
    entry.region_code = existing->front().region_code;
    entry.changes = audit::Diff(AuditFields(existing->front()), {}, "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

}  // namespace fupin::storage
