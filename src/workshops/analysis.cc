#include "workshops/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace fupin::workshops {

std::string YearMonth::ToString() const { return fmt::format("{:04}-{:02}", year, month); }

bool RecognizedOn(const Workshop& w, const Date& day) {
  std::string status;
  for (const Recognition& r : w.recognitions) {
    if (r.on > day) break;
    status = r.status;
  }
  return status == "recognized" || status == "upgraded";
}

std::string StatusOn(const Workshop& w, const Date& day) {
  std::string status;
  for (const StatusChange& s : w.status_changes) {
    if (s.on > day) break;
    status = s.status;
  }
  return status;
}

Resumption ResumptionOn(const std::vector<Workshop>& workshops, const Date& day,
                        const ResumptionOptions& options) {
  Resumption out;
  out.day = day;
  for (const Workshop& w : workshops) {
    if (!RecognizedOn(w, day)) continue;
    const std::string status = StatusOn(w, day);
    if (status == "closed") {
      ++out.closed;
      if (!options.closed_in_denominator) continue;
    }
    ++out.recognized;
    if (IsOperating(status)) {
      ++out.operating;
      if (status == "partial") ++out.partial;
    } else if (status == "suspended") {
      ++out.suspended;
    } else if (status.empty()) {
      ++out.unknown;
    }
  }
  out.rate = out.recognized > 0 ? static_cast<double>(out.operating) / out.recognized : 0;
  out.convention = fmt::format(
      "rate = operating / recognized on {}; partly operating counts as resumed; recognized = "
      "recognized or upgraded and not revoked by that day; status = the latest status change on "
      "or before the day (none recorded = not operating); closed workshops {} the denominator",
      day.ToString(), options.closed_in_denominator ? "stay in" : "leave");
  return out;
}

std::vector<Resumption> ResumptionCurve(const std::vector<Workshop>& workshops, const Date& first,
                                        const Date& last, const ResumptionOptions& options) {
  std::vector<Resumption> curve;
  for (int64_t d = first.DaysSinceEpoch(); d <= last.DaysSinceEpoch(); ++d) {
    curve.push_back(ResumptionOn(workshops, Date::FromDaysSinceEpoch(d), options));
  }
  return curve;
}

std::vector<MonthlyReport> LatestRevisions(std::vector<MonthlyReport> reports) {
  // Keyed by workshop too: callers pass the reports of many workshops at once.
  std::map<std::pair<int64_t, YearMonth>, MonthlyReport> latest;
  for (MonthlyReport& r : reports) {
    auto [it, fresh] = latest.try_emplace({r.workshop_id, YearMonth{r.year, r.month}}, r);
    if (!fresh && r.revision > it->second.revision) it->second = std::move(r);
  }
  std::vector<MonthlyReport> out;
  for (auto& [month, r] : latest) out.push_back(std::move(r));
  return out;
}

namespace {

bool RecognizedInMonth(const Workshop& w, YearMonth m) {
  // Recognized on some day of the month: on its last day, or at any change within it.
  if (RecognizedOn(w, m.Last())) return true;
  for (const Recognition& r : w.recognitions) {
    if (r.on >= m.First() && r.on <= m.Last() && RecognizedOn(w, r.on)) return true;
  }
  return false;
}

const MonthlyReport* ReportOf(const std::vector<MonthlyReport>& reports, YearMonth m) {
  const MonthlyReport* found = nullptr;
  for (const MonthlyReport& r : reports) {
    if (r.year == m.year && r.month == m.month && (!found || r.revision > found->revision)) {
      found = &r;
    }
  }
  return found;
}

}  // namespace

std::vector<YearMonth> MissingReports(const Workshop& w, const std::vector<MonthlyReport>& reports,
                                      YearMonth first, YearMonth last) {
  std::vector<YearMonth> missing;
  for (YearMonth m = first; m <= last; m = m.Next()) {
    // A workshop closed all month owes no report.
    if (StatusOn(w, m.First()) == "closed") continue;
    if (RecognizedInMonth(w, m) && !ReportOf(reports, m)) missing.push_back(m);
  }
  return missing;
}

std::vector<IdleFinding> DetectIdle(const Workshop& w, const std::vector<MonthlyReport>& reports,
                                    const std::vector<Employment>& employments, YearMonth as_of,
                                    const IdleOptions& options) {
  std::vector<IdleFinding> findings;
  if (!RecognizedOn(w, as_of.Last()) || options.months <= 0) return findings;
  if (StatusOn(w, as_of.Last()) == "closed") return findings;  // closed, not idle
  std::vector<YearMonth> window;
  YearMonth m = as_of;
  for (int i = 0; i < options.months; ++i, m = m.Previous()) window.insert(window.begin(), m);

  // Few days operated in every month of the window (each month reported).
  bool all_few = true;
  std::string days;
  for (YearMonth month : window) {
    const MonthlyReport* r = ReportOf(reports, month);
    if (!r || r->days_operated >= options.min_days) {
      all_few = false;
      break;
    }
    days += fmt::format("{}{}: {}", days.empty() ? "" : ", ", month.ToString(), r->days_operated);
  }
  if (all_few) {
    findings.push_back({"few_days",
                        fmt::format("days operated {} (fewer than {} in each of {} consecutive "
                                    "months)",
                                    days, options.min_days, options.months),
                        window});
  }

  // Not reporting: none of the window's reports.
  const bool none = std::none_of(window.begin(), window.end(),
                                 [&](YearMonth month) { return ReportOf(reports, month); });
  if (none) {
    findings.push_back({"not_reporting",
                        fmt::format("no monthly report for {} to {}", window.front().ToString(),
                                    window.back().ToString()),
                        window});
  }

  // No poor workers: by the latest report of the window, or by the employment records.
  const MonthlyReport* latest = nullptr;
  for (YearMonth month : window) {
    if (const MonthlyReport* r = ReportOf(reports, month)) latest = r;
  }
  const Date last_day = as_of.Last();
  const int poor_employed = static_cast<int>(
      std::count_if(employments.begin(), employments.end(), [&](const Employment& e) {
        return e.category == "registered_poor" && e.EmployedOn(last_day);
      }));
  if ((latest && latest->poor_headcount == 0) || poor_employed == 0) {
    std::string why;
    if (latest && latest->poor_headcount == 0) {
      why = fmt::format("the {} report gives 0 registered-poor workers",
                        YearMonth{latest->year, latest->month}.ToString());
    }
    if (poor_employed == 0) {
      why += fmt::format("{}no registered-poor worker employed on {}", why.empty() ? "" : "; ",
                         last_day.ToString());
    }
    findings.push_back({"no_poor_workers", why, {as_of}});
  }
  return findings;
}

int DaysEmployed(const std::vector<Employment>& employments, const Date& first, const Date& last) {
  // Clip each period to the window, then merge overlapping ones.
  std::vector<std::pair<int64_t, int64_t>> spans;
  const int64_t lo = first.DaysSinceEpoch();
  const int64_t hi = last.DaysSinceEpoch();
  for (const Employment& e : employments) {
    const int64_t a = std::max(lo, e.start.DaysSinceEpoch());
    const int64_t b = std::min(hi, e.end ? e.end->DaysSinceEpoch() : hi);
    if (a <= b) spans.emplace_back(a, b);
  }
  std::sort(spans.begin(), spans.end());
  int64_t total = 0;
  int64_t open_a = 0, open_b = -1;
  bool open = false;
  for (const auto& [a, b] : spans) {
    if (open && a <= open_b + 1) {
      open_b = std::max(open_b, b);
      continue;
    }
    if (open) total += open_b - open_a + 1;
    open_a = a;
    open_b = b;
    open = true;
  }
  if (open) total += open_b - open_a + 1;
  return static_cast<int>(total);
}

WorkshopFigures ComputeFigures(const std::vector<Workshop>& workshops,
                               const std::vector<Employment>& employments,
                               const std::vector<MonthlyReport>& reports, YearMonth month,
                               const IdleOptions& idle) {
  WorkshopFigures f;
  f.month = month;
  const Date last = month.Last();
  f.resumption = ResumptionOn(workshops, last);
  std::map<int64_t, std::vector<MonthlyReport>> by_workshop;
  for (const MonthlyReport& r : reports) by_workshop[r.workshop_id].push_back(r);
  std::map<int64_t, std::vector<Employment>> jobs_of;
  for (const Employment& e : employments) jobs_of[e.workshop_id].push_back(e);
  for (const Workshop& w : workshops) {
    if (RecognizedOn(w, last)) {
      ++f.workshops;
      const std::string status = StatusOn(w, last);
      ++f.status[status.empty() ? "unknown" : status];
    }
    const auto& mine = by_workshop[w.id];
    if (RecognizedInMonth(w, month) && StatusOn(w, month.First()) != "closed") ++f.reports_due;
    if (!MissingReports(w, mine, month, month).empty()) f.missing.push_back(w.id);
    const MonthlyReport* latest = nullptr;
    for (const MonthlyReport& r : mine) {
      if (r.year == month.year && r.month == month.month &&
          (!latest || r.revision > latest->revision)) {
        latest = &r;
      }
    }
    if (latest) {
      f.jobs += latest->headcount;
      f.poor_jobs += latest->poor_headcount;
      f.wages_fen += latest->wages_fen;
      f.poor_wages_fen += latest->poor_wages_fen;
      f.output_fen += latest->output_fen;
      f.sales_fen += latest->sales_fen;
    }
    auto findings = DetectIdle(w, mine, jobs_of[w.id], month, idle);
    if (!findings.empty()) f.idle.emplace_back(w.id, std::move(findings));
  }
  f.poor_share = f.jobs > 0 ? static_cast<double>(f.poor_jobs) / static_cast<double>(f.jobs) : 0;
  if (f.poor_jobs > 0) f.mean_poor_wage_fen = f.poor_wages_fen / f.poor_jobs;
  f.convention = fmt::format(
      "month {}: workshops = recognized on its last day; jobs, wages and output from the latest "
      "revision of each workshop's report of the month; poor_share = registered-poor headcount "
      "/ headcount; mean poor wage = wages paid to registered-poor workers / their headcount "
      "(fen per month, rounded down); idle: fewer than {} days operated in each of {} "
      "consecutive months, no registered-poor worker, or no report in that window",
      month.ToString(), idle.min_days, idle.months);
  return f;
}

Date ReportDeadline(YearMonth month) {
  const YearMonth next = month.Next();
  return {next.year, next.month, 10};
}

bool SubmittedLate(const MonthlyReport& report) {
  // "YYYY-MM-DDTHH:MM:SSZ": the day in UTC, the next one from 16:00 UTC in China.
  auto day = ParseDate(std::string_view(report.submitted_at).substr(0, 10));
  if (!day || report.submitted_at.size() < 13) return false;
  const int hour = (report.submitted_at[11] - '0') * 10 + (report.submitted_at[12] - '0');
  Date china = *day;
  if (hour >= 16) china = Date::FromDaysSinceEpoch(day->DaysSinceEpoch() + 1);
  return ReportDeadline({report.year, report.month}) < china;
}

}  // namespace fupin::workshops
