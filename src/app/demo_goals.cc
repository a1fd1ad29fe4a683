#include "app/demo_goals.h"

#include <cmath>

#include "cli/command.h"

namespace fupin::app {
namespace {

struct Plan {
  const char* indicator;
  const char* title;
  Date baseline_date;
  Date deadline;
  // The target from the baseline value; nullopt skips the goal.
  std::optional<double> (*target)(double baseline);
  const char* unit;
  const char* person;
};

}  // namespace

Result<int> GenerateDemoGoals(goals::GoalService& goals, indicators::IndicatorService& indicators,
                              const std::vector<regions::Region>& generated) {
  std::string county, village;
  for (const auto& r : generated) {
    if (county.empty() && r.level == regions::RegionLevel::kCounty) county = r.code;
    if (!county.empty() && village.empty() && r.level == regions::RegionLevel::kVillage &&
        r.code.starts_with(county.substr(0, 6))) {
      village = r.code;
    }
  }
  if (county.empty()) return 0;
  const Plan county_plans[] = {
      {"poverty_incidence",
       "贫困发生率降至2%以下（脱贫摘帽）",
       {2016, 1, 1},
       {2020, 12, 31},
       [](double b) { return b > 2 ? std::optional<double>(2.0) : std::nullopt; },
       "县扶贫办",
       "王建国"},
      {"mean_per_capita_net_income",
       "建档立卡户人均纯收入达到基期的四倍",
       {2016, 1, 1},
       {2025, 12, 31},
       [](double b) { return b > 0 ? std::optional<double>(std::round(b * 4)) : std::nullopt; },
       "县农业农村局",
       "刘芳"},
      {"housing_secured_rate",
       "住房安全有保障全覆盖",
       {2017, 1, 1},
       {2020, 12, 31},
       [](double b) { return b < 100 ? std::optional<double>(100.0) : std::nullopt; },
       "县住建局",
       "陈明"},
      {"workshop_resumption_rate",
       "扶贫车间全面复工（疫情后）",
       {2020, 2, 10},
       {2020, 4, 30},
       [](double b) { return b < 95 ? std::optional<double>(95.0) : std::nullopt; },
       "县工信局",
       "赵强"},
      {"workshop_jobs",
       "扶贫车间就业岗位增加一半",
       {2023, 1, 1},
       {2026, 12, 31},
       [](double b) { return b > 0 ? std::optional<double>(std::round(b * 1.5)) : std::nullopt; },
       "县人社局",
       "周洋"},
      {"monitored_people",
       "防返贫监测对象减半",
       {2022, 1, 1},
       {2027, 12, 31},
       [](double b) { return b > 1 ? std::optional<double>(std::floor(b / 2)) : std::nullopt; },
       "县乡村振兴局",
       "孙丽"},
  };
  const Plan village_plan = {
      "poor_people",
      "贫困人口清零",
      {2016, 1, 1},
      {2020, 12, 31},
      [](double b) { return b > 0 ? std::optional<double>(0.0) : std::nullopt; },
      "村委会",
      "村支书"};
  int stored = 0;
  auto add = [&](const std::string& region, const Plan& plan) -> Status {
    // The baseline is the indicator's value on the day before the baseline date.
    const Date day = Date::FromDaysSinceEpoch(plan.baseline_date.DaysSinceEpoch() - 1);
    auto report =
        indicators.Values({region, indicators::DayPeriod(day), false, {plan.indicator}}, {""});
    if (!report) return std::unexpected(report.error());
    if (report->values.empty() || !report->values.front().value) return {};
    const double baseline = std::round(*report->values.front().value * 100) / 100;
    auto target = plan.target(baseline);
    if (!target) return {};
    goals::Goal g;
    g.region_code = region;
    g.indicator = plan.indicator;
    g.title = plan.title;
    g.baseline = baseline;
    g.baseline_date = plan.baseline_date;
    g.target = *target;
    g.deadline = plan.deadline;
    g.responsible_unit = plan.unit;
    g.responsible_person = plan.person;
    g.note = "fupin demo: synthetic goal";
    auto saved = goals.Save({""}, g, cli::CliActor());
    if (!saved) return std::unexpected(saved.error());
    ++stored;
    return {};
  };
  for (const Plan& plan : county_plans) FUPIN_TRY(add(county, plan));
  if (!village.empty()) FUPIN_TRY(add(village, village_plan));
  return stored;
}

}  // namespace fupin::app
