#include "monitoring/monitoring_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "access/permissions.h"
#include "base/text.h"
#include "monitoring/detection.h"
#include "registry/vocabulary.h"

namespace fupin::monitoring {
namespace {

using access::InSubtree;

// Households per registry read during detection.
constexpr size_t kDetectionChunk = 500;

std::unexpected<Error> Invalid(std::vector<ErrorDetail> problems) {
  std::string message = problems.size() == 1
                            ? fmt::format("{} {}", problems[0].column, problems[0].reason)
                            : fmt::format("the request has {} problems", problems.size());
  return InvalidArgument(std::move(message), std::move(problems));
}

std::string Trimmed(std::string_view s) { return std::string(Trim(s)); }

bool WasLifted(const registry::HouseholdRecord& r) {
  return std::any_of(r.events.begin(), r.events.end(),
                     [](const registry::StatusEvent& e) { return e.status == "lifted"; });
}

std::unexpected<Error> WrongStage(const Case& c, std::string_view expected,
                                  std::string_view action) {
  return FailedPrecondition(fmt::format("case {} is {} ({}); {} needs a case that is {} ({})", c.id,
                                        c.stage, Stages().Zh(c.stage), action, expected,
                                        Stages().Zh(expected)));
}

}  // namespace

void MonitoringService::RecordDenied(std::string_view entity, int64_t id,
                                     const std::optional<std::string>& region, const Caller& caller,
                                     std::string_view what) {
  if (!region) return;  // it does not exist: nothing was withheld
  audit::Entry entry;
  entry.actor = caller.actor;
  entry.action = "denied";
  entry.entity = std::string(entity);
  entry.entity_id = std::to_string(id);
  entry.region_code = *region;
  entry.note = fmt::format("{} outside the caller's scope: answered 404", what);
  // As in the registry: a failure to record the attempt must not turn the 404 into something
  // that tells the record exists.
  (void)audit_.Append(entry);
}

Status MonitoringService::CheckProvince(const std::string& province, const Caller& caller) {
  if (province.empty()) {
    if (std::find(caller.scope.begin(), caller.scope.end(), "") != caller.scope.end()) return {};
    return PermissionDenied("only administrators set the national figures (province \"\")");
  }
  // The caller works inside the province, or above it.
  const bool related = std::any_of(caller.scope.begin(), caller.scope.end(), [&](const auto& s) {
    return InSubtree(s, province) || InSubtree(province, s);
  });
  if (!related) {
    return PermissionDenied(
        fmt::format("you may set the figures of your own province only, not of {}", province));
  }
  return {};
}

Result<Threshold> MonitoringService::SetThreshold(Threshold t, const Caller& caller) {
  std::vector<ErrorDetail> problems;
  if (!t.province_code.empty()) {
    auto level = regions::LevelOfCode(t.province_code);
    if (!level || *level != regions::RegionLevel::kProvince) {
      problems.push_back({0, "province", t.province_code,
                          "must be a province's 12-digit code, or \"\" for the national guidance"});
    }
  }
  if (t.year < 2000 || t.year > 2100) {
    problems.push_back({0, "year", std::to_string(t.year), "must be a year from 2000 to 2100"});
  }
  if (t.per_capita_fen <= 0 || t.per_capita_fen > 100'000'000) {
    problems.push_back({0, "per_capita_fen", std::to_string(t.per_capita_fen),
                        "must be a positive amount in fen (at most 1,000,000 yuan)"});
  }
  if (t.note.size() > 1000) problems.push_back({0, "note", "", "is longer than 1000 bytes"});
  if (!problems.empty()) return Invalid(std::move(problems));
  FUPIN_TRY(CheckProvince(t.province_code, caller));
  return monitoring_.SaveThreshold(t, caller.actor);
}

Result<RuleOptions> MonitoringService::SetOptions(RuleOptions o, const Caller& caller) {
  std::vector<ErrorDetail> problems = ValidateOptions(o);
  if (!o.province_code.empty()) {
    auto level = regions::LevelOfCode(o.province_code);
    if (!level || *level != regions::RegionLevel::kProvince) {
      problems.insert(problems.begin(),
                      {0, "province", o.province_code,
                       "must be a province's 12-digit code, or \"\" for the national defaults"});
    }
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  FUPIN_TRY(CheckProvince(o.province_code, caller));
  return monitoring_.SaveOptions(o, caller.actor);
}

Result<registry::HouseholdRecord> MonitoringService::Household(int64_t household_id,
                                                               const Caller& caller) {
  auto found = registry_.FindHousehold(household_id, caller.scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    auto region = registry_.HouseholdRegion(household_id);
    RecordDenied("household", household_id, region ? *region : std::nullopt, caller,
                 "monitoring access to household");
    return NotFound(fmt::format("no household with id {}", household_id));
  }
  return std::move(**found);
}

Result<RiskEvent> MonitoringService::ReportRiskEvent(int64_t household_id, RiskEvent event,
                                                     const Caller& caller) {
  auto household = Household(household_id, caller);
  if (!household) return std::unexpected(household.error());
  event.note = Trimmed(event.note);
  std::vector<ErrorDetail> problems = ValidateRiskEvent(event, Today());
  if (!problems.empty()) return Invalid(std::move(problems));
  event.household_id = household_id;
  event.region_code = household->household.region_code;
  event.reported_by = caller.actor.name;
  return monitoring_.AddRiskEvent(event, caller.actor);
}

Result<std::vector<RiskEvent>> MonitoringService::RiskEventsOf(int64_t household_id,
                                                               const Caller& caller) {
  auto household = Household(household_id, caller);
  if (!household) return std::unexpected(household.error());
  RiskEventQuery q;
  q.scope = caller.scope;
  q.household_id = household_id;
  return monitoring_.ListRiskEvents(q);
}

Result<DetectionReport> MonitoringService::RunDetection(const std::string& region,
                                                        std::optional<int> year,
                                                        const Caller& caller) {
  std::vector<ErrorDetail> problems;
  if (region.empty()) {
    problems.push_back({0, "region", "", "is required: the region to run detection over"});
  } else if (!regions::LevelOfCode(region)) {
    problems.push_back({0, "region", region, "is not a 12-digit region code"});
  }
  const Date today = Today();
  if (year && (*year < 2000 || *year > today.year)) {
    problems.push_back({0, "year", std::to_string(*year),
                        fmt::format("must be a year from 2000 to {}", today.year)});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  auto found = regions_.Find(region);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    return InvalidArgument(fmt::format("no region {}", region),
                           {{0, "region", region, "is not a known region"}});
  }
  if (!access::InAnySubtree(caller.scope, region)) {
    return PermissionDenied(
        fmt::format("you may not run detection in {}: it is outside your regions", region));
  }

  DetectionReport report;
  report.region = region;
  report.year = year;
  report.today = today;
  // The watched households of the region, by number.
  registry::HouseholdQuery q;
  q.scope = caller.scope;
  q.within = region;
  std::vector<std::string> numbers;
  FUPIN_TRY(registry_.ForEachHousehold(q, [&](const registry::HouseholdSummary& s) -> Status {
    ++report.households;
    const std::string& status = s.household.status;
    if (status.empty() || status == "lifted" || status == "risk_eliminated") {
      numbers.push_back(s.household.number);
    }
    return {};
  }));
  report.watched = static_cast<int64_t>(numbers.size());

  auto thresholds = monitoring_.ListThresholds();
  if (!thresholds) return std::unexpected(thresholds.error());
  auto options = monitoring_.ListOptions();
  if (!options) return std::unexpected(options.error());
  RiskEventQuery eq;
  eq.scope = caller.scope;
  eq.within = region;
  eq.since = Date{year ? *year : today.year - 1, 1, 1};
  auto events = monitoring_.ListRiskEvents(eq);
  if (!events) return std::unexpected(events.error());

  const DetectionParams params{today, year};
  for (size_t first = 0; first < numbers.size(); first += kDetectionChunk) {
    const size_t n = std::min(kDetectionChunk, numbers.size() - first);
    auto records =
        registry_.FindHouseholdsByNumber(std::span<const std::string>(numbers.data() + first, n));
    if (!records) return std::unexpected(records.error());
    // In household-number order, so that cases open in a stable order.
    std::sort(records->begin(), records->end(),
              [](const auto& a, const auto& b) { return a.household.number < b.household.number; });
    auto alerts = Detect(*records, *events, *thresholds, *options, params);
    for (Alert& a : alerts) report.found.push_back(std::move(a));
  }

  std::vector<NewAlert> pending;
  pending.reserve(report.found.size());
  for (const Alert& a : report.found) {
    const RuleOptions o = ResolveOptions(*options, ProvinceOf(a.region_code));
    pending.push_back({a, AddDays(today, o.verify_days), AddDays(today, o.review_days),
                       AddDays(today, o.decide_days)});
  }
  const std::string note =
      fmt::format("detection over {} ({}): {} households, {} watched, {} alerts found", region,
                  year ? fmt::format("income year {}", *year) : "latest income years",
                  report.households, report.watched, report.found.size());
  auto recorded = monitoring_.RecordAlerts(pending, caller.actor, region, note);
  if (!recorded) return std::unexpected(recorded.error());
  report.recorded = std::move(*recorded);
  return report;
}

Result<CasePage> MonitoringService::ListCases(CaseQuery query, const Caller& caller) {
  query.scope = caller.scope;
  query.today = Today();
  if (!query.stage.empty() && query.stage != "open" && query.stage != "decided" &&
      !Stages().Contains(query.stage)) {
    return InvalidArgument("stage must be open, decided or one of: " + Stages().Allowed(),
                           {{0, "stage", query.stage, "is not a stage"}});
  }
  if (!query.category.empty() && !Categories().Contains(query.category)) {
    return InvalidArgument("category must be one of: " + Categories().Allowed(),
                           {{0, "category", query.category, "is not a category"}});
  }
  return monitoring_.ListCases(query);
}

Result<Case> MonitoringService::GetCase(int64_t id, const Caller& caller) {
  return FindForStep(id, caller, "read of monitoring case");
}

Result<Case> MonitoringService::FindForStep(int64_t id, const Caller& caller,
                                            std::string_view what) {
  auto found = monitoring_.FindCase(id, caller.scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    auto region = monitoring_.CaseRegion(id);
    RecordDenied("monitoring_case", id, region ? *region : std::nullopt, caller, what);
    return NotFound(fmt::format("no monitoring case with id {}", id));
  }
  return std::move(**found);
}

Result<Case> MonitoringService::Apply(Transition t, const Caller& caller) {
  t.step.on = Today();
  t.step.actor = caller.actor.name;
  t.step.actor_user_id = caller.actor.user_id;
  return monitoring_.ApplyTransition(t, caller.actor);
}

Result<Case> MonitoringService::Verify(int64_t id, std::optional<bool> confirmed, std::string note,
                                       const Caller& caller) {
  auto c = FindForStep(id, caller, "verification of monitoring case");
  if (!c) return c;
  note = Trimmed(note);
  std::vector<ErrorDetail> problems;
  if (!confirmed) {
    problems.push_back({0, "confirmed", "", "is required: whether the situation is confirmed"});
  }
  if (note.empty()) problems.push_back({0, "note", "", "is required: what the visit found"});
  if (!problems.empty()) return Invalid(std::move(problems));
  if (c->stage != kStageAlert) return WrongStage(*c, kStageAlert, "verification");
  Transition t;
  t.case_id = id;
  t.from_stage = kStageAlert;
  t.to_stage = kStageVerified;
  t.step.action = "verified";
  t.step.note = note;
  t.step.detail = *confirmed ? "confirmed" : "not_confirmed";
  t.village_confirmed = confirmed;
  return Apply(std::move(t), caller);
}

Result<Case> MonitoringService::Review(int64_t id, std::string recommendation, std::string note,
                                       const Caller& caller) {
  auto c = FindForStep(id, caller, "review of monitoring case");
  if (!c) return c;
  note = Trimmed(note);
  std::vector<ErrorDetail> problems;
  if (!recommendation.empty() && recommendation != "dismiss" &&
      !Categories().Contains(recommendation)) {
    problems.push_back({0, "recommendation", recommendation,
                        "must be dismiss or one of: " + Categories().Allowed()});
  }
  if (note.empty()) problems.push_back({0, "note", "", "is required: the township's opinion"});
  if (!problems.empty()) return Invalid(std::move(problems));
  if (c->stage != kStageVerified) return WrongStage(*c, kStageVerified, "a review");
  Transition t;
  t.case_id = id;
  t.from_stage = kStageVerified;
  t.to_stage = kStageReviewed;
  t.step.action = "reviewed";
  t.step.note = note;
  t.step.detail = recommendation;
  t.recommendation = recommendation;
  return Apply(std::move(t), caller);
}

Result<Case> MonitoringService::Decide(int64_t id, std::string category, std::string note,
                                       const Caller& caller) {
  auto c = FindForStep(id, caller, "decision on monitoring case");
  if (!c) return c;
  note = Trimmed(note);
  if (category.empty() || !Categories().Contains(category)) {
    return Invalid({{0, "category", category, "must be one of: " + Categories().Allowed()}});
  }
  if (c->stage != kStageReviewed) {
    return WrongStage(*c, kStageReviewed, "a decision");
  }
  auto household = registry_.FindHousehold(c->household_id, {""});
  if (!household) return std::unexpected(household.error());
  if (!*household) return NotFound(fmt::format("household {} no longer exists", c->household_id));
  const bool lifted = WasLifted(**household);
  if (category == "unstable_lifted" && !lifted) {
    return Invalid({{0, "category", category,
                     "脱贫不稳定户 is for households that were lifted out of poverty; this one "
                     "never was (use marginal or sudden_hardship)"}});
  }
  if (category == "marginal" && lifted) {
    return Invalid({{0, "category", category,
                     "边缘易致贫户 is for households that were never registered poor; this one was "
                     "lifted out (use unstable_lifted or sudden_hardship)"}});
  }
  const Date today = Today();
  Transition t;
  t.case_id = id;
  t.from_stage = kStageReviewed;
  t.to_stage = kStageMonitored;
  t.step.action = "decided";
  t.step.note = note;
  t.step.detail = category;
  t.category = category;
  t.status_event =
      registry::StatusEvent{0, "monitored", today, std::nullopt,
                            fmt::format("防返贫监测第{}号：{}", id, Categories().Zh(category))};
  return Apply(std::move(t), caller);
}

Result<Case> MonitoringService::Dismiss(int64_t id, std::string reason, const Caller& caller) {
  auto c = FindForStep(id, caller, "decision on monitoring case");
  if (!c) return c;
  reason = Trimmed(reason);
  if (reason.empty()) {
    return Invalid({{0, "reason", "", "is required: why the household is not monitored"}});
  }
  if (c->stage != kStageReviewed) {
    return WrongStage(*c, kStageReviewed, "a decision");
  }
  Transition t;
  t.case_id = id;
  t.from_stage = kStageReviewed;
  t.to_stage = kStageDismissed;
  t.step.action = "dismissed";
  t.step.note = reason;
  t.dismiss_reason = reason;
  return Apply(std::move(t), caller);
}

Result<Measure> MonitoringService::AssignMeasure(int64_t id, Measure m, const Caller& caller) {
  auto c = FindForStep(id, caller, "measure on monitoring case");
  if (!c) return std::unexpected(c.error());
  m.note = Trimmed(m.note);
  std::vector<ErrorDetail> problems;
  if (!registry::MeasureKinds().Contains(m.kind)) {
    problems.push_back({0, "kind", m.kind, "is not one of: " + registry::MeasureKinds().Allowed()});
  }
  if (m.amount_fen && *m.amount_fen < 0) {
    problems.push_back({0, "amount_fen", std::to_string(*m.amount_fen), "must not be negative"});
  }
  if (m.note.size() > 2000) problems.push_back({0, "note", "", "is longer than 2000 bytes"});
  if (!problems.empty()) return Invalid(std::move(problems));
  if (c->stage != kStageMonitored) {
    return WrongStage(*c, kStageMonitored, "an assistance measure");
  }
  m.case_id = id;
  m.household_id = c->household_id;
  m.assigned_by = caller.actor.name;
  m.assigned_on = Today();
  return monitoring_.AddMeasure(m, m.assigned_on, caller.actor);
}

Result<Case> MonitoringService::EliminateRisk(int64_t id,
                                              std::optional<int64_t> assessed_per_capita_fen,
                                              std::string note, const Caller& caller) {
  auto c = FindForStep(id, caller, "risk elimination of monitoring case");
  if (!c) return c;
  note = Trimmed(note);
  std::vector<ErrorDetail> problems;
  if (!assessed_per_capita_fen || *assessed_per_capita_fen < 0) {
    problems.push_back({0, "per_capita_fen",
                        assessed_per_capita_fen ? std::to_string(*assessed_per_capita_fen) : "",
                        "is required: the assessed per-capita net income of this year, in fen"});
  }
  if (note.empty()) problems.push_back({0, "note", "", "is required: the basis of the decision"});
  if (!problems.empty()) return Invalid(std::move(problems));
  if (c->stage != kStageMonitored || !c->decided_on) {
    return WrongStage(*c, kStageMonitored, "risk elimination");
  }
  auto household = registry_.FindHousehold(c->household_id, {""});
  if (!household) return std::unexpected(household.error());
  if (!*household) return NotFound(fmt::format("household {} no longer exists", c->household_id));
  const registry::HouseholdRecord& r = **household;
  auto thresholds = monitoring_.ListThresholds();
  if (!thresholds) return std::unexpected(thresholds.error());
  auto all_options = monitoring_.ListOptions();
  if (!all_options) return std::unexpected(all_options.error());
  const std::string province = ProvinceOf(r.household.region_code);
  const RuleOptions options = ResolveOptions(*all_options, province);
  const Date today = Today();

  // Every unmet condition is reported, not just the first.
  std::vector<ErrorDetail> refused;
  const Date earliest = AddMonths(*c->decided_on, options.minimum_months);
  if (today < earliest) {
    refused.push_back(
        {0, "months", c->decided_on->ToString(),
         fmt::format("monitored since {}: risk can be eliminated after {} months, from {}",
                     c->decided_on->ToString(), options.minimum_months, earliest.ToString())});
  }
  auto above = [&](int year, int64_t per_capita, const std::string& field,
                   const std::string& what) {
    auto t = ResolveThreshold(*thresholds, province, year);
    if (!t) {
      refused.push_back({0, field, std::to_string(per_capita),
                         fmt::format("no threshold is set for {} in {}", province, year)});
    } else if (per_capita <= t->per_capita_fen) {
      refused.push_back({0, field, Yuan(per_capita),
                         fmt::format("{} is not above the threshold of {} yuan ({})", what,
                                     Yuan(t->per_capita_fen), t->Source())});
    }
  };
  above(today.year, *assessed_per_capita_fen, "per_capita_fen",
        fmt::format("the assessed per-capita net income of {}", today.year));
  for (const registry::Income& income : r.incomes) {
    if (income.year < c->decided_on->year || income.year >= today.year) continue;
    auto pc = registry::PerCapitaNetIncome(income, r.members);
    if (!pc) continue;
    above(income.year, ToFen(*pc), fmt::format("incomes[{}]", income.year),
          fmt::format("the recorded per-capita net income of {}", income.year));
  }
  for (const registry::Term& item : registry::GuaranteeItems().terms) {
    auto g = std::find_if(r.guarantees.begin(), r.guarantees.end(),
                          [&](const registry::Guarantee& x) { return x.item == item.code; });
    if (g == r.guarantees.end()) {
      refused.push_back({0, "guarantees." + std::string(item.code), "",
                         fmt::format("{} ({}) has not been verified", item.zh, item.code)});
    } else if (!g->met) {
      refused.push_back({0, "guarantees." + std::string(item.code), "not met",
                         fmt::format("{} ({}) is not met", item.zh, item.code)});
    }
  }
  if (!refused.empty()) {
    // The message first: the details are moved into the error.
    std::string message =
        fmt::format("the risk of case {} cannot be eliminated yet: {} condition{} not met", id,
                    refused.size(), refused.size() == 1 ? " is" : "s are");
    return MakeError(ErrorCode::kFailedPrecondition, std::move(message), std::move(refused));
  }
  Transition t;
  t.case_id = id;
  t.from_stage = kStageMonitored;
  t.to_stage = kStageEliminated;
  t.step.action = "eliminated";
  t.step.note = note;
  t.step.detail =
      fmt::format("assessed per-capita net income {} yuan", Yuan(*assessed_per_capita_fen));
  t.status_event = registry::StatusEvent{0, "risk_eliminated", today, std::nullopt,
                                         fmt::format("防返贫监测第{}号：风险消除", id)};
  return Apply(std::move(t), caller);
}

std::vector<NoticeColumn> MonitoringService::NoticeColumns() {
  return {{"户编号", "household_number"},
          {"户主姓名", "head_name"},
          {"乡镇", "township"},
          {"村", "village"},
          {"监测对象类别", "category"},
          {"纳入监测日期", "monitored_since"},
          {"风险消除日期", "risk_eliminated_on"}};
}

Status MonitoringService::Notice(
    const NoticeQuery& query, const Caller& caller,
    const std::function<Status(const std::vector<std::string>&)>& row) {
  if (!query.within.empty() && !regions::LevelOfCode(query.within)) {
    return InvalidArgument("region must be a 12-digit region code",
                           {{0, "region", query.within, "is not a region code"}});
  }
  CaseQuery q;
  q.scope = caller.scope;
  q.within = query.within;
  q.stage = "decided";
  q.today = Today();
  q.offset = 0;
  q.limit = 1000;
  std::vector<Case> cases;
  while (true) {
    auto page = monitoring_.ListCases(q);
    if (!page) return std::unexpected(page.error());
    for (Case& c : page->items) {
      if (!c.decided_on) continue;
      if (query.from && *c.decided_on < *query.from) continue;
      if (query.to && *c.decided_on > *query.to) continue;
      cases.push_back(std::move(c));
    }
    q.offset += q.limit;
    if (q.offset >= page->total) break;
  }
  // A notice reads by place, then household number.
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) {
    return std::tie(a.region_code, a.household_number) <
           std::tie(b.region_code, b.household_number);
  });
  std::set<std::string> codes;
  for (const Case& c : cases) {
    codes.insert(c.region_code);
    if (auto level = regions::LevelOfCode(c.region_code)) {
      codes.insert(regions::ParentCodeOf(c.region_code, *level));
    }
  }
  std::vector<std::string> list(codes.begin(), codes.end());
  auto regions = regions_.FindMany(list);
  if (!regions) return std::unexpected(regions.error());
  std::map<std::string, std::string> names;
  for (const regions::Region& r : *regions) names[r.code] = r.name;
  for (const Case& c : cases) {
    std::string township;
    if (auto level = regions::LevelOfCode(c.region_code)) {
      township = names[regions::ParentCodeOf(c.region_code, *level)];
    }
    FUPIN_TRY(row({c.household_number, c.head_name, township, names[c.region_code],
                   std::string(Categories().Zh(c.category)), c.decided_on->ToString(),
                   c.stage == kStageEliminated && c.closed_on ? c.closed_on->ToString() : ""}));
  }
  return {};
}

}  // namespace fupin::monitoring
