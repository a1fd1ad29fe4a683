#include "workshops/alerts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace fupin::workshops {
namespace {

constexpr double kTolerance = 1e-9;

// "1234.50" for 123450 fen.
std::string Yuan(int64_t fen) {
  const int64_t a = fen < 0 ? -fen : fen;
  return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", a / 100, a % 100);
}

// A share as a percentage with at most one decimal: "25", "33.3".
std::string Percent(double share) {
  const double p = std::round(share * 1000) / 10;
  return p == std::floor(p) ? fmt::format("{:.0f}", p) : fmt::format("{:.1f}", p);
}

const MonthlyReport* LatestOf(const std::vector<const MonthlyReport*>& reports, YearMonth m) {
  const MonthlyReport* found = nullptr;
  for (const MonthlyReport* r : reports) {
    if (r->year == m.year && r->month == m.month && (!found || r->revision > found->revision)) {
      found = r;
    }
  }
  return found;
}

bool WithoutLabour(std::string_view labour) { return labour == "none" || labour == "lost"; }

std::string LabourLabel(std::string_view labour) {
  return labour == "none" ? "no labour capacity" : "lost labour capacity";
}

}  // namespace

const std::vector<std::string>& AlertRules() {
  static const std::vector<std::string> kRules = {
      "idle_few_days",         "idle_no_poor_workers", "not_reporting", "poor_share_below_standard",
      "poor_wage_below_floor", "worker_without_labour"};
  return kRules;
}

std::vector<ErrorDetail> ValidateAlertOptions(const AlertOptions& o) {
  std::vector<ErrorDetail> problems;
  if (o.idle.months < 1 || o.idle.months > 24) {
    problems.push_back({0, "idle_months", std::to_string(o.idle.months), "must be 1 to 24"});
  }
  if (o.idle.min_days < 0 || o.idle.min_days > 31) {
    problems.push_back({0, "idle_days", std::to_string(o.idle.min_days), "must be 0 to 31"});
  }
  if (!(o.min_poor_share >= 0 && o.min_poor_share <= 1)) {
    problems.push_back(
        {0, "min_poor_share", fmt::format("{}", o.min_poor_share), "must be from 0 to 1"});
  }
  if (o.min_poor_workers < 0) {
    problems.push_back(
        {0, "min_poor_workers", std::to_string(o.min_poor_workers), "must not be negative"});
  }
  if (o.poor_wage_floor_fen < 0) {
    problems.push_back(
        {0, "poor_wage_floor_fen", std::to_string(o.poor_wage_floor_fen), "must not be negative"});
  }
  return problems;
}

AlertOptions ResolveAlertOptions(const std::vector<AlertStandard>& standards,
                                 std::string_view region_code, int year) {
  const std::string province =
      region_code.size() >= 2 ? std::string(region_code.substr(0, 2)) + "0000000000" : "";
  const AlertStandard* own = nullptr;
  const AlertStandard* fallback = nullptr;
  for (const AlertStandard& s : standards) {
    if (s.year > year) continue;
    if (!province.empty() && s.province_code == province && (!own || s.year > own->year)) {
      own = &s;
    }
    if (s.province_code.empty() && (!fallback || s.year > fallback->year)) fallback = &s;
  }
  const AlertStandard* chosen = own ? own : fallback;
  if (!chosen) return AlertOptions{};
  AlertOptions out = chosen->options;
  out.standard = fmt::format(
      "{}/{}", chosen->province_code.empty() ? "national" : chosen->province_code, chosen->year);
  return out;
}

std::vector<ErrorDetail> ValidateAlertStandard(const AlertStandard& s) {
  std::vector<ErrorDetail> problems;
  const std::string& p = s.province_code;
  const bool province_ok =
      p.empty() || (p.size() == 12 && std::all_of(p.begin(), p.end(), ::isdigit) &&
                    p.substr(2) == "0000000000" && p.substr(0, 2) != "00");
  if (!province_ok) {
    problems.push_back(
        {0, "province", p, "must be a province's 12-digit code (e.g. 620000000000) or empty"});
  }
  if (s.year < 2013 || s.year > 2100) {
    problems.push_back({0, "year", std::to_string(s.year), "must be from 2013 to 2100"});
  }
  for (ErrorDetail& d : ValidateAlertOptions(s.options)) problems.push_back(std::move(d));
  return problems;
}

std::vector<WorkshopAlert> ComputeAlerts(const AlertInput& input, YearMonth month,
                                         const AlertOptions& options) {
  std::map<int64_t, std::vector<const MonthlyReport*>> reports_of;
  for (const MonthlyReport& r : input.reports) reports_of[r.workshop_id].push_back(&r);
  std::map<int64_t, std::vector<const Employment*>> jobs_of;
  for (const Employment& e : input.employments) jobs_of[e.workshop_id].push_back(&e);

  std::vector<WorkshopAlert> out;
  const Date last = month.Last();
  for (const Workshop& w : input.workshops) {
    auto alert = [&](std::string rule) {
      WorkshopAlert a;
      a.rule = std::move(rule);
      a.workshop_id = w.id;
      a.month = month;
      return a;
    };
    const bool watched = RecognizedOn(w, last) && StatusOn(w, last) != "closed";
    if (watched) {
      std::vector<MonthlyReport> mine;
      for (const MonthlyReport* r : reports_of[w.id]) mine.push_back(*r);
      std::vector<Employment> jobs;
      for (const Employment* e : jobs_of[w.id]) jobs.push_back(*e);
      for (const IdleFinding& f : DetectIdle(w, mine, jobs, month, options.idle)) {
        if (f.rule == "few_days") {
          WorkshopAlert a = alert("idle_few_days");
          std::string days;
          for (YearMonth m : f.months) {
            const MonthlyReport* r = LatestOf(reports_of[w.id], m);
            const int d = r ? r->days_operated : 0;
            a.values.push_back({"days_operated_" + m.ToString(), static_cast<double>(d)});
            days += fmt::format("{}{}: {}", days.empty() ? "" : ", ", m.ToString(), d);
          }
          a.thresholds = {{"min_days", static_cast<double>(options.idle.min_days)},
                          {"months", static_cast<double>(options.idle.months)}};
          a.message =
              fmt::format("operated fewer than {} days in each of {} consecutive months ({})",
                          options.idle.min_days, options.idle.months, days);
          out.push_back(std::move(a));
        } else if (f.rule == "no_poor_workers") {
          WorkshopAlert a = alert("idle_no_poor_workers");
          const MonthlyReport* latest = nullptr;
          // The latest report of the idle window, as DetectIdle looked at it.
          YearMonth m = month;
          for (int i = 0; i < options.idle.months && !latest; ++i, m = m.Previous()) {
            latest = LatestOf(reports_of[w.id], m);
          }
          const int employed =
              static_cast<int>(std::count_if(jobs.begin(), jobs.end(), [&](const Employment& e) {
                return e.category == "registered_poor" && e.EmployedOn(last);
              }));
          if (latest) {
            a.values.push_back(
                {"poor_headcount_reported", static_cast<double>(latest->poor_headcount)});
          }
          a.values.push_back({"poor_workers_employed", static_cast<double>(employed)});
          a.thresholds = {{"min_poor_workers", 1}};
          a.message = latest && latest->poor_headcount == 0
                          ? fmt::format(
                                "the {} report gives no registered-poor worker; {} are employed "
                                "on {} by the employment records",
                                YearMonth{latest->year, latest->month}.ToString(), employed,
                                last.ToString())
                          : fmt::format(
                                "no registered-poor worker is employed on {} by the employment "
                                "records",
                                last.ToString());
          out.push_back(std::move(a));
        } else if (f.rule == "not_reporting") {
          WorkshopAlert a = alert("not_reporting");
          a.values = {{"reports_submitted", 0}};
          a.thresholds = {{"months", static_cast<double>(options.idle.months)}};
          a.message =
              fmt::format("no monthly report for {} to {} ({} months)", f.months.front().ToString(),
                          f.months.back().ToString(), f.months.size());
          out.push_back(std::move(a));
        }
      }

      const MonthlyReport* r = LatestOf(reports_of[w.id], month);
      if (r && r->headcount > 0) {
        const double share = static_cast<double>(r->poor_headcount) / r->headcount;
        const bool share_met = share + kTolerance >= options.min_poor_share;
        const bool count_met =
            options.min_poor_workers > 0 && r->poor_headcount >= options.min_poor_workers;
        if (!share_met && !count_met) {
          WorkshopAlert a = alert("poor_share_below_standard");
          a.values = {{"poor_share", share},
                      {"poor_headcount", static_cast<double>(r->poor_headcount)},
                      {"headcount", static_cast<double>(r->headcount)}};
          a.thresholds = {{"min_poor_share", options.min_poor_share}};
          if (options.min_poor_workers > 0) {
            a.thresholds.push_back(
                {"min_poor_workers", static_cast<double>(options.min_poor_workers)});
            a.message = fmt::format(
                "registered-poor workers are {}% of the headcount ({} of {}), below the "
                "recognition standard of {}% or {} workers",
                Percent(share), r->poor_headcount, r->headcount, Percent(options.min_poor_share),
                options.min_poor_workers);
          } else {
            a.message = fmt::format(
                "registered-poor workers are {}% of the headcount ({} of {}), below the "
                "recognition standard of {}%",
                Percent(share), r->poor_headcount, r->headcount, Percent(options.min_poor_share));
          }
          out.push_back(std::move(a));
        }
      }
      if (r && r->poor_headcount > 0) {
        const int64_t mean = r->poor_wages_fen / r->poor_headcount;
        if (mean < options.poor_wage_floor_fen) {
          WorkshopAlert a = alert("poor_wage_below_floor");
          a.values = {{"mean_poor_wage_fen", static_cast<double>(mean)},
                      {"poor_wages_fen", static_cast<double>(r->poor_wages_fen)},
                      {"poor_headcount", static_cast<double>(r->poor_headcount)}};
          a.thresholds = {
              {"poor_wage_floor_fen", static_cast<double>(options.poor_wage_floor_fen)}};
          a.message = fmt::format(
              "the mean monthly wage of registered-poor workers is {} yuan ({} yuan paid to {} "
              "workers), below the floor of {} yuan",
              Yuan(mean), Yuan(r->poor_wages_fen), r->poor_headcount,
              Yuan(options.poor_wage_floor_fen));
          out.push_back(std::move(a));
        }
      }
    }

    // Workers without labour capacity, whatever the workshop's state: the record says they
    // work there.
    std::vector<const Employment*> jobs = jobs_of[w.id];
    std::sort(jobs.begin(), jobs.end(),
              [](const Employment* a, const Employment* b) { return a->id < b->id; });
    for (const Employment* e : jobs) {
      const bool in_month = e->start <= last && (!e->end || *e->end >= month.First());
      if (!in_month) continue;
      auto facts = input.people.find(e->member_id);
      if (facts == input.people.end() || !WithoutLabour(facts->second.labour)) continue;
      WorkshopAlert a = alert("worker_without_labour");
      a.member_id = e->member_id;
      a.employment_id = e->id;
      a.detail = facts->second.labour;
      a.message =
          fmt::format("member {} is employed here in {} but the registry lists them with {}",
                      e->member_id, month.ToString(), LabourLabel(facts->second.labour));
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace fupin::workshops
