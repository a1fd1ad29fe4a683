#include "workshops/subsidy_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "access/permissions.h"

namespace fupin::workshops {
namespace {

bool Overlaps(std::string_view a, std::string_view b) {
  return access::InSubtree(a, b) || access::InSubtree(b, a);
}

bool Visible(const SubsidyRule& rule, const std::vector<std::string>& scope) {
  return std::any_of(scope.begin(), scope.end(),
                     [&](const std::string& s) { return Overlaps(s, rule.region_code); });
}

bool Within(const std::vector<std::string>& scope, std::string_view region) {
  return std::any_of(scope.begin(), scope.end(),
                     [&](const std::string& s) { return access::InSubtree(s, region); });
}

}  // namespace

std::string Explain(const SubsidyResult& r) {
  std::string out;
  for (const SubsidyResult::Check& c : r.checks) {
    out += fmt::format("{}{} {} {}: {} {}", out.empty() ? "" : "; ", c.condition.fact,
                       c.condition.op, c.condition.value, c.actual, c.passed ? "✓" : "✗");
  }
  if (r.eligible) {
    out += fmt::format("{}→ {}", out.empty() ? "" : " ", r.amount_formula);
  } else {
    out += fmt::format("{}→ not eligible", out.empty() ? "" : " ");
    if (!r.amount_formula.empty()) out += " (" + r.amount_formula + ")";
  }
  return out;
}

Result<std::vector<SubsidyRule>> SubsidyService::Rules(const std::vector<std::string>& scope,
                                                       const std::string& region) {
  auto all = repository_.ListRules();
  if (!all) return std::unexpected(all.error());
  std::vector<SubsidyRule> out;
  for (SubsidyRule& r : *all) {
    if (!Visible(r, scope)) continue;
    if (!region.empty() && !Overlaps(r.region_code, region)) continue;
    out.push_back(std::move(r));
  }
  return out;
}

Result<SubsidyRule> SubsidyService::Rule(int64_t id, int64_t version,
                                         const std::vector<std::string>& scope) {
  auto rule = repository_.FindRule(id, version);
  if (!rule) return std::unexpected(rule.error());
  if (!*rule || !Visible(**rule, scope)) {
    return NotFound(version > 0 ? fmt::format("no subsidy rule {} version {}", id, version)
                                : fmt::format("no subsidy rule with id {}", id));
  }
  return std::move(**rule);
}

Result<std::vector<SubsidyRule>> SubsidyService::Versions(int64_t id,
                                                          const std::vector<std::string>& scope) {
  auto current = Rule(id, 0, scope);
  if (!current) return std::unexpected(current.error());
  return repository_.RuleVersions(id);
}

Result<SubsidyRule> SubsidyService::SaveRule(const SubsidyRule& rule,
                                             const std::vector<std::string>& scope,
                                             const audit::Actor& actor) {
  std::vector<ErrorDetail> problems = ValidateRule(rule);
  for (char c : rule.code) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      problems.push_back({0, "code", rule.code, "may hold only letters, digits and - _ ."});
      break;
    }
  }
  if (rule.code.size() > 64)
    problems.push_back({0, "code", rule.code, "is longer than 64 characters"});
  if (!problems.empty()) {
    return InvalidArgument(fmt::format("the subsidy rule {} is not valid", rule.code),
                           std::move(problems));
  }
  if (rule.id != 0) {
    auto stored = repository_.FindRule(rule.id, 0);
    if (!stored) return std::unexpected(stored.error());
    // A rule the caller cannot even see is not found; one they see (a province's, seen from
    // its county) but may not set is refused.
    if (!*stored || !Visible(**stored, scope)) {
      return NotFound(fmt::format("no subsidy rule with id {}", rule.id));
    }
    if (!Within(scope, (*stored)->region_code)) {
      return PermissionDenied(
          fmt::format("you may not change subsidy rule {}: its region {} is "
                      "outside your regions",
                      (*stored)->code, (*stored)->region_code));
    }
    if ((*stored)->code != rule.code) {
      return InvalidArgument("a rule's code does not change",
                             {{0, "code", rule.code,
                               fmt::format("differs from the stored code {}", (*stored)->code)}});
    }
  }
  if (!Within(scope, rule.region_code)) {
    return PermissionDenied(fmt::format(
        "you may not set subsidy rules for {}: it is outside your regions", rule.region_code));
  }
  return repository_.SaveRule(rule, actor);
}

Result<SubsidyRun> SubsidyService::Run(int64_t rule_id, const std::string& region,
                                       const Date& first, const Date& last,
                                       const std::vector<std::string>& scope,
                                       const audit::Actor& actor) {
  std::vector<ErrorDetail> problems;
  if (rule_id <= 0) problems.push_back({0, "rule_id", std::to_string(rule_id), "is required"});
  if (region.empty()) problems.push_back({0, "region", "", "is required"});
  if (last < first) problems.push_back({0, "to", last.ToString(), "is before from"});
  if (last.DaysSinceEpoch() - first.DaysSinceEpoch() > 3 * 366) {
    problems.push_back({0, "to", last.ToString(), "the period is longer than 3 years"});
  }
  if (!problems.empty()) {
    return InvalidArgument("an eligibility run needs a rule, a region and a period",
                           std::move(problems));
  }
  if (!Within(scope, region)) {
    return PermissionDenied(
        fmt::format("you may not run subsidies in {}: it is outside your regions", region));
  }
  auto rule = Rule(rule_id, 0, scope);
  if (!rule) return std::unexpected(rule.error());
  if (!Overlaps(rule->region_code, region)) {
    return InvalidArgument(
        fmt::format("rule {} applies to {}, not to {}", rule->code, rule->region_code, region),
        {{0, "rule_id", std::to_string(rule_id),
          fmt::format("applies to region {}, which does not hold {}", rule->region_code, region)}});
  }
  auto evaluation = workshops_.EvaluateSubsidy(scope, region, *rule, first, last);
  if (!evaluation) return std::unexpected(evaluation.error());
  SubsidyRun run;
  run.rule_id = rule->id;
  run.rule_version = rule->version;
  run.region_code = region;
  run.period_from = first;
  run.period_to = last;
  run.window_from = evaluation->first;
  run.window_to = evaluation->last;
  run.applies = evaluation->applies;
  run.eligible = evaluation->eligible;
  run.total_fen = evaluation->total_fen;
  for (const SubsidyResult& r : evaluation->results) {
    SubsidyLine line;
    line.unit = rule->unit;
    line.workshop_id = r.workshop_id;
    line.member_id = r.member_id;
    line.employment_id = r.employment_id;
    line.qualifies = r.eligible;
    line.amount_fen = r.amount_fen;
    line.explanation = Explain(r);
    run.lines.push_back(std::move(line));
  }
  return repository_.SaveRun(run, actor);
}

Result<SubsidyRun> SubsidyService::FindRun(int64_t id, const std::vector<std::string>& scope) {
  auto run = repository_.FindRun(id, scope);
  if (!run) return std::unexpected(run.error());
  if (!*run) return NotFound(fmt::format("no subsidy run with id {}", id));
  return std::move(**run);
}

Result<std::vector<SubsidyRun>> SubsidyService::Runs(const std::vector<std::string>& scope,
                                                     int64_t rule_id) {
  RunQuery q;
  q.scope = scope;
  q.rule_id = rule_id;
  return repository_.ListRuns(q);
}

Result<std::vector<SubsidyLine>> SubsidyService::Review(
    int64_t run_id, const std::vector<int64_t>& line_ids, const std::string& decision,
    const std::string& reason, const std::vector<std::string>& scope, const audit::Actor& actor) {
  std::vector<ErrorDetail> problems;
  if (decision != kApproved && decision != kRejected) {
    problems.push_back({0, "decision", decision, "must be approved or rejected"});
  }
  if (decision == kRejected && reason.empty()) {
    problems.push_back({0, "reason", "", "is required when rejecting"});
  }
  if (line_ids.empty()) problems.push_back({0, "lines", "", "is required (line ids)"});
  if (!problems.empty()) {
    return InvalidArgument("a review names lines, a decision and, to reject, a reason",
                           std::move(problems));
  }
  auto run = repository_.FindRun(run_id, scope);
  if (!run) return std::unexpected(run.error());
  if (!*run) return NotFound(fmt::format("no subsidy run with id {}", run_id));
  return repository_.Review(run_id, line_ids, decision, reason, actor);
}

Result<SubsidyPayment> SubsidyService::Pay(const SubsidyPayment& payment,
                                           const std::vector<std::string>& scope,
                                           const audit::Actor& actor) {
  std::vector<ErrorDetail> problems;
  if (payment.line_id <= 0) {
    problems.push_back({0, "line_id", std::to_string(payment.line_id), "is required"});
  }
  if (payment.amount_fen <= 0) {
    problems.push_back(
        {0, "amount_fen", std::to_string(payment.amount_fen), "must be more than 0"});
  }
  const Date today = ChinaDate(clock_.Now());
  if (payment.paid_on > today) {
    problems.push_back({0, "paid_on", payment.paid_on.ToString(), "is in the future"});
  }
  if (payment.voucher.empty()) problems.push_back({0, "voucher", "", "is required"});
  if (payment.payee.empty()) problems.push_back({0, "payee", "", "is required"});
  if (!problems.empty()) {
    return InvalidArgument("the payment is not complete", std::move(problems));
  }
  return repository_.RecordPayment(payment, scope, actor);
}

Result<Ledger> SubsidyService::LedgerOf(const PaymentQuery& query) {
  auto payments = repository_.ListPayments(query);
  if (!payments) return std::unexpected(payments.error());
  Ledger ledger;
  std::map<std::string, LedgerTotal> rules, years;
  std::map<int64_t, LedgerTotal> shops;
  for (const SubsidyPayment& p : *payments) {
    ledger.total_fen += p.amount_fen;
    auto add = [&](LedgerTotal& t, std::string key, std::string label) {
      if (t.key.empty()) {
        t.key = std::move(key);
        t.label = std::move(label);
      }
      ++t.payments;
      t.amount_fen += p.amount_fen;
    };
    add(rules[p.rule_code], p.rule_code, p.rule_name);
    add(shops[p.workshop_id], std::to_string(p.workshop_id), p.workshop_name);
    const std::string year = std::to_string(p.paid_on.year);
    add(years[year], year, year);
  }
  for (auto& [code, t] : rules) ledger.by_rule.push_back(std::move(t));
  for (auto& [year, t] : years) ledger.by_year.push_back(std::move(t));
  for (auto& [id, t] : shops) ledger.by_workshop.push_back(std::move(t));
  std::sort(ledger.by_workshop.begin(), ledger.by_workshop.end(),
            [](const LedgerTotal& a, const LedgerTotal& b) {
              return std::tie(a.label, a.key) < std::tie(b.label, b.key);
            });
  ledger.payments = std::move(*payments);
  return ledger;
}

}  // namespace fupin::workshops
