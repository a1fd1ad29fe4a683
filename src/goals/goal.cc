#include "goals/goal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace fupin::goals {
namespace {

constexpr double kTolerance = 1e-9;

bool IsRegionCode(const std::string& code) {
  return code.size() == 12 &&
         std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string Number(double v) { return fmt::format("{:.4g}", v); }

}  // namespace

const std::vector<std::string>& GoalStatuses() {
  static const std::vector<std::string> kStatuses = {"off_track", "at_risk", "on_track", "achieved",
                                                     "no_data"};
  return kStatuses;
}

std::vector<ErrorDetail> ValidateGoal(const Goal& g, const indicators::Catalogue& catalogue) {
  return ValidateGoal(g, catalogue.Find(g.indicator), "is not in the indicator catalogue");
}

std::vector<ErrorDetail> ValidateGoal(const Goal& g, const indicators::Indicator* indicator,
                                      const std::string& unknown_reason) {
  std::vector<ErrorDetail> problems;
  auto problem = [&](std::string field, std::string value, std::string reason) {
    problems.push_back({0, std::move(field), std::move(value), std::move(reason)});
  };
  if (!IsRegionCode(g.region_code)) {
    problem("region", g.region_code, "must be a 12-digit region code");
  }
  if (g.indicator.empty()) {
    problem("indicator", "", "is required: a goal without an indicator cannot be measured");
  } else if (!indicator) {
    problem("indicator", g.indicator, unknown_reason);
  }
  if (!g.baseline) problem("baseline", "", "is required: progress is measured from it");
  if (!g.baseline_date) problem("baseline_date", "", "is required (YYYY-MM-DD)");
  if (!g.target) {
    problem("target", "", "is required: a goal without a target value cannot be measured");
  } else if (g.baseline && std::abs(*g.target - *g.baseline) < kTolerance) {
    problem("target", Number(*g.target), "equals the baseline: there is nothing to achieve");
  } else if (g.baseline && indicator) {
    if (indicator->direction == indicators::Direction::kHigherBetter && *g.target < *g.baseline) {
      problem("target", Number(*g.target),
              fmt::format("is below the baseline {}, but higher values of {} are better",
                          Number(*g.baseline), g.indicator));
    } else if (indicator->direction == indicators::Direction::kLowerBetter &&
               *g.target > *g.baseline) {
      problem("target", Number(*g.target),
              fmt::format("is above the baseline {}, but lower values of {} are better",
                          Number(*g.baseline), g.indicator));
    }
  }
  if (!g.deadline) {
    problem("deadline", "", "is required: a goal without a deadline cannot be measured");
  } else if (g.baseline_date && *g.deadline <= *g.baseline_date) {
    problem("deadline", g.deadline->ToString(),
            fmt::format("is not after the baseline date {}", g.baseline_date->ToString()));
  }
  if (!(g.on_track_ratio > 0 && g.on_track_ratio <= 1)) {
    problem("on_track_ratio", Number(g.on_track_ratio), "must be above 0 and at most 1");
  }
  if (!(g.at_risk_ratio > 0 && g.at_risk_ratio <= g.on_track_ratio)) {
    problem("at_risk_ratio", Number(g.at_risk_ratio), "must be above 0 and at most on_track_ratio");
  }
  return problems;
}

Progress ComputeProgress(const Goal& g, std::optional<double> actual, const Date& as_of) {
  Progress p;
  p.as_of = as_of;
  p.actual = actual;
  const double baseline = g.baseline.value_or(0);
  const double target = g.target.value_or(0);
  const Date start = g.baseline_date.value_or(as_of);
  const Date end = g.deadline.value_or(as_of);
  const double span = static_cast<double>(end.DaysSinceEpoch() - start.DaysSinceEpoch());
  const double elapsed = static_cast<double>(as_of.DaysSinceEpoch() - start.DaysSinceEpoch());
  p.expected = span > 0 ? std::clamp(elapsed / span * 100, 0.0, 100.0) : 100;
  if (!actual) {
    p.status = "no_data";
    p.explanation = fmt::format("no value of {} on {}", g.indicator, as_of.ToString());
    return p;
  }
  const double percent = (*actual - baseline) / (target - baseline) * 100;
  p.percent = percent;
  if (p.expected > kTolerance) p.ratio = percent / p.expected;
  const std::string figures = fmt::format(
      "{} on {}: {:.1f}% of the way from {} to {} (the straight line is at {:.1f}%)",
      Number(*actual), as_of.ToString(), percent, Number(baseline), Number(target), p.expected);
  if (percent >= 100 - kTolerance) {
    p.status = "achieved";
    p.explanation = figures + ": achieved";
  } else if (as_of > end) {
    p.status = "off_track";
    p.explanation = figures + fmt::format(": the deadline {} has passed", end.ToString());
  } else if (!p.ratio) {
    p.status = percent >= -kTolerance ? "on_track" : "off_track";
    p.explanation = figures;
  } else if (*p.ratio >= g.on_track_ratio - kTolerance) {
    p.status = "on_track";
    p.explanation =
        figures + fmt::format(": {:.2f} of the line, at least {:.2f}", *p.ratio, g.on_track_ratio);
  } else if (*p.ratio >= g.at_risk_ratio - kTolerance) {
    p.status = "at_risk";
    p.explanation = figures + fmt::format(": {:.2f} of the line, below {:.2f} but at least {:.2f}",
                                          *p.ratio, g.on_track_ratio, g.at_risk_ratio);
  } else {
    p.status = "off_track";
    p.explanation =
        figures + fmt::format(": {:.2f} of the line, below {:.2f}", *p.ratio, g.at_risk_ratio);
  }
  return p;
}

}  // namespace fupin::goals
