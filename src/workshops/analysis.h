// What is computed about workshops, as pure functions over loaded data: recognition and
// operating status on a day, the resumption rate (复工率) on a day and its daily curve after a
// shock, reports due but missing, idle ("empty shell", 空壳) detection, and the days a person
// was employed within a period (for the subsidy rules).
// Every result carries the conventions it used, so that a figure can be explained.
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "workshops/model.h"

namespace fupin::workshops {

// Recognized (or upgraded) and not revoked on `day`.
bool RecognizedOn(const Workshop& w, const Date& day);

// The operating status on `day`: the latest status change on or before it; "" when none.
std::string StatusOn(const Workshop& w, const Date& day);

struct ResumptionOptions {
  // Whether workshops closed (关停) on the day stay in the denominator. Off by default: a
  // closed workshop is not expected to resume; the figure says which was used.
  bool closed_in_denominator = false;
};

struct Resumption {
  Date day;
  int recognized = 0;  // recognized workshops on the day (the denominator)
  int operating = 0;   // of them, operating or partly operating (the numerator)
  int partial = 0;     // of the operating, partly
  int suspended = 0;
  int closed = 0;
  int unknown = 0;  // recognized but without any status recorded by then
  double rate = 0;  // operating / recognized, 0 when none is recognized
  std::string convention;
};

// The resumption rate on `day` over `workshops`: the share of recognized workshops operating
// ("partly operating" counts as resumed).
Resumption ResumptionOn(const std::vector<Workshop>& workshops, const Date& day,
                        const ResumptionOptions& options = {});

// One point per day from `first` to `last` (inclusive).
std::vector<Resumption> ResumptionCurve(const std::vector<Workshop>& workshops, const Date& first,
                                        const Date& last, const ResumptionOptions& options = {});

struct YearMonth {
  int year = 0;
  int month = 0;
  auto operator<=>(const YearMonth&) const = default;
  YearMonth Next() const {
    return month == 12 ? YearMonth{year + 1, 1} : YearMonth{year, month + 1};
  }
  YearMonth Previous() const {
    return month == 1 ? YearMonth{year - 1, 12} : YearMonth{year, month - 1};
  }
  Date First() const { return {year, month, 1}; }
  Date Last() const { return {year, month, DaysInMonth(year, month)}; }
  std::string ToString() const;  // YYYY-MM
};

// The months from `first` to `last` in which the workshop was recognized on some day, was not
// closed all month, and has no report: reports due and not submitted.
std::vector<YearMonth> MissingReports(const Workshop& w, const std::vector<MonthlyReport>& reports,
                                      YearMonth first, YearMonth last);

struct IdleOptions {
  int min_days = 10;  // operating fewer days than this in a month counts as idle that month
  int months = 3;     // for this many consecutive months
};

// One reason a workshop looks idle, with the values that decided it.
struct IdleFinding {
  std::string rule;    // "few_days", "no_poor_workers", "not_reporting"
  std::string detail;  // e.g. "days operated 2024-01: 3, 2024-02: 0, 2024-03: 5 (< 10)"
  std::vector<YearMonth> months;
};

// Idle detection for a workshop recognized at the end of `as_of`'s month: fewer than
// `min_days` days operated in each of the `months` months up to `as_of` (a month without a
// report counts as 0 days only under not_reporting, not here); no poor workers (the latest
// report in the window says none, or no registered-poor worker was employed on the window's
// last day); not reporting (none of the `months` reports submitted). Empty when not recognized
// then, closed (a closed workshop is not idle), or none applies. `employments` are the workshop's.
std::vector<IdleFinding> DetectIdle(const Workshop& w, const std::vector<MonthlyReport>& reports,
                                    const std::vector<Employment>& employments, YearMonth as_of,
                                    const IdleOptions& options = {});

// The days within [first, last] on which the person was employed in at least one of
// `employments` (periods in any workshop are summed; a day of two overlapping jobs counts once).
int DaysEmployed(const std::vector<Employment>& employments, const Date& first, const Date& last);

// The figures of a set of workshops (a region's) for one month.
struct WorkshopFigures {
  YearMonth month;
  int workshops = 0;                  // recognized at the month's end
  std::map<std::string, int> status;  // recognized workshops by operating status at month end
  Resumption resumption;              // on the month's last day
  // From the month's reports (latest revisions):
  int reports_due = 0;
  std::vector<int64_t> missing;  // workshops whose report is due and missing
  int64_t jobs = 0;              // headcount reported
  int64_t poor_jobs = 0;         // registered-poor headcount reported
  double poor_share = 0;         // poor_jobs / jobs
  int64_t wages_fen = 0;
  int64_t poor_wages_fen = 0;                 // wages paid to registered-poor workers
  std::optional<int64_t> mean_poor_wage_fen;  // poor_wages / poor_jobs (monthly)
  int64_t output_fen = 0;
  int64_t sales_fen = 0;
  // Idle workshops (DetectIdle) with their findings.
  std::vector<std::pair<int64_t, std::vector<IdleFinding>>> idle;
  std::string convention;
};

// Computes the figures of `workshops` for `month`; `employments` and `reports` are theirs (any
// revisions; the latest of each month counts).
WorkshopFigures ComputeFigures(const std::vector<Workshop>& workshops,
                               const std::vector<Employment>& employments,
                               const std::vector<MonthlyReport>& reports, YearMonth month,
                               const IdleOptions& idle = {});

// A month's report is due by the 10th of the following month (China Standard Time).
Date ReportDeadline(YearMonth month);
// True when the report was submitted (its UTC `submitted_at`, taken in China Standard Time)
// after its month's deadline.
bool SubmittedLate(const MonthlyReport& report);

// The latest revision of each workshop's report of each month, by workshop and month.
std::vector<MonthlyReport> LatestRevisions(std::vector<MonthlyReport> reports);

}  // namespace fupin::workshops
