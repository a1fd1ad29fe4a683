#include "workshops/workshop_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace fupin::workshops {

Result<std::vector<Workshop>> WorkshopService::Load(const std::vector<std::string>& scope,
                                                    const std::string& region) {
  WorkshopQuery q;
  q.scope = scope;
  q.within = region;
  q.limit = 0;
  auto page = repository_.ListWorkshops(q);
  if (!page) return std::unexpected(page.error());
  return std::move(page->items);
}

Result<RegionFigures> WorkshopService::Figures(const std::vector<std::string>& scope,
                                               const std::string& region, YearMonth month,
                                               const IdleOptions& idle) {
  if (month.month < 1 || month.month > 12) {
    return InvalidArgument("month must be YYYY-MM",
                           {{0, "month", month.ToString(), "is not a month (YYYY-MM)"}});
  }
  if (idle.months < 1 || idle.months > 24 || idle.min_days < 0 || idle.min_days > 31) {
    return InvalidArgument("idle thresholds out of range",
                           {{0, "idle_months", std::to_string(idle.months), "must be 1 to 24"},
                            {0, "idle_days", std::to_string(idle.min_days), "must be 0 to 31"}});
  }
  RegionFigures out;
  out.region = region;
  auto workshops = Load(scope, region);
  if (!workshops) return std::unexpected(workshops.error());
  out.workshops = std::move(*workshops);
  std::vector<int64_t> ids;
  for (const Workshop& w : out.workshops) ids.push_back(w.id);
  auto employments = repository_.EmploymentsOfWorkshops(ids);
  if (!employments) return std::unexpected(employments.error());
  YearMonth first = month;
  for (int i = 1; i < idle.months; ++i) first = first.Previous();
  auto reports = repository_.ListReports(ids, first.year * 12 + first.month - 1,
                                         month.year * 12 + month.month - 1);
  if (!reports) return std::unexpected(reports.error());
  out.figures = ComputeFigures(out.workshops, *employments, *reports, month, idle);
  return out;
}

Result<RegionAlerts> WorkshopService::Alerts(const std::vector<std::string>& scope,
                                             const std::string& region, YearMonth month,
                                             const AlertOptions& options) {
  std::vector<ErrorDetail> problems = ValidateAlertOptions(options);
  if (month.month < 1 || month.month > 12) {
    problems.insert(problems.begin(), {0, "month", month.ToString(), "is not a month (YYYY-MM)"});
  }
  if (!problems.empty()) return InvalidArgument("the alerts' options are not valid", problems);
  RegionAlerts out;
  out.region = region;
  out.month = month;
  out.options = options;
  auto workshops = Load(scope, region);
  if (!workshops) return std::unexpected(workshops.error());
  AlertInput input;
  input.workshops = *workshops;
  out.workshops = std::move(*workshops);
  std::vector<int64_t> ids;
  for (const Workshop& w : input.workshops) ids.push_back(w.id);
  auto employments = repository_.EmploymentsOfWorkshops(ids);
  if (!employments) return std::unexpected(employments.error());
  input.employments = std::move(*employments);
  YearMonth first = month;
  for (int i = 1; i < options.idle.months; ++i) first = first.Previous();
  auto reports = repository_.ListReports(ids, first.year * 12 + first.month - 1,
                                         month.year * 12 + month.month - 1);
  if (!reports) return std::unexpected(reports.error());
  input.reports = std::move(*reports);
  std::vector<int64_t> members;
  for (const Employment& e : input.employments) members.push_back(e.member_id);
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  auto facts = repository_.RegistryFactsOfMembers(members, month.year);
  if (!facts) return std::unexpected(facts.error());
  for (const MemberRegistryFacts& f : *facts) {
    input.people[f.member_id] = {f.birth_date, f.labour};
  }
  out.alerts = ComputeAlerts(input, month, options);
  return out;
}

Result<std::vector<Resumption>> WorkshopService::Curve(const std::vector<std::string>& scope,
                                                       const std::string& region, const Date& first,
                                                       const Date& last) {
  const int64_t days = last.DaysSinceEpoch() - first.DaysSinceEpoch() + 1;
  if (days < 1 || days > 800) {
    return InvalidArgument(
        "the curve runs from a day to a later one, at most 800 days",
        {{0, "to", last.ToString(), fmt::format("gives {} days; 1 to 800 are allowed", days)}});
  }
  auto workshops = Load(scope, region);
  if (!workshops) return std::unexpected(workshops.error());
  return ResumptionCurve(*workshops, first, last);
}

Result<SubsidyEvaluation> WorkshopService::EvaluateSubsidy(const std::vector<std::string>& scope,
                                                           const std::string& region,
                                                           const SubsidyRule& rule,
                                                           const Date& first, const Date& last) {
  SubsidyInput input;
  auto workshops = Load(scope, region);
  if (!workshops) return std::unexpected(workshops.error());
  input.workshops = std::move(*workshops);
  std::vector<int64_t> ids;
  for (const Workshop& w : input.workshops) ids.push_back(w.id);
  auto here = repository_.EmploymentsOfWorkshops(ids);
  if (!here) return std::unexpected(here.error());
  // The same people's employments anywhere, for days across workshops.
  std::vector<std::string> people;
  for (const Employment& e : *here) people.push_back(e.person_key);
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  auto all = repository_.EmploymentsOfPeople(people);
  if (!all) return std::unexpected(all.error());
  input.employments = std::move(*all);
  auto reports = repository_.ListReports(ids, first.year * 12 + first.month - 1,
                                         last.year * 12 + last.month - 1);
  if (!reports) return std::unexpected(reports.error());
  input.reports = std::move(*reports);
  std::set<int64_t> members;
  for (const Employment& e : input.employments) members.insert(e.member_id);
  registry::HouseholdQuery q;
  q.scope = {""};
  q.within = region;
  auto visited = registry_.ForEachRecord(q, [&](const registry::HouseholdRecord& r) -> Status {
    for (const registry::Member& m : r.members) {
      if (members.contains(m.id)) input.people[m.id] = {m.birth_date, m.labour};
    }
    return {};
  });
  if (!visited) return std::unexpected(visited.error());
  return EvaluateRule(rule, input, first, last);
}

}  // namespace fupin::workshops
