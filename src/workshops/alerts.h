// Workshop alerts (车间预警): a pure function from a month's workshops, their workers, reports
// and what the registry says about the workers to alerts. Each alert names its rule, the
// workshop (and, for a worker, the member id — never an ID number or a name), the month, the
// values it fired on and the thresholds they were compared with, and a message in English
// (canonical; base/chinese.cc holds its Chinese). The rules, for a month M:
//
//   idle_few_days             DetectIdle's few_days: fewer than idle.min_days days operated in
//                             each of the idle.months months up to M (each month reported)
//   idle_no_poor_workers      DetectIdle's no_poor_workers: M's window's latest report gives 0
//                             registered-poor workers, or none is employed on M's last day
//   not_reporting             DetectIdle's not_reporting: none of the idle.months reports up to
//                             M was submitted
//   poor_share_below_standard M's report: registered-poor headcount / headcount below
//                             min_poor_share, and (when min_poor_workers > 0) fewer than
//                             min_poor_workers registered-poor workers — the recognition
//                             standard is met by either
//   poor_wage_below_floor     M's report: wages paid to registered-poor workers / their
//                             headcount (fen per month, rounded down) below poor_wage_floor_fen
//   worker_without_labour     a worker employed on some day of M whom the registry lists as
//                             having no labour capacity (无劳动力) or having lost it (丧失劳动力)
//
// Workshop rules look only at workshops recognized at M's end and not closed then (the idle
// rules as DetectIdle; a closed workshop owes nothing); the report rules need M's report
// (latest revision) with workers in it — a missing report is not_reporting's business, a
// report without workers idle_no_poor_workers'. The worker rule looks at every employment of
// the given workshops. Thresholds compare with a tolerance of 1e-9 on shares: a share exactly
// at the standard meets it.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workshops/analysis.h"
#include "workshops/model.h"
#include "workshops/subsidy.h"

namespace fupin::workshops {

struct AlertOptions {
  IdleOptions idle;  // days and months as DetectIdle (defaults 10 days, 3 months: issue #6)
  // The recognition standard for the share of registered-poor workers. Placeholder defaults:
  // provinces' recognition rules commonly ask for about 30% of the workers (or a minimum
  // number, e.g. 10, varying by province and year); the source documents give no figure.
  double min_poor_share = 0.30;
  int min_poor_workers = 0;  // 0 = the share alone decides
  // Floor of the mean monthly wage of registered-poor workers, in fen. Placeholder default:
  // 1,600 yuan, the low end of the monthly wages in Gansu's workshops in 2020 (seeds/003:
  // "1600 yuan to 3,500 yuan"); set it to the province's minimum wage.
  int64_t poor_wage_floor_fen = 160000;
  // Where these options come from: "" for the built-in defaults above, else the stored
  // standard's "PROVINCE/YEAR" ("national/YEAR" for the default row); a request that overrides
  // any option says so with a trailing " (adjusted)".
  std::string standard;
};

// 扶贫车间认定与预警标准: the alert thresholds a province set (or, with province_code "", the
// default of every province without its own), in force from 1 January of `year` until a
// later year's row of the same province. Stored; edited by those with workshops.configure.
struct AlertStandard {
  std::string province_code;  // 12-digit province code ("620000000000"), or ""
  int year = 0;
  AlertOptions options;  // `standard` unused
  std::string note;      // the document it comes from
  std::string updated_by;
  std::string updated_at;  // UTC timestamp
};

// The options in force for `region_code`'s province in `year`: its province's row with the
// latest year not after `year`, else the default ("") row likewise, else AlertOptions{}.
// `standard` says which.
AlertOptions ResolveAlertOptions(const std::vector<AlertStandard>& standards,
                                 std::string_view region_code, int year);

// Checks a standard before it is stored: a province code ("" or a 12-digit code ending in ten
// zeros), a year from 2013 to 2100, and ValidateAlertOptions. Problems name the field.
std::vector<ErrorDetail> ValidateAlertStandard(const AlertStandard& standard);

// The rule codes, in the order alerts of one workshop come.
const std::vector<std::string>& AlertRules();

struct AlertInput {
  std::vector<Workshop> workshops;
  std::vector<Employment> employments;  // of these workshops
  // Of these workshops, covering at least the idle window up to the month (any revisions;
  // the latest of each month counts).
  std::vector<MonthlyReport> reports;
  std::map<int64_t, PersonFacts> people;  // what the registry says, by member id (labour)
};

// A named number an alert fired on, or a threshold it was compared with.
struct AlertValue {
  std::string name;  // e.g. "poor_share", "days_operated_2024-01"
  double value = 0;
};

struct WorkshopAlert {
  std::string rule;  // AlertRules()
  int64_t workshop_id = 0;
  int64_t member_id = 0;      // worker rules; 0 otherwise
  int64_t employment_id = 0;  // worker rules; 0 otherwise
  YearMonth month;
  std::vector<AlertValue> values;
  std::vector<AlertValue> thresholds;
  std::string detail;   // worker_without_labour: the registry's code ("none" / "lost")
  std::string message;  // English, with the values; ToChinese gives the Chinese
};

// The alerts for `month` over `input`: workshops in the order given, each workshop's alerts in
// AlertRules() order, worker alerts by employment id. Deterministic.
std::vector<WorkshopAlert> ComputeAlerts(const AlertInput& input, YearMonth month,
                                         const AlertOptions& options = {});

// Checks options: idle as WorkshopService::Figures, min_poor_share within [0, 1],
// min_poor_workers and the floor not negative. Problems name the option; empty = valid.
std::vector<ErrorDetail> ValidateAlertOptions(const AlertOptions& options);

}  // namespace fupin::workshops
