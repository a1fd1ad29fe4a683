#include "storage/subsidy_store.h"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using workshops::AmountBand;
using workshops::Condition;
using workshops::SubsidyLine;
using workshops::SubsidyPayment;
using workshops::SubsidyRule;
using workshops::SubsidyRun;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

Date DateOf(const SqlRow& row, int c) { return ParseDate(row.Text(c)).value_or(Date{}); }

std::string Yuan(int64_t fen) {
  return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", std::llabs(fen) / 100,
                     std::llabs(fen) % 100);
}

std::string Number(double v) { return fmt::format("{}", v); }

constexpr std::string_view kRuleColumns =
    "r.id, r.code, v.version, v.name, v.region_code, v.valid_from, v.valid_to, v.unit, "
    "v.amount_fen, v.amount_fact, v.cap_fen, v.basis";

SubsidyRule ReadRule(const SqlRow& row) {
  SubsidyRule r;
  r.id = row.Int(0);
  r.code = row.Text(1);
  r.version = row.Int(2);
  r.name = row.Text(3);
  r.region_code = row.Text(4);
  r.valid_from = DateOf(row, 5);
  r.valid_to = DateOf(row, 6);
  r.unit = row.Text(7);
  r.amount_fen = row.Int(8);
  r.amount_fact = row.Text(9);
  if (!row.IsNull(10)) r.cap_fen = row.Int(10);
  r.basis = row.Text(11);
  return r;
}

// Fills in the conditions and bands of each rule (at its version).
Status LoadRuleChildren(SqlConnection& conn, std::vector<SubsidyRule>& rules) {
  for (SubsidyRule& r : rules) {
    const SqlValue key[] = {r.id, r.version};
    FUPIN_TRY(conn.Run(
        "SELECT fact, op, value FROM subsidy_rule_conditions WHERE rule_id = ? AND version = ? "
        "ORDER BY position",
        key, [&](const SqlRow& row) {
          r.conditions.push_back({row.Text(0), row.Text(1), row.Text(2)});
        }));
    FUPIN_TRY(conn.Run(
        "SELECT min_value, max_value, amount_fen FROM subsidy_rule_bands WHERE rule_id = ? AND "
        "version = ? ORDER BY position",
        key, [&](const SqlRow& row) {
          AmountBand b;
          b.min = row.Double(0);
          if (!row.IsNull(1)) b.max = row.Double(1);
          b.amount_fen = row.Int(2);
          r.bands.push_back(b);
        }));
  }
  return {};
}

// Rules matching `where` (over r and v) with `params`, with their children.
Result<std::vector<SubsidyRule>> RulesWhere(SqlConnection& conn, std::string_view where,
                                            std::span<const SqlValue> params) {
  std::vector<SubsidyRule> out;
  FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM subsidy_rules r JOIN subsidy_rule_versions v ON "
                                 "v.rule_id = r.id WHERE {} ORDER BY r.code, v.version",
                                 kRuleColumns, where),
                     params, [&](const SqlRow& row) { out.push_back(ReadRule(row)); }));
  FUPIN_TRY(LoadRuleChildren(conn, out));
  return out;
}

Result<std::optional<SubsidyRule>> FindRuleOn(SqlConnection& conn, int64_t id, int64_t version) {
  std::vector<SqlValue> params{id};
  std::string where = "r.id = ? AND v.version = r.current_version";
  if (version > 0) {
    where = "r.id = ? AND v.version = ?";
    params.emplace_back(version);
  }
  auto rules = RulesWhere(conn, where, params);
  if (!rules) return std::unexpected(rules.error());
  if (rules->empty()) return std::optional<SubsidyRule>();
  return std::optional<SubsidyRule>(std::move(rules->front()));
}

std::vector<audit::Field> AuditFields(const SubsidyRule& r) {
  std::string conditions;
  for (const Condition& c : r.conditions) {
    conditions += fmt::format("{}{} {} {}", conditions.empty() ? "" : "; ", c.fact, c.op, c.value);
  }
  std::string bands;
  for (const AmountBand& b : r.bands) {
    bands += fmt::format("{}[{}, {}]: {}", bands.empty() ? "" : "; ", Number(b.min),
                         b.max ? Number(*b.max) : "∞", b.amount_fen);
  }
  return {{"code", r.code, false},
          {"name", r.name, false},
          {"region", r.region_code, false},
          {"valid_from", r.valid_from.ToString(), false},
          {"valid_to", r.valid_to.ToString(), false},
          {"unit", r.unit, false},
          {"conditions", conditions, false},
          {"amount_fen", std::to_string(r.amount_fen), false},
          {"amount_fact", r.amount_fact, false},
          {"bands", bands, false},
          {"cap_fen", r.cap_fen ? std::to_string(*r.cap_fen) : "", false},
          {"basis", r.basis, false}};
}

constexpr std::string_view kRunColumns =
    "run.id, run.rule_id, r.code, v.name, run.rule_version, v.unit, run.region_code, "
    "run.period_from, run.period_to, run.window_from, run.window_to, run.applies, run.units, "
    "run.eligible, run.total_fen, run.run_by, run.run_at, "
    "(SELECT coalesce(sum(l.approved_fen), 0) FROM subsidy_run_lines l WHERE l.run_id = run.id), "
    "(SELECT coalesce(sum(l.paid_fen), 0) FROM subsidy_run_lines l WHERE l.run_id = run.id), "
    "(SELECT count(*) FROM subsidy_run_lines l WHERE l.run_id = run.id AND l.qualifies = 1 AND "
    "l.decision = 'pending')";
constexpr std::string_view kRunFrom =
    "subsidy_runs run JOIN subsidy_rules r ON r.id = run.rule_id JOIN subsidy_rule_versions v ON "
    "v.rule_id = run.rule_id AND v.version = run.rule_version";

SubsidyRun ReadRun(const SqlRow& row) {
  SubsidyRun run;
  run.id = row.Int(0);
  run.rule_id = row.Int(1);
  run.rule_code = row.Text(2);
  run.rule_name = row.Text(3);
  run.rule_version = row.Int(4);
  run.unit = row.Text(5);
  run.region_code = row.Text(6);
  run.period_from = DateOf(row, 7);
  run.period_to = DateOf(row, 8);
  run.window_from = DateOf(row, 9);
  run.window_to = DateOf(row, 10);
  run.applies = row.Int(11) != 0;
  run.units = row.Int(12);
  run.eligible = row.Int(13);
  run.total_fen = row.Int(14);
  run.run_by = row.Text(15);
  run.run_at = row.Text(16);
  run.approved_fen = row.Int(17);
  run.paid_fen = row.Int(18);
  run.pending = row.Int(19);
  return run;
}

constexpr std::string_view kLineColumns =
    "l.id, l.run_id, l.unit, l.workshop_id, w.name, l.member_id, m.name, l.employment_id, "
    "l.qualifies, l.amount_fen, l.explanation, l.decision, l.approved_fen, l.reason, "
    "l.reviewed_by, l.reviewed_at, l.paid_fen";
constexpr std::string_view kLineFrom =
    "subsidy_run_lines l JOIN workshops w ON w.id = l.workshop_id LEFT JOIN members m ON m.id = "
    "l.member_id";

SubsidyLine ReadLine(const SqlRow& row) {
  SubsidyLine l;
  l.id = row.Int(0);
  l.run_id = row.Int(1);
  l.unit = row.Text(2);
  l.workshop_id = row.Int(3);
  l.workshop_name = row.Text(4);
  l.member_id = row.IsNull(5) ? 0 : row.Int(5);
  l.member_name = row.IsNull(6) ? "" : row.Text(6);
  l.employment_id = row.IsNull(7) ? 0 : row.Int(7);
  l.qualifies = row.Int(8) != 0;
  l.amount_fen = row.Int(9);
  l.explanation = row.Text(10);
  l.decision = row.Text(11);
  l.approved_fen = row.Int(12);
  l.reason = row.Text(13);
  l.reviewed_by = row.Text(14);
  l.reviewed_at = row.Text(15);
  l.paid_fen = row.Int(16);
  return l;
}

Result<std::optional<SubsidyRun>> FindRunOn(SqlConnection& conn, int64_t id,
                                            const std::vector<std::string>& scope) {
  std::vector<SqlValue> params{id};
  auto in_scope = ScopeCondition(scope, "run.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::optional<SubsidyRun> run;
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT {} FROM {} WHERE run.id = ? AND {}", kRunColumns, kRunFrom, *in_scope),
      params, [&](const SqlRow& row) { run = ReadRun(row); }));
  if (!run) return run;
  const SqlValue key[] = {id};
  FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM {} WHERE l.run_id = ? ORDER BY l.position",
                                 kLineColumns, kLineFrom),
                     key, [&](const SqlRow& row) { run->lines.push_back(ReadLine(row)); }));
  return run;
}

constexpr std::string_view kPaymentSelect =
    "SELECT p.id, p.line_id, p.paid_on, p.amount_fen, p.voucher, p.payee, p.note, "
    "p.recorded_by, p.recorded_at, l.run_id, run.rule_id, r.code, v.name, run.rule_version, "
    "l.workshop_id, w.name, w.region_code, l.member_id, m.name FROM subsidy_payments p JOIN "
    "subsidy_run_lines l ON l.id = p.line_id JOIN subsidy_runs run ON run.id = l.run_id JOIN "
    "subsidy_rules r ON r.id = run.rule_id JOIN subsidy_rule_versions v ON v.rule_id = "
    "run.rule_id AND v.version = run.rule_version JOIN workshops w ON w.id = l.workshop_id LEFT "
    "JOIN members m ON m.id = l.member_id";

SubsidyPayment ReadPayment(const SqlRow& row) {
  SubsidyPayment p;
  p.id = row.Int(0);
  p.line_id = row.Int(1);
  p.paid_on = DateOf(row, 2);
  p.amount_fen = row.Int(3);
  p.voucher = row.Text(4);
  p.payee = row.Text(5);
  p.note = row.Text(6);
  p.recorded_by = row.Text(7);
  p.recorded_at = row.Text(8);
  p.run_id = row.Int(9);
  p.rule_id = row.Int(10);
  p.rule_code = row.Text(11);
  p.rule_name = row.Text(12);
  p.rule_version = row.Int(13);
  p.workshop_id = row.Int(14);
  p.workshop_name = row.Text(15);
  p.region_code = row.Text(16);
  p.member_id = row.IsNull(17) ? 0 : row.Int(17);
  p.member_name = row.IsNull(18) ? "" : row.Text(18);
  return p;
}

}  // namespace

Result<std::vector<SubsidyRule>> SqlSubsidyRepository::ListRules() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return RulesWhere(**conn, "v.version = r.current_version", {});
}

Result<std::optional<SubsidyRule>> SqlSubsidyRepository::FindRule(int64_t id, int64_t version) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return FindRuleOn(**conn, id, version);
}

Result<std::optional<SubsidyRule>> SqlSubsidyRepository::FindRuleByCode(const std::string& code) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  const SqlValue params[] = {code};
  auto rules = RulesWhere(**conn, "r.code = ? AND v.version = r.current_version", params);
  if (!rules) return std::unexpected(rules.error());
  if (rules->empty()) return std::optional<SubsidyRule>();
  return std::optional<SubsidyRule>(std::move(rules->front()));
}

Result<std::vector<SubsidyRule>> SqlSubsidyRepository::RuleVersions(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  const SqlValue params[] = {id};
  return RulesWhere(**conn, "r.id = ?", params);
}

Result<SubsidyRule> SqlSubsidyRepository::SaveRule(const SubsidyRule& rule,
                                                   const audit::Actor& actor) {
  return InTransaction<SubsidyRule>(pool_, [&](SqlConnection& conn) -> Result<SubsidyRule> {
    bool region = false;
    const SqlValue code_of_region[] = {rule.region_code};
    FUPIN_TRY(conn.Run("SELECT 1 FROM regions WHERE code = ?", code_of_region,
                       [&](const SqlRow&) { region = true; }));
    if (!region) {
      return InvalidArgument(fmt::format("no region {}", rule.region_code),
                             {{0, "region", rule.region_code, "no such region"}});
    }
    const std::string now = Now();
    int64_t id = rule.id;
    int64_t version = 1;
    std::optional<SubsidyRule> before;
    if (id == 0) {
      bool taken = false;
      const SqlValue code[] = {rule.code};
      FUPIN_TRY(conn.Run("SELECT 1 FROM subsidy_rules WHERE code = ?", code,
                         [&](const SqlRow&) { taken = true; }));
      if (taken) {
        return MakeError(ErrorCode::kAlreadyExists,
                         fmt::format("a subsidy rule with code {} exists", rule.code),
                         {{0, "code", rule.code, "is taken by another rule"}});
      }
      FUPIN_TRY(
          conn.Run("INSERT INTO subsidy_rules (code, region_code, current_version, created_at, "
                   "updated_at) VALUES (?, ?, 1, ?, ?) RETURNING id",
                   std::vector<SqlValue>{rule.code, rule.region_code, now, now},
                   [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      auto stored = FindRuleOn(conn, id, 0);
      if (!stored) return std::unexpected(stored.error());
      if (!*stored) return NotFound(fmt::format("no subsidy rule with id {}", id));
      if ((*stored)->version != rule.version) {
        return Conflict(fmt::format("subsidy rule {} was changed by someone else: you edited "
                                    "version {}, the current version is {}",
                                    (*stored)->code, rule.version, (*stored)->version),
                        (*stored)->version);
      }
      version = (*stored)->version + 1;
      before = std::move(*stored);
      FUPIN_TRY(Execute(conn,
                        "UPDATE subsidy_rules SET current_version = ?, region_code = ?, "
                        "updated_at = ? WHERE id = ?",
                        {version, rule.region_code, now, id}));
    }
    FUPIN_TRY(Execute(
        conn,
        "INSERT INTO subsidy_rule_versions (rule_id, version, name, region_code, valid_from, "
        "valid_to, unit, amount_fen, amount_fact, cap_fen, basis, created_by, created_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, version, rule.name, rule.region_code, rule.valid_from.ToString(),
         rule.valid_to.ToString(), rule.unit, rule.amount_fen, rule.amount_fact,
         rule.cap_fen ? SqlValue(*rule.cap_fen) : SqlValue(nullptr), rule.basis, actor.name, now}));
    for (size_t i = 0; i < rule.conditions.size(); ++i) {
      const Condition& c = rule.conditions[i];
      FUPIN_TRY(Execute(conn,
                        "INSERT INTO subsidy_rule_conditions (rule_id, version, position, fact, "
                        "op, value) VALUES (?, ?, ?, ?, ?, ?)",
                        {id, version, static_cast<int64_t>(i), c.fact, c.op, c.value}));
    }
    for (size_t i = 0; i < rule.bands.size(); ++i) {
      const AmountBand& b = rule.bands[i];
      FUPIN_TRY(Execute(conn,
                        "INSERT INTO subsidy_rule_bands (rule_id, version, position, min_value, "
                        "max_value, amount_fen) VALUES (?, ?, ?, ?, ?, ?)",
                        {id, version, static_cast<int64_t>(i), b.min,
                         b.max ? SqlValue(*b.max) : SqlValue(nullptr), b.amount_fen}));
    }
    auto after = FindRuleOn(conn, id, version);
    if (!after) return std::unexpected(after.error());
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "subsidy_rule";
    entry.entity_id = std::to_string(id);
    entry.region_code = rule.region_code;
    entry.changes = audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                AuditFields(**after), "");
    entry.note = fmt::format("version {}", version);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return std::move(**after);
  });
}

Result<SubsidyRun> SqlSubsidyRepository::SaveRun(const SubsidyRun& run, const audit::Actor& actor) {
  return InTransaction<SubsidyRun>(pool_, [&](SqlConnection& conn) -> Result<SubsidyRun> {
    int64_t id = 0;
    FUPIN_TRY(conn.Run(
        "INSERT INTO subsidy_runs (rule_id, rule_version, region_code, period_from, period_to, "
        "window_from, window_to, applies, units, eligible, total_fen, run_by, run_at) VALUES (?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        std::vector<SqlValue>{
            run.rule_id, run.rule_version, run.region_code, run.period_from.ToString(),
            run.period_to.ToString(), run.window_from.ToString(), run.window_to.ToString(),
            static_cast<int64_t>(run.applies), static_cast<int64_t>(run.lines.size()), run.eligible,
            run.total_fen, actor.name, Now()},
        [&](const SqlRow& row) { id = row.Int(0); }));
    auto insert = conn.PrepareStatement(
        "INSERT INTO subsidy_run_lines (run_id, position, unit, workshop_id, member_id, "
        "employment_id, qualifies, amount_fen, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return std::unexpected(insert.error());
    SqlStatement& stmt = **insert;
    for (size_t i = 0; i < run.lines.size(); ++i) {
      const SubsidyLine& l = run.lines[i];
      stmt.Bind(0, id);
      stmt.Bind(1, static_cast<int64_t>(i));
      stmt.Bind(2, l.unit);
      stmt.Bind(3, l.workshop_id);
      if (l.member_id > 0) {
        stmt.Bind(4, l.member_id);
      } else {
        stmt.BindNull(4);
      }
      if (l.employment_id > 0) {
        stmt.Bind(5, l.employment_id);
      } else {
        stmt.BindNull(5);
      }
      stmt.Bind(6, static_cast<int64_t>(l.qualifies));
      stmt.Bind(7, l.amount_fen);
      stmt.Bind(8, l.explanation);
      FUPIN_TRY(stmt.Run([](const SqlRow&) {}));
    }
    auto stored = FindRunOn(conn, id, {""});
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return Internal("the run just stored cannot be read back");
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "run";
    entry.entity = "subsidy_run";
    entry.entity_id = std::to_string(id);
    entry.region_code = run.region_code;
    entry.note =
        fmt::format("rule {} version {} over {} to {} in {}: {} units, {} eligible, {} yuan in all",
                    (*stored)->rule_code, run.rule_version, run.period_from.ToString(),
                    run.period_to.ToString(), run.region_code, run.lines.size(), run.eligible,
                    Yuan(run.total_fen));
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return std::move(**stored);
  });
}

Result<std::optional<SubsidyRun>> SqlSubsidyRepository::FindRun(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return FindRunOn(**conn, id, scope);
}

Result<std::vector<SubsidyRun>> SqlSubsidyRepository::ListRuns(const workshops::RunQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto in_scope = ScopeCondition(query.scope, "run.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::string where = *in_scope;
  if (query.rule_id > 0) {
    where += " AND run.rule_id = ?";
    params.emplace_back(query.rule_id);
  }
  params.emplace_back(query.limit > 0 ? query.limit : int64_t{100});
  std::vector<SubsidyRun> out;
  FUPIN_TRY((*conn)->Run(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY run.id DESC LIMIT ?",
                                     kRunColumns, kRunFrom, where),
                         params, [&](const SqlRow& row) { out.push_back(ReadRun(row)); }));
  return out;
}

Result<std::vector<SubsidyLine>> SqlSubsidyRepository::Review(int64_t run_id,
                                                              std::span<const int64_t> line_ids,
                                                              std::string_view decision,
                                                              const std::string& reason,
                                                              const audit::Actor& actor) {
  using R = std::vector<SubsidyLine>;
  if (decision != workshops::kApproved && decision != workshops::kRejected) {
    return InvalidArgument(
        "a review decides approved or rejected",
        {{0, "decision", std::string(decision), "must be approved or rejected"}});
  }
  return InTransaction<R>(pool_, [&](SqlConnection& conn) -> Result<R> {
    const bool approve = decision == workshops::kApproved;
    std::vector<ErrorDetail> problems;
    std::vector<SubsidyLine> before;
    std::vector<std::string> regions;
    for (size_t i = 0; i < line_ids.size(); ++i) {
      const std::string field = fmt::format("lines[{}]", i + 1);
      std::optional<SubsidyLine> line;
      std::string region;
      const SqlValue key[] = {line_ids[i]};
      FUPIN_TRY(conn.Run(
          fmt::format("SELECT {}, w.region_code FROM {} WHERE l.id = ?", kLineColumns, kLineFrom),
          key, [&](const SqlRow& row) {
            line = ReadLine(row);
            region = row.Text(17);
          }));
      const std::string id = std::to_string(line_ids[i]);
      if (!line || line->run_id != run_id) {
        problems.push_back({0, field, id, fmt::format("is not a line of run {}", run_id)});
        continue;
      }
      if (line->paid_fen > 0) {
        problems.push_back(
            {0, field, id,
             fmt::format("has payments ({} yuan): its decision stands", Yuan(line->paid_fen))});
        continue;
      }
      if (approve && !line->qualifies) {
        problems.push_back(
            {0, field, id, "does not qualify under the rule: only qualifying lines are approved"});
        continue;
      }
      before.push_back(std::move(*line));
      regions.push_back(std::move(region));
    }
    if (!problems.empty()) {
      std::string message =
          fmt::format("{} of {} lines cannot be {}", problems.size(), line_ids.size(), decision);
      return InvalidArgument(std::move(message), std::move(problems));
    }
    const std::string now = Now();
    R out;
    for (size_t i = 0; i < before.size(); ++i) {
      const SubsidyLine& l = before[i];
      const int64_t approved = approve ? l.amount_fen : 0;
      FUPIN_TRY(Execute(conn,
                        "UPDATE subsidy_run_lines SET decision = ?, approved_fen = ?, reason = ?, "
                        "reviewed_by = ?, reviewed_at = ? WHERE id = ? AND paid_fen = 0",
                        {std::string(decision), approved, reason, actor.name, now, l.id}));
      audit::Entry entry;
      entry.actor = actor;
      entry.action = approve ? "approve" : "reject";
      entry.entity = "subsidy_line";
      entry.entity_id = std::to_string(l.id);
      entry.region_code = regions[i];
      entry.changes = audit::Diff({{"decision", l.decision, false},
                                   {"approved_fen", std::to_string(l.approved_fen), false},
                                   {"reason", l.reason, false}},
                                  {{"decision", std::string(decision), false},
                                   {"approved_fen", std::to_string(approved), false},
                                   {"reason", reason, false}},
                                  "");
      entry.note = fmt::format("run {}, workshop {}{}", run_id, l.workshop_id,
                               l.member_id ? fmt::format(", member {}", l.member_id) : "");
      FUPIN_TRY(AppendAudit(conn, std::move(entry)));
      const SqlValue key[] = {l.id};
      FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM {} WHERE l.id = ?", kLineColumns, kLineFrom),
                         key, [&](const SqlRow& row) { out.push_back(ReadLine(row)); }));
    }
    return out;
  });
}

Result<SubsidyPayment> SqlSubsidyRepository::RecordPayment(const SubsidyPayment& p,
                                                           const std::vector<std::string>& scope,
                                                           const audit::Actor& actor) {
  return InTransaction<SubsidyPayment>(pool_, [&](SqlConnection& conn) -> Result<SubsidyPayment> {
    std::vector<SqlValue> params{p.line_id};
    auto in_scope = ScopeCondition(scope, "w.region_code", params);
    if (!in_scope) return std::unexpected(in_scope.error());
    std::optional<SubsidyLine> line;
    std::string region;
    FUPIN_TRY(conn.Run(fmt::format("SELECT {}, w.region_code FROM {} WHERE l.id = ? AND {}",
                                   kLineColumns, kLineFrom, *in_scope),
                       params, [&](const SqlRow& row) {
                         line = ReadLine(row);
                         region = row.Text(17);
                       }));
    if (!line) return NotFound(fmt::format("no subsidy line with id {}", p.line_id));
    const std::string id = std::to_string(p.line_id);
    if (line->decision != workshops::kApproved) {
      return InvalidArgument(fmt::format("subsidy line {} is {}: only approved lines can be paid",
                                         p.line_id, line->decision),
                             {{0, "line_id", id,
                               line->decision == workshops::kRejected
                                   ? "is rejected: only approved lines can be paid"
                                   : "is not reviewed yet: only approved lines can be paid"}});
    }
    // The check and the addition in one statement, so that concurrent payments cannot
    // overrun the line.
    auto added = Execute(conn,
                         "UPDATE subsidy_run_lines SET paid_fen = paid_fen + ? WHERE id = ? AND "
                         "decision = 'approved' AND paid_fen + ? <= approved_fen",
                         {p.amount_fen, p.line_id, p.amount_fen});
    if (!added) return std::unexpected(added.error());
    if (*added == 0) {
      int64_t approved = line->approved_fen;
      int64_t paid = line->paid_fen;
      const SqlValue key[] = {p.line_id};
      FUPIN_TRY(conn.Run("SELECT approved_fen, paid_fen FROM subsidy_run_lines WHERE id = ?", key,
                         [&](const SqlRow& row) {
                           approved = row.Int(0);
                           paid = row.Int(1);
                         }));
      return InvalidArgument(
          fmt::format("a payment of {} yuan exceeds what is left to pay on subsidy line {}: "
                      "approved {}, paid {}, left {}",
                      Yuan(p.amount_fen), p.line_id, Yuan(approved), Yuan(paid),
                      Yuan(approved - paid)),
          {{0, "amount_fen", std::to_string(p.amount_fen),
            fmt::format("exceeds what is left to pay: approved {}, paid {}, left {} (yuan)",
                        Yuan(approved), Yuan(paid), Yuan(approved - paid))}});
    }
    int64_t payment_id = 0;
    FUPIN_TRY(conn.Run(
        "INSERT INTO subsidy_payments (line_id, paid_on, amount_fen, voucher, payee, note, "
        "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        std::vector<SqlValue>{p.line_id, p.paid_on.ToString(), p.amount_fen, p.voucher, p.payee,
                              p.note, actor.name, Now()},
        [&](const SqlRow& row) { payment_id = row.Int(0); }));
    std::optional<SubsidyPayment> stored;
    const SqlValue key[] = {payment_id};
    FUPIN_TRY(conn.Run(fmt::format("{} WHERE p.id = ?", kPaymentSelect), key,
                       [&](const SqlRow& row) { stored = ReadPayment(row); }));
    if (!stored) return Internal("the payment just stored cannot be read back");
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "pay";
    entry.entity = "subsidy_payment";
    entry.entity_id = std::to_string(payment_id);
    entry.region_code = region;
    entry.changes = audit::Diff({},
                                {{"line_id", id, false},
                                 {"paid_on", p.paid_on.ToString(), false},
                                 {"amount_fen", std::to_string(p.amount_fen), false},
                                 {"voucher", p.voucher, false},
                                 {"payee", p.payee, false}},
                                "");
    entry.note =
        fmt::format("rule {} version {}, run {}, workshop {}: paid {} of {} yuan approved",
                    stored->rule_code, stored->rule_version, stored->run_id, stored->workshop_id,
                    Yuan(line->paid_fen + p.amount_fen), Yuan(line->approved_fen));
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return std::move(*stored);
  });
}

Result<std::vector<SubsidyPayment>> SqlSubsidyRepository::ListPayments(
    const workshops::PaymentQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto in_scope = ScopeCondition(query.scope, "w.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::string where = *in_scope;
  if (!query.within.empty()) {
    std::vector<std::string> within{query.within};
    auto sub = ScopeCondition(within, "w.region_code", params);
    if (!sub) return std::unexpected(sub.error());
    where += " AND " + *sub;
  }
  if (query.rule_id > 0) {
    where += " AND run.rule_id = ?";
    params.emplace_back(query.rule_id);
  }
  if (query.workshop_id > 0) {
    where += " AND l.workshop_id = ?";
    params.emplace_back(query.workshop_id);
  }
  if (query.run_id > 0) {
    where += " AND l.run_id = ?";
    params.emplace_back(query.run_id);
  }
  if (query.year > 0) {
    where += " AND p.paid_on BETWEEN ? AND ?";
    params.emplace_back(fmt::format("{:04}-01-01", query.year));
    params.emplace_back(fmt::format("{:04}-12-31", query.year));
  }
  std::vector<SubsidyPayment> out;
  FUPIN_TRY((*conn)->Run(fmt::format("{} WHERE {} ORDER BY p.paid_on, p.id", kPaymentSelect, where),
                         params, [&](const SqlRow& row) { out.push_back(ReadPayment(row)); }));
  return out;
}

}  // namespace fupin::storage
