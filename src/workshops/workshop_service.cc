#include "workshops/workshop_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "access/permissions.h"
#include "regions/region.h"
#include "registry/id_number.h"

namespace fupin::workshops {
namespace {

// The county of a region code (its first six digits, the rest zero).
std::string CountyOf(const std::string& code) {
  return code.size() == static_cast<size_t>(regions::kCodeLength)
             ? code.substr(0, 6) + std::string(regions::kCodeLength - 6, '0')
             : code;
}

// Who a worker is in the registry, from their household: registered poor (建档立卡: the
// household has an attribute), monitored (监测对象) or other local.
std::string CategoryOf(const registry::Household& h) {
  if (!h.attribute.empty()) return "registered_poor";
  if (h.status == "monitored") return "monitored";
  return "other_local";
}

WorkerInfo InfoOf(const registry::Member& m, const registry::Household& h) {
  return {m.id,          m.name,   h.id,         h.number,
          h.region_code, m.labour, m.birth_date, !m.left_on.has_value()};
}

int MonthIndex(YearMonth m) { return m.year * 12 + m.month - 1; }

}  // namespace

bool WorkshopReach::Covers(const Workshop& w) const {
  return access::InAnySubtree(scope, w.region_code) ||
         std::find(operators.begin(), operators.end(), w.operator_id) != operators.end();
}

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

Result<Workshop> WorkshopService::Find(const WorkshopReach& reach, int64_t id) {
  auto found = repository_.FindWorkshop(id, {""});
  if (!found) return std::unexpected(found.error());
  if (!*found || !reach.Covers(**found)) {
    return NotFound(fmt::format("no workshop with id {}", id));
  }
  return std::move(**found);
}

Result<std::map<int64_t, WorkerInfo>> WorkshopService::Workers(
    const std::vector<Employment>& employments) {
  std::map<int64_t, WorkerInfo> out;
  std::vector<std::string> people;
  for (const Employment& e : employments) people.push_back(e.person_key);
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  // Current members by ID number, in one query per table; former members one by one.
  auto numbers = registry_.HouseholdsOfIdNumbers(people);
  if (!numbers) return std::unexpected(numbers.error());
  std::vector<std::string> households;
  for (const auto& [id_number, number] : *numbers) households.push_back(number);
  std::sort(households.begin(), households.end());
  households.erase(std::unique(households.begin(), households.end()), households.end());
  auto records = registry_.FindHouseholdsByNumber(households);
  if (!records) return std::unexpected(records.error());
  std::set<int64_t> wanted;
  for (const Employment& e : employments) wanted.insert(e.member_id);
  for (const registry::HouseholdRecord& r : *records) {
    for (const registry::Member& m : r.members) {
      if (wanted.contains(m.id)) out[m.id] = InfoOf(m, r.household);
    }
  }
  for (int64_t id : wanted) {
    if (out.contains(id)) continue;
    auto member = registry_.FindMember(id, {""});
    if (!member) return std::unexpected(member.error());
    if (!*member) continue;
    const registry::Member& m = (*member)->first;
    WorkerInfo info{m.id,     m.name,       m.household_id,        "", (*member)->second,
                    m.labour, m.birth_date, !m.left_on.has_value()};
    auto household = registry_.FindHousehold(m.household_id, {""});
    if (!household) return std::unexpected(household.error());
    if (*household) info.household_number = (*household)->household.number;
    out[id] = std::move(info);
  }
  return out;
}

Result<AlertOptions> WorkshopService::OptionsFor(std::string_view region, int year) {
  auto standards = repository_.ListAlertStandards();
  if (!standards) return std::unexpected(standards.error());
  return ResolveAlertOptions(*standards, region, year);
}

Result<AlertStandard> WorkshopService::SetStandard(const AlertStandard& standard,
                                                   const std::vector<std::string>& scope,
                                                   const audit::Actor& actor) {
  auto problems = ValidateAlertStandard(standard);
  if (!problems.empty()) {
    std::string message = fmt::format("the standard has {} problem(s)", problems.size());
    return InvalidArgument(std::move(message), std::move(problems));
  }
  // A province's row needs the whole province in scope (a county's scope does not hold the
  // province's code); the default row the whole country.
  const bool allowed = standard.province_code.empty()
                           ? std::find(scope.begin(), scope.end(), "") != scope.end()
                           : access::InAnySubtree(scope, standard.province_code);
  if (!allowed) {
    return PermissionDenied(
        standard.province_code.empty()
            ? "only a national administrator sets the default standard"
            : fmt::format("province {} is outside your regions", standard.province_code));
  }
  return repository_.SaveAlertStandard(standard, actor);
}

Result<WorkshopDetail> WorkshopService::Detail(const WorkshopReach& reach, int64_t id,
                                               YearMonth first, YearMonth last,
                                               const IdleOptions& idle) {
  if (last < first) {
    return InvalidArgument("the months run from an earlier to a later one",
                           {{0, "to", last.ToString(), "is before from"}});
  }
  WorkshopDetail out;
  auto w = Find(reach, id);
  if (!w) return std::unexpected(w.error());
  out.workshop = std::move(*w);
  const int64_t ids[] = {id};
  auto employments = repository_.EmploymentsOfWorkshops(ids);
  if (!employments) return std::unexpected(employments.error());
  out.employments = std::move(*employments);
  auto workers = Workers(out.employments);
  if (!workers) return std::unexpected(workers.error());
  out.workers = std::move(*workers);
  auto reports = repository_.ListReports(ids, MonthIndex(first), MonthIndex(last));
  if (!reports) return std::unexpected(reports.error());
  out.reports = std::move(*reports);
  out.missing = MissingReports(out.workshop, out.reports, first, last);
  out.idle = DetectIdle(out.workshop, out.reports, out.employments, last, idle);
  return out;
}

Result<Workshop> WorkshopService::Save(const std::vector<std::string>& scope,
                                       const Workshop& workshop, const audit::Actor& actor,
                                       const Date& today) {
  if (workshop.id != 0) {
    auto region = repository_.WorkshopRegion(workshop.id);
    if (!region) return std::unexpected(region.error());
    if (!*region || !access::InAnySubtree(scope, **region)) {
      return NotFound(fmt::format("no workshop with id {}", workshop.id));
    }
  }
  auto problems = ValidateWorkshop(workshop, today);
  if (!workshop.region_code.empty() && !access::InAnySubtree(scope, workshop.region_code)) {
    problems.push_back({0, "region", workshop.region_code,
                        "is outside the regions where you may register workshops"});
  }
  if (auto level = regions::LevelOfCode(workshop.region_code);
      level && *level != regions::RegionLevel::kVillage) {
    problems.push_back({0, "region", workshop.region_code, "is not a village"});
  }
  if (!problems.empty()) {
    std::string message = fmt::format("the workshop has {} problem(s)", problems.size());
    return InvalidArgument(std::move(message), std::move(problems));
  }
  return repository_.SaveWorkshop(workshop, actor);
}

Result<Workshop> WorkshopService::ChangeStatus(const WorkshopReach& reach, int64_t id,
                                               int64_t version, const StatusChange& change,
                                               const audit::Actor& actor, const Date& today) {
  auto w = Find(reach, id);
  if (!w) return std::unexpected(w.error());
  if (w->version != version) {
    return Conflict(fmt::format("workshop {} was changed by someone else: you edited version {}, "
                                "the current version is {}",
                                id, version, w->version),
                    w->version);
  }
  std::vector<ErrorDetail> problems;
  if (!w->status_changes.empty() && change.on < w->status_changes.back().on) {
    problems.push_back(
        {0, "on", change.on.ToString(),
         fmt::format("is before the last status change ({}, {})", w->status_changes.back().status,
                     w->status_changes.back().on.ToString())});
  }
  w->status_changes.push_back(change);
  for (ErrorDetail& d : ValidateWorkshop(*w, today)) {
    if (d.column.starts_with("status_changes")) {
      d.column = d.column.substr(d.column.find('.') == std::string::npos ? d.column.size()
                                                                         : d.column.find('.') + 1);
      if (d.column.empty()) d.column = "status";
      problems.push_back(std::move(d));
    }
  }
  if (!problems.empty()) {
    return InvalidArgument("the status change cannot be recorded", std::move(problems));
  }
  return repository_.SaveWorkshop(*w, actor);
}

Result<Candidate> WorkshopService::FindCandidate(const WorkshopReach& reach, int64_t workshop_id,
                                                 const HireRequest& who, const Date& today) {
  auto w = Find(reach, workshop_id);
  if (!w) return std::unexpected(w.error());
  const std::string county = CountyOf(w->region_code);
  std::optional<std::pair<registry::Member, registry::Household>> found;
  const char* field = who.member_id > 0 ? "member_id" : "id_number";
  const std::string value = who.member_id > 0 ? std::to_string(who.member_id) : who.id_number;
  if (who.member_id > 0) {
    auto member = registry_.FindMember(who.member_id, {county});
    if (!member) return std::unexpected(member.error());
    if (*member && !(*member)->first.left_on) {
      auto household = registry_.FindHousehold((*member)->first.household_id, {county});
      if (!household) return std::unexpected(household.error());
      if (*household) found.emplace((*member)->first, (*household)->household);
    }
  } else {
    if (who.id_number.empty()) {
      return InvalidArgument("name the person to hire",
                             {{0, "id_number", "", "is required (or member_id)"}});
    }
    auto parsed = registry::ParseIdNumber(who.id_number, today);
    if (!parsed) {
      return InvalidArgument("not a valid ID number",
                             {{0, "id_number", "(masked)", parsed.error().message}});
    }
    const std::string ids[] = {parsed->normalized};
    auto numbers = registry_.HouseholdsOfIdNumbers(ids);
    if (!numbers) return std::unexpected(numbers.error());
    if (auto it = numbers->find(parsed->normalized); it != numbers->end()) {
      const std::string wanted[] = {it->second};
      auto records = registry_.FindHouseholdsByNumber(wanted);
      if (!records) return std::unexpected(records.error());
      for (const registry::HouseholdRecord& r : *records) {
        if (!access::InSubtree(county, r.household.region_code)) continue;
        for (const registry::Member& m : r.members) {
          if (m.id_number == parsed->normalized && !m.left_on) found.emplace(m, r.household);
        }
      }
    }
  }
  if (!found) {
    return MakeError(ErrorCode::kNotFound,
                     "the person is not a current member of a registered household in the "
                     "workshop's county",
                     {{0, field, field == std::string("id_number") ? "(masked)" : value,
                       "is not a current member of a registered household in the workshop's "
                       "county"}});
  }
  Candidate c;
  c.worker = InfoOf(found->first, found->second);
  c.category = CategoryOf(found->second);
  const std::string ids[] = {found->first.id_number};
  auto employments = repository_.EmploymentsOfPeople(ids);
  if (!employments) return std::unexpected(employments.error());
  c.employments = std::move(*employments);
  c.person_key = found->first.id_number;
  return c;
}

Result<Employment> WorkshopService::Hire(const WorkshopReach& reach, int64_t workshop_id,
                                         const HireRequest& request, const audit::Actor& actor,
                                         const Date& today) {
  auto candidate = FindCandidate(reach, workshop_id, request, today);
  if (!candidate) return std::unexpected(candidate.error());
  Employment e;
  e.workshop_id = workshop_id;
  e.member_id = candidate->worker.member_id;
  e.person_key = candidate->person_key;
  e.category = candidate->category;
  e.start = request.start;
  e.end = request.end;
  e.wage_form = request.wage_form;
  e.contract = request.contract;
  e.position = request.position;
  e.overlap_accepted = request.overlap_accepted;
  auto problems = ValidateEmployment(e, candidate->employments);
  if (request.start > today) {
    problems.push_back({0, "start", request.start.ToString(), "is in the future"});
  }
  if (!problems.empty()) {
    return InvalidArgument("the employment cannot be recorded", std::move(problems));
  }
  return repository_.SaveEmployment(e, actor);
}

Result<Employment> WorkshopService::UpdateEmployment(const WorkshopReach& reach,
                                                     int64_t workshop_id, const Employment& changed,
                                                     const audit::Actor& actor) {
  auto w = Find(reach, workshop_id);
  if (!w) return std::unexpected(w.error());
  const int64_t ids[] = {workshop_id};
  auto here = repository_.EmploymentsOfWorkshops(ids);
  if (!here) return std::unexpected(here.error());
  auto it = std::find_if(here->begin(), here->end(),
                         [&](const Employment& e) { return e.id == changed.id; });
  if (it == here->end()) return NotFound(fmt::format("no employment with id {}", changed.id));
  Employment e = *it;
  if (e.version != changed.version) {
    return Conflict(fmt::format("employment {} was changed by someone else: you edited version "
                                "{}, the current version is {}",
                                e.id, changed.version, e.version),
                    e.version);
  }
  e.start = changed.start;
  e.end = changed.end;
  e.wage_form = changed.wage_form;
  e.contract = changed.contract;
  e.position = changed.position;
  e.overlap_accepted = changed.overlap_accepted;
  const std::string people[] = {e.person_key};
  auto others = repository_.EmploymentsOfPeople(people);
  if (!others) return std::unexpected(others.error());
  auto problems = ValidateEmployment(e, *others);
  if (!problems.empty()) {
    return InvalidArgument("the employment cannot be recorded", std::move(problems));
  }
  return repository_.SaveEmployment(e, actor);
}

Result<MonthlyReport> WorkshopService::SubmitReport(const WorkshopReach& reach,
                                                    const MonthlyReport& report,
                                                    const audit::Actor& actor, const Date& today) {
  auto w = Find(reach, report.workshop_id);
  if (!w) return std::unexpected(w.error());
  auto problems = ValidateReport(report, today);
  if (problems.empty()) {
    // Against the worker list: who was employed on some day of the month.
    const int64_t ids[] = {report.workshop_id};
    auto employments = repository_.EmploymentsOfWorkshops(ids);
    if (!employments) return std::unexpected(employments.error());
    const YearMonth month{report.year, report.month};
    std::set<std::string> workers, poor;
    for (const Employment& e : *employments) {
      if (e.start > month.Last() || (e.end && *e.end < month.First())) continue;
      workers.insert(e.person_key);
      if (e.category == "registered_poor") poor.insert(e.person_key);
    }
    if (static_cast<size_t>(report.headcount) > workers.size()) {
      problems.push_back(
          {0, "headcount", std::to_string(report.headcount),
           fmt::format("exceeds the {} worker(s) on the worker list employed in {}; record the "
                       "other workers first",
                       workers.size(), month.ToString())});
    }
    if (static_cast<size_t>(report.poor_headcount) > poor.size()) {
      problems.push_back(
          {0, "poor_headcount", std::to_string(report.poor_headcount),
           fmt::format("exceeds the {} registered-poor worker(s) on the worker list employed in "
                       "{}",
                       poor.size(), month.ToString())});
    }
  }
  if (!problems.empty()) {
    std::string message = fmt::format("the report has {} problem(s)", problems.size());
    return InvalidArgument(std::move(message), std::move(problems));
  }
  MonthlyReport stamped = report;
  stamped.submitted_at.clear();  // submitted now
  return repository_.SubmitReport(stamped, actor);
}

}  // namespace fupin::workshops
