#include "storage/monitoring_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "storage/audit_store.h"
#include "storage/registry_store.h"

namespace fupin::storage {
namespace {

using monitoring::Alert;
using monitoring::Case;
using monitoring::Measure;
using monitoring::RiskEvent;
using monitoring::RuleOptions;
using monitoring::Step;
using monitoring::Threshold;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

SqlValue Opt(const std::optional<int64_t>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }
SqlValue Opt(const std::optional<Date>& v) {
  return v ? SqlValue(v->ToString()) : SqlValue(nullptr);
}
SqlValue Opt(const std::optional<bool>& v) {
  return v ? SqlValue(static_cast<int64_t>(*v)) : SqlValue(nullptr);
}

std::optional<Date> OptDate(const SqlRow& row, int c) {
  if (row.IsNull(c)) return std::nullopt;
  auto d = ParseDate(row.Text(c));
  return d ? std::optional<Date>(*d) : std::nullopt;
}
Date ReadDate(const SqlRow& row, int c) { return OptDate(row, c).value_or(Date{}); }
std::optional<int64_t> OptInt(const SqlRow& row, int c) {
  return row.IsNull(c) ? std::nullopt : std::optional<int64_t>(row.Int(c));
}

constexpr std::string_view kThresholdColumns =
    "province_code, year, per_capita_fen, note, updated_by, updated_at";

Threshold ReadThreshold(const SqlRow& row) {
  return {row.Text(0), static_cast<int>(row.Int(1)), row.Int(2), row.Text(3), row.Text(4),
          row.Text(5)};
}

constexpr std::string_view kOptionColumns =
    "province_code, income_drop_share, medical_expense_fen, medical_income_share, "
    "disaster_loss_fen, disaster_income_share, verify_days, review_days, decide_days, "
    "minimum_months, version, updated_by, updated_at";

RuleOptions ReadOptions(const SqlRow& row) {
  RuleOptions o;
  o.province_code = row.Text(0);
  o.income_drop_share = row.Double(1);
  o.medical_expense_fen = row.Int(2);
  o.medical_income_share = row.Double(3);
  o.disaster_loss_fen = row.Int(4);
  o.disaster_income_share = row.Double(5);
  o.verify_days = static_cast<int>(row.Int(6));
  o.review_days = static_cast<int>(row.Int(7));
  o.decide_days = static_cast<int>(row.Int(8));
  o.minimum_months = static_cast<int>(row.Int(9));
  o.version = row.Int(10);
  o.updated_by = row.Text(11);
  o.updated_at = row.Text(12);
  return o;
}

std::vector<audit::Field> OptionFields(const RuleOptions& o) {
  return {{"income_drop_share", fmt::format("{}", o.income_drop_share), false},
          {"medical_expense_fen", std::to_string(o.medical_expense_fen), false},
          {"medical_income_share", fmt::format("{}", o.medical_income_share), false},
          {"disaster_loss_fen", std::to_string(o.disaster_loss_fen), false},
          {"disaster_income_share", fmt::format("{}", o.disaster_income_share), false},
          {"verify_days", std::to_string(o.verify_days), false},
          {"review_days", std::to_string(o.review_days), false},
          {"decide_days", std::to_string(o.decide_days), false},
          {"minimum_months", std::to_string(o.minimum_months), false}};
}

constexpr std::string_view kEventColumns =
    "id, household_id, region_code, kind, amount_fen, on_date, note, reported_by, reported_at";

RiskEvent ReadEvent(const SqlRow& row) {
  RiskEvent e;
  e.id = row.Int(0);
  e.household_id = row.Int(1);
  e.region_code = row.Text(2);
  e.kind = row.Text(3);
  e.amount_fen = OptInt(row, 4);
  e.on = ReadDate(row, 5);
  e.note = row.Text(6);
  e.reported_by = row.Text(7);
  e.reported_at = row.Text(8);
  return e;
}

constexpr std::string_view kCaseColumns =
    "c.id, c.household_id, h.number, h.head_name, c.region_code, c.stage, c.category, "
    "c.village_confirmed, c.recommendation, c.dismiss_reason, c.opened_on, c.verify_due, "
    "c.review_due, c.decide_due, c.verified_on, c.reviewed_on, c.decided_on, c.closed_on, "
    "c.version, r.name";
constexpr std::string_view kCaseFrom =
    "monitoring_cases c JOIN households h ON h.id = c.household_id "
    "JOIN regions r ON r.code = c.region_code";

Case ReadCase(const SqlRow& row) {
  Case c;
  c.id = row.Int(0);
  c.household_id = row.Int(1);
  c.household_number = row.Text(2);
  c.head_name = row.Text(3);
  c.region_code = row.Text(4);
  c.stage = row.Text(5);
  c.category = row.Text(6);
  if (!row.IsNull(7)) c.village_confirmed = row.Int(7) != 0;
  c.recommendation = row.Text(8);
  c.dismiss_reason = row.Text(9);
  c.opened_on = ReadDate(row, 10);
  c.verify_due = ReadDate(row, 11);
  c.review_due = ReadDate(row, 12);
  c.decide_due = ReadDate(row, 13);
  c.verified_on = OptDate(row, 14);
  c.reviewed_on = OptDate(row, 15);
  c.decided_on = OptDate(row, 16);
  c.closed_on = OptDate(row, 17);
  c.version = row.Int(18);
  c.region_name = row.Text(19);
  return c;
}

// Fills the rule list of each case (in the order its alerts were recorded).
Status LoadRules(SqlConnection& conn, std::vector<Case>& cases) {
  if (cases.empty()) return {};
  std::map<int64_t, Case*> by_id;
  std::vector<SqlValue> ids;
  for (Case& c : cases) {
    by_id[c.id] = &c;
    ids.emplace_back(c.id);
  }
  FUPIN_TRY(conn.Run(fmt::format("SELECT case_id, rule FROM monitoring_alerts WHERE case_id IN "
                                 "({}) ORDER BY case_id, id",
                                 Placeholders(ids.size())),
                     ids, [&](const SqlRow& row) {
                       auto& rules = by_id.at(row.Int(0))->rules;
                       std::string rule = row.Text(1);
                       if (std::find(rules.begin(), rules.end(), rule) == rules.end()) {
                         rules.push_back(std::move(rule));
                       }
                     }));
  return {};
}

// One case in full (alerts with values, steps, measures), within `scope`.
Result<std::optional<Case>> LoadCase(SqlConnection& conn, int64_t id,
                                     const std::vector<std::string>& scope) {
  std::vector<SqlValue> params{id};
  auto in_scope = ScopeCondition(scope, "c.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::optional<Case> found;
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT {} FROM {} WHERE c.id = ? AND {}", kCaseColumns, kCaseFrom, *in_scope),
      params, [&](const SqlRow& row) { found = ReadCase(row); }));
  if (!found) return std::nullopt;
  Case& c = *found;
  const SqlValue case_id[] = {id};
  std::map<int64_t, size_t> alert_index;
  FUPIN_TRY(conn.Run(
      "SELECT id, case_id, household_id, rule, period, message_zh, message_en, detected_on "
      "FROM monitoring_alerts WHERE case_id = ? ORDER BY id",
      case_id, [&](const SqlRow& row) {
        Alert a;
        a.id = row.Int(0);
        a.case_id = row.Int(1);
        a.household_id = row.Int(2);
        a.household_number = c.household_number;
        a.region_code = c.region_code;
        a.rule = row.Text(3);
        a.period = row.Text(4);
        a.message_zh = row.Text(5);
        a.message_en = row.Text(6);
        a.detected_on = ReadDate(row, 7);
        alert_index[a.id] = c.alerts.size();
        if (std::find(c.rules.begin(), c.rules.end(), a.rule) == c.rules.end()) {
          c.rules.push_back(a.rule);
        }
        c.alerts.push_back(std::move(a));
      }));
  FUPIN_TRY(conn.Run(
      "SELECT v.alert_id, v.name, v.value FROM monitoring_alert_values v JOIN monitoring_alerts a "
      "ON a.id = v.alert_id WHERE a.case_id = ? ORDER BY v.alert_id, v.position",
      case_id, [&](const SqlRow& row) {
        c.alerts[alert_index.at(row.Int(0))].values.push_back({row.Text(1), row.Text(2)});
      }));
  FUPIN_TRY(conn.Run(
      "SELECT id, action, on_date, actor, actor_user_id, at, note, detail FROM monitoring_steps "
      "WHERE case_id = ? ORDER BY id",
      case_id, [&](const SqlRow& row) {
        c.steps.push_back({row.Int(0), row.Text(1), ReadDate(row, 2), row.Text(3), row.Int(4),
                           row.Text(5), row.Text(6), row.Text(7)});
      }));
  FUPIN_TRY(conn.Run(
      "SELECT id, case_id, household_id, kind, amount_fen, start_on, note, assigned_by, "
      "assigned_on FROM monitoring_measures WHERE case_id = ? ORDER BY id",
      case_id, [&](const SqlRow& row) {
        c.measures.push_back({row.Int(0), row.Int(1), row.Int(2), row.Text(3), OptInt(row, 4),
                              OptDate(row, 5), row.Text(6), row.Text(7), ReadDate(row, 8)});
      }));
  return found;
}

Status AddStep(SqlConnection& conn, int64_t case_id, const Step& s, const audit::Actor& actor,
               const std::string& at) {
  FUPIN_TRY(Execute(
      conn,
      "INSERT INTO monitoring_steps (case_id, action, on_date, actor, actor_user_id, "
      "at, note, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {case_id, s.action, s.on.ToString(), actor.name, actor.user_id, at, s.note, s.detail}));
  return {};
}

// The WHERE condition of a case list, without the stage and overdue filters (which the stage
// counts leave out).
Result<std::string> CaseBaseWhere(const monitoring::CaseQuery& q, std::vector<SqlValue>& params) {
  auto scope = ScopeCondition(q.scope, "c.region_code", params);
  if (!scope) return scope;
  std::string where = *scope;
  if (!q.within.empty()) {
    auto within = ScopeCondition({q.within}, "c.region_code", params);
    if (!within) return within;
    where += " AND " + *within;
  }
  if (q.household_id > 0) {
    where += " AND c.household_id = ?";
    params.emplace_back(q.household_id);
  }
  if (!q.category.empty()) {
    where += " AND c.category = ?";
    params.emplace_back(q.category);
  }
  return where;
}

}  // namespace

Result<std::vector<Threshold>> SqlMonitoringRepository::ListThresholds() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return QueryAll<Threshold>(
      **conn,
      fmt::format("SELECT {} FROM monitoring_thresholds ORDER BY province_code COLLATE \"C\", "
                  "year",
                  kThresholdColumns),
      {}, ReadThreshold);
}

Result<Threshold> SqlMonitoringRepository::SaveThreshold(const Threshold& t,
                                                         const audit::Actor& actor) {
  return InTransaction<Threshold>(pool_, [&](SqlConnection& conn) -> Result<Threshold> {
    std::optional<Threshold> before;
    const SqlValue key[] = {t.province_code, static_cast<int64_t>(t.year)};
    FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM monitoring_thresholds WHERE province_code = ? "
                                   "AND year = ?",
                                   kThresholdColumns),
                       key, [&](const SqlRow& row) { before = ReadThreshold(row); }));
    Threshold saved = t;
    saved.updated_by = actor.name;
    saved.updated_at = Now();
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO monitoring_thresholds (province_code, year, per_capita_fen, "
                      "note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (province_code, year) DO UPDATE SET per_capita_fen = "
                      "excluded.per_capita_fen, note = excluded.note, updated_by = "
                      "excluded.updated_by, updated_at = excluded.updated_at",
                      {saved.province_code, static_cast<int64_t>(saved.year), saved.per_capita_fen,
                       saved.note, saved.updated_by, saved.updated_at}));
    auto fields = [](const std::optional<Threshold>& x) {
      return x ? std::vector<audit::Field>{{"per_capita_fen", std::to_string(x->per_capita_fen),
                                            false},
                                           {"note", x->note, false}}
               : std::vector<audit::Field>{};
    };
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "monitoring_threshold";
    entry.entity_id =
        fmt::format("{}/{}", t.province_code.empty() ? "national" : t.province_code, t.year);
    entry.region_code = t.province_code;
    entry.changes = audit::Diff(fields(before), fields(saved), hmac_key_);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return saved;
  });
}

Result<std::vector<RuleOptions>> SqlMonitoringRepository::ListOptions() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return QueryAll<RuleOptions>(
      **conn,
      fmt::format("SELECT {} FROM monitoring_options ORDER BY province_code COLLATE \"C\"",
                  kOptionColumns),
      {}, ReadOptions);
}

Result<RuleOptions> SqlMonitoringRepository::SaveOptions(const RuleOptions& o,
                                                         const audit::Actor& actor) {
  return InTransaction<RuleOptions>(pool_, [&](SqlConnection& conn) -> Result<RuleOptions> {
    std::optional<RuleOptions> before;
    const SqlValue key[] = {o.province_code};
    FUPIN_TRY(conn.Run(
        fmt::format("SELECT {} FROM monitoring_options WHERE province_code = ?", kOptionColumns),
        key, [&](const SqlRow& row) { before = ReadOptions(row); }));
    const int64_t current = before ? before->version : 0;
    if (o.version != current) {
      return Conflict(
          fmt::format("the options of {} have changed (version {}, you sent {})",
                      o.province_code.empty() ? "the nation" : o.province_code, current, o.version),
          current);
    }
    RuleOptions saved = o;
    saved.version = current + 1;
    saved.updated_by = actor.name;
    saved.updated_at = Now();
    std::vector<SqlValue> values = {saved.income_drop_share,
                                    saved.medical_expense_fen,
                                    saved.medical_income_share,
                                    saved.disaster_loss_fen,
                                    saved.disaster_income_share,
                                    static_cast<int64_t>(saved.verify_days),
                                    static_cast<int64_t>(saved.review_days),
                                    static_cast<int64_t>(saved.decide_days),
                                    static_cast<int64_t>(saved.minimum_months),
                                    saved.version,
                                    saved.updated_by,
                                    saved.updated_at,
                                    saved.province_code};
    if (before) {
      FUPIN_TRY(conn.Run(
          "UPDATE monitoring_options SET income_drop_share = ?, medical_expense_fen = ?, "
          "medical_income_share = ?, disaster_loss_fen = ?, disaster_income_share = ?, "
          "verify_days = ?, review_days = ?, decide_days = ?, minimum_months = ?, version = ?, "
          "updated_by = ?, updated_at = ? WHERE province_code = ?",
          values, nullptr));
    } else {
      FUPIN_TRY(
          conn.Run("INSERT INTO monitoring_options (income_drop_share, medical_expense_fen, "
                   "medical_income_share, disaster_loss_fen, disaster_income_share, verify_days, "
                   "review_days, decide_days, minimum_months, version, updated_by, updated_at, "
                   "province_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   values, nullptr));
    }
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "monitoring_options";
    entry.entity_id = o.province_code.empty() ? "national" : o.province_code;
    entry.region_code = o.province_code;
    entry.changes = audit::Diff(before ? OptionFields(*before) : std::vector<audit::Field>{},
                                OptionFields(saved), hmac_key_);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return saved;
  });
}

Result<RiskEvent> SqlMonitoringRepository::AddRiskEvent(const RiskEvent& event,
                                                        const audit::Actor& actor) {
  return InTransaction<RiskEvent>(pool_, [&](SqlConnection& conn) -> Result<RiskEvent> {
    RiskEvent saved = event;
    saved.reported_by = actor.name;
    saved.reported_at = Now();
    const SqlValue values[] = {saved.household_id,    saved.region_code,   saved.kind,
                               Opt(saved.amount_fen), saved.on.ToString(), saved.note,
                               saved.reported_by,     saved.reported_at};
    FUPIN_TRY(
        conn.Run("INSERT INTO risk_events (household_id, region_code, kind, amount_fen, "
                 "on_date, note, reported_by, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id",
                 values, [&](const SqlRow& row) { saved.id = row.Int(0); }));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "create";
    entry.entity = "risk_event";
    entry.entity_id = std::to_string(saved.id);
    entry.region_code = saved.region_code;
    entry.note = fmt::format("household {}", saved.household_id);
    entry.changes = audit::Diff(
        {},
        {{"kind", saved.kind, false},
         {"amount_fen", saved.amount_fen ? std::to_string(*saved.amount_fen) : "", false},
         {"on", saved.on.ToString(), false},
         // A note may speak of someone's illness: only its keyed HMAC is kept.
         {"note", saved.note, true}},
        hmac_key_);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return saved;
  });
}

Result<std::vector<RiskEvent>> SqlMonitoringRepository::ListRiskEvents(
    const monitoring::RiskEventQuery& q) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto where = ScopeCondition(q.scope, "region_code", params);
  if (!where) return std::unexpected(where.error());
  std::string sql = fmt::format("SELECT {} FROM risk_events WHERE {}", kEventColumns, *where);
  if (!q.within.empty()) {
    auto within = ScopeCondition({q.within}, "region_code", params);
    if (!within) return std::unexpected(within.error());
    sql += " AND " + *within;
  }
  if (q.household_id > 0) {
    sql += " AND household_id = ?";
    params.emplace_back(q.household_id);
  }
  if (q.since) {
    sql += " AND on_date >= ?";
    params.emplace_back(q.since->ToString());
  }
  sql += " ORDER BY on_date, id";
  return QueryAll<RiskEvent>(**conn, sql, params, ReadEvent);
}

Result<monitoring::RecordedAlerts> SqlMonitoringRepository::RecordAlerts(
    std::span<const monitoring::NewAlert> alerts, const audit::Actor& actor,
    std::string_view region_code, std::string_view note) {
  return InTransaction<monitoring::RecordedAlerts>(
      pool_, [&](SqlConnection& conn) -> Result<monitoring::RecordedAlerts> {
        if (conn.backend() == Backend::kPostgres) {
          // Serializes detection runs, so that two never open two cases for one household.
          FUPIN_TRY(Execute(conn, "SELECT pg_advisory_xact_lock(7346003)"));
        }
        monitoring::RecordedAlerts out;
        const std::string at = Now();
        struct Touched {
          bool opened = false;
          Date on;
          std::string rules;
        };
        std::map<int64_t, Touched> touched;    // case id → what this run did to it
        std::map<int64_t, int64_t> open_case;  // household id → its open case (this run)
        for (const monitoring::NewAlert& n : alerts) {
          const Alert& a = n.alert;
          bool recorded = false;
          const SqlValue key[] = {a.household_id, a.rule, a.period};
          FUPIN_TRY(conn.Run(
              "SELECT 1 FROM monitoring_alerts WHERE household_id = ? AND rule = ? AND period = ?",
              key, [&](const SqlRow&) { recorded = true; }));
          if (recorded) {
            ++out.already_recorded;
            continue;
          }
          int64_t case_id = 0;
          if (auto it = open_case.find(a.household_id); it != open_case.end()) {
            case_id = it->second;
          } else {
            const SqlValue household[] = {a.household_id};
            FUPIN_TRY(conn.Run(
                "SELECT id FROM monitoring_cases WHERE household_id = ? AND closed_on IS NULL",
                household, [&](const SqlRow& row) { case_id = row.Int(0); }));
            if (case_id == 0) {
              const SqlValue values[] = {a.household_id,
                                         a.region_code,
                                         std::string(monitoring::kStageAlert),
                                         a.detected_on.ToString(),
                                         n.verify_due.ToString(),
                                         n.review_due.ToString(),
                                         n.decide_due.ToString(),
                                         n.verify_due.ToString(),
                                         at,
                                         at};
              FUPIN_TRY(conn.Run(
                  "INSERT INTO monitoring_cases (household_id, region_code, stage, opened_on, "
                  "verify_due, review_due, decide_due, due_on, created_at, updated_at) VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  values, [&](const SqlRow& row) { case_id = row.Int(0); }));
              touched[case_id].opened = true;
              ++out.cases_opened;
            }
            open_case[a.household_id] = case_id;
          }
          Touched& t = touched[case_id];
          t.on = a.detected_on;
          t.rules += (t.rules.empty() ? "" : ",") + a.rule;
          if (!t.opened) ++out.added_to_open_cases;
          Alert saved = a;
          saved.case_id = case_id;
          const SqlValue values[] = {
              case_id,      a.household_id,          a.rule, a.period, a.message_zh,
              a.message_en, a.detected_on.ToString()};
          FUPIN_TRY(conn.Run(
              "INSERT INTO monitoring_alerts (case_id, household_id, rule, period, message_zh, "
              "message_en, detected_on) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
              values, [&](const SqlRow& row) { saved.id = row.Int(0); }));
          for (size_t i = 0; i < a.values.size(); ++i) {
            FUPIN_TRY(
                Execute(conn,
                        "INSERT INTO monitoring_alert_values (alert_id, position, name, "
                        "value) VALUES (?, ?, ?, ?)",
                        {saved.id, static_cast<int64_t>(i), a.values[i].name, a.values[i].value}));
          }
          out.created.push_back(std::move(saved));
        }
        std::string opened, added;
        for (const auto& [case_id, t] : touched) {
          Step s;
          s.action = t.opened ? "opened" : "alert_added";
          s.on = t.on;
          s.detail = t.rules;
          FUPIN_TRY(AddStep(conn, case_id, s, actor, at));
          if (!t.opened) {
            FUPIN_TRY(Execute(conn,
                              "UPDATE monitoring_cases SET version = version + 1, updated_at = ? "
                              "WHERE id = ?",
                              {at, case_id}));
          }
          (t.opened ? opened : added) += " " + std::to_string(case_id);
        }
        audit::Entry entry;
        entry.actor = actor;
        entry.action = "detect";
        entry.entity = "monitoring_case";
        entry.region_code = std::string(region_code);
        entry.note = fmt::format(
            "{}; {} new alerts, {} already recorded; cases opened:{}; alerts added to open "
            "cases:{}",
            note, out.created.size(), out.already_recorded, opened.empty() ? " none" : opened,
            added.empty() ? " none" : added);
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        return out;
      });
}

Result<monitoring::CasePage> SqlMonitoringRepository::ListCases(const monitoring::CaseQuery& q) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto base = CaseBaseWhere(q, params);
  if (!base) return std::unexpected(base.error());
  const std::string today = q.today.ToString();
  monitoring::CasePage page;
  FUPIN_TRY((*conn)->Run(
      fmt::format("SELECT c.stage, count(*) FROM monitoring_cases c WHERE {} GROUP BY c.stage",
                  *base),
      params, [&](const SqlRow& row) { page.stage_counts[row.Text(0)] = row.Int(1); }));
  {
    std::vector<SqlValue> p = params;
    p.emplace_back(today);
    FUPIN_TRY((*conn)->Run(
        fmt::format("SELECT count(*) FROM monitoring_cases c WHERE {} AND c.due_on < ?", *base), p,
        [&](const SqlRow& row) { page.overdue = row.Int(0); }));
  }
  std::string where = *base;
  if (q.stage == "open") {
    where += " AND c.stage IN ('alert', 'village_verified', 'township_reviewed')";
  } else if (q.stage == "decided") {
    where += " AND c.stage IN ('monitored', 'risk_eliminated')";
  } else if (!q.stage.empty()) {
    where += " AND c.stage = ?";
    params.emplace_back(q.stage);
  }
  if (q.overdue_only) {
    where += " AND c.due_on < ?";
    params.emplace_back(today);
  }
  FUPIN_TRY((*conn)->Run(fmt::format("SELECT count(*) FROM monitoring_cases c WHERE {}", where),
                         params, [&](const SqlRow& row) { page.total = row.Int(0); }));
  if (q.limit <= 0 || page.total == 0) return page;
  params.emplace_back(today);
  params.emplace_back(q.limit);
  params.emplace_back(q.offset);
  // Overdue first (the longest overdue first), then by the next due date (ties by id), then
  // the cases that wait for nobody, newest first.
  FUPIN_TRY(
      (*conn)->Run(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY CASE WHEN c.due_on < ? THEN 0 "
                               "WHEN c.due_on IS NOT NULL THEN 1 ELSE 2 END, c.due_on, "
                               "CASE WHEN c.due_on IS NULL THEN -c.id ELSE c.id END "
                               "LIMIT ? OFFSET ?",
                               kCaseColumns, kCaseFrom, where),
                   params, [&](const SqlRow& row) { page.items.push_back(ReadCase(row)); }));
  FUPIN_TRY(LoadRules(**conn, page.items));
  return page;
}

Result<std::optional<Case>> SqlMonitoringRepository::FindCase(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadCase(**conn, id, scope);
}

Result<std::optional<std::string>> SqlMonitoringRepository::CaseRegion(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::optional<std::string> region;
  const SqlValue params[] = {id};
  FUPIN_TRY((*conn)->Run("SELECT region_code FROM monitoring_cases WHERE id = ?", params,
                         [&](const SqlRow& row) { region = row.Text(0); }));
  return region;
}

Result<Case> SqlMonitoringRepository::ApplyTransition(const monitoring::Transition& t,
                                                      const audit::Actor& actor) {
  return InTransaction<Case>(pool_, [&](SqlConnection& conn) -> Result<Case> {
    auto before = LoadCase(conn, t.case_id, {""});
    if (!before) return std::unexpected(before.error());
    if (!*before) return NotFound(fmt::format("no monitoring case with id {}", t.case_id));
    const Case& old = **before;
    if (old.stage != t.from_stage) {
      return FailedPrecondition(fmt::format("case {} is {} now, no longer {}: reload it", t.case_id,
                                            old.stage, t.from_stage));
    }
    const std::string at = Now();
    const std::string on = t.step.on.ToString();
    std::string set = "stage = ?, version = version + 1, updated_at = ?";
    std::vector<SqlValue> values = {t.to_stage, at};
    const std::string_view to = t.to_stage;
    if (to == monitoring::kStageVerified) {
      set += ", verified_on = ?, village_confirmed = ?, due_on = review_due";
      values.insert(values.end(), {on, Opt(t.village_confirmed)});
    } else if (to == monitoring::kStageReviewed) {
      set += ", reviewed_on = ?, recommendation = ?, due_on = decide_due";
      values.insert(values.end(), {on, t.recommendation});
    } else if (to == monitoring::kStageMonitored) {
      set += ", decided_on = ?, category = ?, due_on = NULL";
      values.insert(values.end(), {on, t.category});
    } else if (to == monitoring::kStageDismissed) {
      set += ", decided_on = ?, closed_on = ?, dismiss_reason = ?, due_on = NULL";
      values.insert(values.end(), {on, on, t.dismiss_reason});
    } else if (to == monitoring::kStageEliminated) {
      set += ", closed_on = ?, due_on = NULL";
      values.emplace_back(on);
    } else {
      return Internal(fmt::format("no transition to stage {}", t.to_stage));
    }
    values.emplace_back(t.case_id);
    values.emplace_back(t.from_stage);
    auto changed =
        conn.Run(fmt::format("UPDATE monitoring_cases SET {} WHERE id = ? AND stage = ?", set),
                 values, nullptr);
    if (!changed) return std::unexpected(changed.error());
    if (*changed != 1) {
      return FailedPrecondition(fmt::format("case {} changed meanwhile: reload it", t.case_id));
    }
    FUPIN_TRY(AddStep(conn, t.case_id, t.step, actor, at));
    std::vector<audit::Field> old_fields = {{"stage", old.stage, false}};
    std::vector<audit::Field> new_fields = {{"stage", t.to_stage, false}};
    auto field = [&](const char* name, const std::string& value) {
      if (!value.empty()) new_fields.push_back({name, value, false});
    };
    if (t.village_confirmed) field("village_confirmed", *t.village_confirmed ? "yes" : "no");
    field("recommendation", t.recommendation);
    field("category", t.category);
    field("dismiss_reason", t.dismiss_reason);
    if (t.status_event) {
      auto status_before = AppendStatusEvent(conn, old.household_id, *t.status_event);
      if (!status_before) return std::unexpected(status_before.error());
      old_fields.push_back({"household.status", *status_before, false});
      new_fields.push_back({"household.status", t.status_event->status, false});
    }
    audit::Entry entry;
    entry.actor = actor;
    entry.action = t.step.action;
    entry.entity = "monitoring_case";
    entry.entity_id = std::to_string(t.case_id);
    entry.region_code = old.region_code;
    entry.note = t.step.note;
    entry.changes = audit::Diff(old_fields, new_fields, hmac_key_);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    auto after = LoadCase(conn, t.case_id, {""});
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal("the case vanished inside its own transaction");
    return std::move(**after);
  });
}

Result<Measure> SqlMonitoringRepository::AddMeasure(const Measure& measure, const Date& on,
                                                    const audit::Actor& actor) {
  return InTransaction<Measure>(pool_, [&](SqlConnection& conn) -> Result<Measure> {
    std::optional<std::string> stage;
    std::string region;
    const SqlValue key[] = {measure.case_id};
    FUPIN_TRY(conn.Run("SELECT stage, region_code FROM monitoring_cases WHERE id = ?", key,
                       [&](const SqlRow& row) {
                         stage = row.Text(0);
                         region = row.Text(1);
                       }));
    if (!stage) return NotFound(fmt::format("no monitoring case with id {}", measure.case_id));
    if (*stage != monitoring::kStageMonitored) {
      return FailedPrecondition(fmt::format(
          "case {} is {}: measures are assigned to monitored cases", measure.case_id, *stage));
    }
    Measure saved = measure;
    saved.assigned_by = actor.name;
    saved.assigned_on = on;
    const SqlValue values[] = {saved.case_id,         saved.household_id,  saved.kind,
                               Opt(saved.amount_fen), Opt(saved.start_on), saved.note,
                               saved.assigned_by,     on.ToString()};
    FUPIN_TRY(
        conn.Run("INSERT INTO monitoring_measures (case_id, household_id, kind, amount_fen, "
                 "start_on, note, assigned_by, assigned_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id",
                 values, [&](const SqlRow& row) { saved.id = row.Int(0); }));
    const std::string at = Now();
    Step s;
    s.action = "measure";
    s.on = on;
    s.note = saved.note;
    s.detail = saved.kind;
    FUPIN_TRY(AddStep(conn, saved.case_id, s, actor, at));
    FUPIN_TRY(Execute(conn,
                      "UPDATE monitoring_cases SET version = version + 1, updated_at = ? WHERE "
                      "id = ?",
                      {at, saved.case_id}));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "measure";
    entry.entity = "monitoring_case";
    entry.entity_id = std::to_string(saved.case_id);
    entry.region_code = region;
    entry.note = saved.note;
    entry.changes = audit::Diff(
        {},
        {{"measure.kind", saved.kind, false},
         {"measure.amount_fen", saved.amount_fen ? std::to_string(*saved.amount_fen) : "", false},
         {"measure.start_on", saved.start_on ? saved.start_on->ToString() : "", false}},
        hmac_key_);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return saved;
  });
}

}  // namespace fupin::storage
