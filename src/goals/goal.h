// Goals (目标管理): a SMART target on an indicator of the catalogue for a region — baseline
// value and date, target value, deadline, responsible unit and person — and its progress,
// computed from the indicator's actual values.
//
// Progress conventions (docs/goals.md):
//   - percent = (actual − baseline) ÷ (target − baseline) × 100: the share of the way from the
//     baseline to the target covered (negative when the indicator moved away from the target,
//     above 100 beyond it), for indicators where higher or lower is better alike;
//   - expected = the share of the time from the baseline date to the deadline elapsed on the
//     day of the actual value (the straight line), clamped to 0..100;
//   - status: `achieved` when percent ≥ 100; else `off_track` once the deadline has passed;
//     else, with ratio = percent ÷ expected (on or before the baseline date: on track when
//     percent ≥ 0), `on_track` when ratio ≥ on_track_ratio (default 0.9), `at_risk` when
//     ratio ≥ at_risk_ratio (default 0.7), `off_track` below; `no_data` without a value.
//     Comparisons allow 1e-9.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "indicators/indicator.h"

namespace fupin::goals {

struct Goal {
  int64_t id = 0;
  std::string region_code;  // 12 digits: the region the target is for
  std::string indicator;    // a catalogue code, e.g. poverty_incidence, or a project's output
                            // "project:<id>:<target key>" (goal_service.h's OutputIndicators)
  std::string title;        // optional short name; the indicator's name when empty
  std::optional<double> baseline;
  std::optional<Date> baseline_date;
  std::optional<double> target;
  std::optional<Date> deadline;
  std::string responsible_unit;    // 责任单位
  std::string responsible_person;  // 责任人
  std::string note;
  double on_track_ratio = 0.9;
  double at_risk_ratio = 0.7;
  int64_t version = 1;
  std::string created_by;
  std::string created_at;  // UTC timestamps
  std::string updated_by;
  std::string updated_at;
};

// Checks a goal before it is stored: every problem names its field and says why the goal is
// not measurable (no indicator, an indicator not in `catalogue`, no baseline value or date,
// no target or one equal to the baseline, a target on the wrong side of the baseline for an
// indicator where higher (lower) is better, no deadline or one not after the baseline date),
// plus a malformed region and ratios outside 0 < at_risk ≤ on_track ≤ 1.
std::vector<ErrorDetail> ValidateGoal(const Goal& goal, const indicators::Catalogue& catalogue);
// The same with the goal's indicator resolved by the caller (nullptr: unknown, refused with
// `unknown_reason`), for indicators outside the catalogue such as a project's output.
std::vector<ErrorDetail> ValidateGoal(const Goal& goal, const indicators::Indicator* indicator,
                                      const std::string& unknown_reason);

struct Progress {
  Date as_of;                     // the day the actual value stands for
  std::optional<double> actual;   // the indicator's value then; nullopt = no data
  std::optional<double> percent;  // of the way from baseline to target
  double expected = 0;            // percent of the way the straight line is at on `as_of`
  std::optional<double> ratio;    // percent ÷ expected, when expected > 0
  std::string status;             // achieved, on_track, at_risk, off_track, no_data
  std::string explanation;        // in English, with the figures
};

// The progress of a (valid) goal given the indicator's value `actual` on `as_of`.
Progress ComputeProgress(const Goal& goal, std::optional<double> actual, const Date& as_of);

// The statuses, in the order a board shows them.
const std::vector<std::string>& GoalStatuses();

}  // namespace fupin::goals
