#include "goals/goal_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "access/permissions.h"

namespace fupin::goals {
Result<std::vector<OutputIndicators::Output>> GoalService::Outputs(
    const std::vector<std::string>& scope, const std::string& region) {
  if (!outputs_) return std::vector<OutputIndicators::Output>{};
  return outputs_->List(scope, region);
}

Result<std::optional<double>> GoalService::ValueOn(const Goal& goal, const Period& period,
                                                   std::string* region_name) {
  if (IsOutput(goal.indicator)) {
    auto output = outputs_->Describe(goal.indicator);
    // A project deleted or a target removed since: no value rather than a failed board.
    if (!output) return std::optional<double>();
    if (region_name) *region_name = output->region_name;
    return outputs_->ValueOn(goal.indicator, period.last);
  }
  if (!indicators_.catalogue().Find(goal.indicator)) return std::optional<double>();
  auto report = indicators_.Values({goal.region_code, period, false, {goal.indicator}}, {""});
  if (!report) {
    // A region closed or removed since: no value rather than a failed board.
    if (report.error().code == ErrorCode::kNotFound) return std::optional<double>();
    return std::unexpected(report.error());
  }
  if (region_name && !report->regions.empty()) *region_name = report->regions.front().name;
  if (report->values.empty()) return std::optional<double>();
  return report->values.front().value;
}

Result<GoalView> GoalService::View(const Goal& goal, const Date& today) {
  GoalView v;
  v.goal = goal;
  v.indicator = indicators_.catalogue().Find(goal.indicator);
  if (IsOutput(goal.indicator)) {
    if (auto output = outputs_->Describe(goal.indicator)) v.indicator = output->indicator;
  }
  auto actual = ValueOn(goal, indicators::DayPeriod(today), &v.region_name);
  if (!actual) return std::unexpected(actual.error());
  Date as_of = today;
  // Yearly figures (incomes, entered statistics) lag: without a value today, the latest year
  // with one, back to the baseline's year, stands for "now" — and the line is read there.
  const int first_year = goal.baseline_date ? goal.baseline_date->year : today.year - 5;
  for (int year = today.year - 1; !*actual && year >= first_year; --year) {
    actual = ValueOn(goal, indicators::YearPeriod(year), nullptr);
    if (!actual) return std::unexpected(actual.error());
    as_of = Date{year, 12, 31};
  }
  if (!*actual) as_of = today;
  v.progress = ComputeProgress(goal, *actual, as_of);
  return v;
}

Result<std::vector<GoalView>> GoalService::Board(const std::vector<std::string>& scope,
                                                 const std::string& region,
                                                 const std::string& indicator) {
  // A region above the caller's shows the goals of the caller's part of it.
  auto goals = repository_.ListGoals({scope, region, indicator});
  if (!goals) return std::unexpected(goals.error());
  const Date today = ChinaDate(clock_.Now());
  std::vector<GoalView> out;
  for (const Goal& g : *goals) {
    auto v = View(g, today);
    if (!v) return std::unexpected(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<Goal> GoalService::Find(const std::vector<std::string>& scope, int64_t id) {
  auto found = repository_.FindGoal(id, scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) return NotFound(fmt::format("no goal with id {}", id));
  return std::move(**found);
}

Result<GoalDetail> GoalService::Detail(const std::vector<std::string>& scope, int64_t id) {
  auto found = repository_.FindGoal(id, scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) return NotFound(fmt::format("no goal with id {}", id));
  const Goal& g = **found;
  const Date today = ChinaDate(clock_.Now());
  GoalDetail d;
  auto view = View(g, today);
  if (!view) return std::unexpected(view.error());
  d.view = std::move(*view);
  std::vector<Date> days;
  if (g.baseline_date) days.push_back(*g.baseline_date);
  const int first_year = g.baseline_date ? g.baseline_date->year : today.year;
  for (int y = first_year; y < today.year; ++y) days.push_back({y, 12, 31});
  days.push_back(today);
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  for (const Date& day : days) {
    auto value = ValueOn(g, indicators::DayPeriod(day), nullptr);
    if (!value) return std::unexpected(value.error());
    HistoryPoint point{day, *value, std::nullopt};
    if (g.baseline && g.target && g.baseline_date && g.deadline && day >= *g.baseline_date &&
        day <= *g.deadline) {
      const double share =
          static_cast<double>(day.DaysSinceEpoch() - g.baseline_date->DaysSinceEpoch()) /
          static_cast<double>(g.deadline->DaysSinceEpoch() - g.baseline_date->DaysSinceEpoch());
      point.expected_value = *g.baseline + (*g.target - *g.baseline) * share;
    }
    d.history.push_back(point);
  }
  return d;
}

Result<Goal> GoalService::Save(const std::vector<std::string>& scope, Goal goal,
                               const audit::Actor& actor) {
  if (goal.id != 0) {
    auto stored = repository_.FindGoal(goal.id, scope);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return NotFound(fmt::format("no goal with id {}", goal.id));
  }
  std::vector<ErrorDetail> problems;
  if (IsOutput(goal.indicator)) {
    // A project's output: it must exist and be produced within the goal's region.
    auto output = outputs_->Describe(goal.indicator);
    std::string reason = output ? "" : output.error().message;
    if (output && !access::InSubtree(goal.region_code, output->region_code)) {
      reason = fmt::format("is produced in region {}, outside the goal's region {}",
                           output->region_code, goal.region_code);
    }
    problems = ValidateGoal(goal, reason.empty() ? output->indicator : nullptr, reason);
  } else {
    problems = ValidateGoal(goal, indicators_.catalogue());
  }
  if (problems.empty() && !access::InAnySubtree(scope, goal.region_code)) {
    return PermissionDenied(
        fmt::format("region {} is outside the regions where you may set goals", goal.region_code));
  }
  if (!problems.empty()) {
    std::string message = fmt::format("the goal is not measurable: {} problem(s)", problems.size());
    return InvalidArgument(std::move(message), std::move(problems));
  }
  return repository_.SaveGoal(goal, actor);
}

Status GoalService::Delete(const std::vector<std::string>& scope, int64_t id, int64_t version,
                           const audit::Actor& actor) {
  auto stored = repository_.FindGoal(id, scope);
  if (!stored) return std::unexpected(stored.error());
  if (!*stored) return NotFound(fmt::format("no goal with id {}", id));
  return repository_.DeleteGoal(id, version, actor);
}

}  // namespace fupin::goals
