#include "indicators/registry_indicators.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "base/text.h"
#include "indicators/assessment_indicators.h"
#include "indicators/fund_indicators.h"
#include "indicators/workshop_indicators.h"
#include "registry/vocabulary.h"

namespace fupin::indicators {
namespace {

// The sentence every registry definition ends with.
constexpr std::string_view kWhoZh =
    "统计期末日 D 为年度的 12 月 31 日或截至日期；户在 D 日的状态为 D "
    "日及以前最后一条状态记录，状态为空或已注销的户不计入；人口为 D 日在册的家庭成员"
    "（加入日期 ≤ D < 离开日期）。";
constexpr std::string_view kWhoEn =
    "D is the period's last day (31 December of the year, or the as-of date); a household's "
    "status on D is its last status event on or before D, and households without a status "
    "then or cancelled are not counted; its people are the members on D (joined_on ≤ D < "
    "left_on).";
constexpr std::string_view kIncomeZh =
    "收入年度为统计期末日所在年度（期末日为 12 月 31 日时）或其上一年度；人均纯收入以收入"
    "年度 12 月 31 日在册人数计；纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性收入 − "
    "生产经营性支出。";
constexpr std::string_view kIncomeEn =
    "The income year is the year of D when D is 31 December, else the year before; per capita "
    "means per member on 31 December of the income year; net income = wages + business + "
    "property + transfer − business costs.";

struct Spec {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
  std::string_view unit;
  Direction direction;
  std::string_view definition_zh;
  std::string_view definition_en;
};

Indicator Counted(const Spec& s, std::string_view module = "registry") {
  Indicator i;
  i.code = s.code;
  i.zh = s.zh;
  i.en = s.en;
  i.unit = s.unit;
  i.direction = s.direction;
  i.source = Source::kComputed;
  i.aggregation = Aggregation::kSum;
  i.definition_zh = std::string(s.definition_zh) + std::string(kWhoZh);
  i.definition_en = std::string(s.definition_en) + " " + std::string(kWhoEn);
  i.module = module;
  return i;
}

Indicator Derived(const Spec& s, std::string_view numerator, std::string_view denominator,
                  double factor) {
  Indicator i;
  i.code = s.code;
  i.zh = s.zh;
  i.en = s.en;
  i.unit = s.unit;
  i.direction = s.direction;
  i.source = Source::kComputed;
  i.aggregation = Aggregation::kRatioOfSums;
  i.definition_zh = s.definition_zh;
  i.definition_en = s.definition_en;
  i.formula = Formula{std::string(numerator), std::string(denominator), factor};
  i.module = "registry";
  return i;
}

std::string_view ItemZh(std::string_view item) {
  if (item == "education") return "义务教育有保障";
  if (item == "medical") return "基本医疗有保障";
  if (item == "housing") return "住房安全有保障";
  return "饮水安全有保障";
}

std::string_view ItemEn(std::string_view item) {
  if (item == "education") return "compulsory education secured";
  if (item == "medical") return "basic medical care secured";
  if (item == "housing") return "safe housing secured";
  return "safe drinking water secured";
}

}  // namespace

std::string AssessedCode(std::string_view item) {
  return fmt::format("{}_assessed_households", item);
}
std::string SecuredCode(std::string_view item) {
  return fmt::format("{}_secured_households", item);
}
std::string SecuredRateCode(std::string_view item) { return fmt::format("{}_secured_rate", item); }
std::string CauseCode(std::string_view cause) { return fmt::format("poor_people_cause_{}", cause); }

Status RegisterRegistryIndicators(Catalogue& c) {
  using D = Direction;
  const Spec counted[] = {
      {kHouseholds, "建档立卡户数", "registered households", "household", D::kTargetRange,
       "统计期末日在册（状态非空且未注销）的建档立卡户数。",
       "Households registered on D (with a status that is not cancelled)."},
      {kPeople, "建档立卡人数", "registered people", "person", D::kTargetRange,
       "统计期末日在册户的家庭成员人数。", "Members on D of the registered households."},
      {kPoorHouseholds, "贫困户数", "poor households", "household", D::kLowerBetter,
       "统计期末日状态为“贫困户”（已识别、未脱贫）或“返贫”的户数。",
       "Registered households whose status on D is identified (not lifted out) or returned to "
       "poverty."},
      {kPoorPeople, "贫困人口", "poor people", "person", D::kLowerBetter,
       "统计期末日状态为“贫困户”或“返贫”的户的家庭成员人数。",
       "Members on D of the households whose status on D is identified or returned."},
      {kLiftedPeople, "脱贫人口", "people lifted out of poverty", "person", D::kHigherBetter,
       "统计期末日及以前有“已脱贫”记录、且期末状态为已脱贫、监测户或风险已消除的户的家庭成员"
       "人数（返贫者计入返贫人口，不计入此项）。",
       "Members on D of the households lifted out on or before D whose status on D is lifted, "
       "monitored or risk eliminated (those who returned to poverty count as returned, not "
       "here)."},
      {kReturnedPeople, "返贫人口", "people returned to poverty", "person", D::kLowerBetter,
       "统计期末日状态为“返贫”的户的家庭成员人数（也计入贫困人口）。",
       "Members on D of the households whose status on D is returned (also counted as poor)."},
      {kMonitoredPeople, "监测对象人口", "monitored people", "person", D::kLowerBetter,
       "统计期末日状态为“监测户”（风险未消除）的户的家庭成员人数。",
       "Members on D of the households whose status on D is monitored (risk not yet "
       "eliminated)."},
  };
  for (const Spec& s : counted) FUPIN_TRY(c.Register(Counted(s)));

  const Spec income[] = {
      {kIncomeHouseholds, "有收入记录户数", "households with income recorded", "household",
       D::kHigherBetter,
       "在册户中有收入年度纯收入记录、且收入年度 12 月 31 日至少有一名成员的户数。",
       "Registered households with a net income recorded for the income year and at least one "
       "member on 31 December of that year."},
      {kIncomePeople, "有收入记录人口", "people with income recorded", "person", D::kHigherBetter,
       "有收入记录户在收入年度 12 月 31 日的家庭成员人数。",
       "Members on 31 December of the income year of the households with income recorded."},
      {kNetIncomeTotal, "纯收入总额", "total net income", "yuan", D::kHigherBetter,
       "有收入记录户收入年度纯收入之和。",
       "Sum of the income year's net income of the households with income recorded."},
      {kIncomeBelowThresholdHouseholds, "人均纯收入低于标准户数",
       "households below the income threshold", "household", D::kLowerBetter,
       "有收入记录户中人均纯收入低于收入年度标准（2020 年及以前为国家农村贫困标准的当年价，"
       "此后为防返贫监测标准，见 docs/indicators.md）的户数；该年度无标准时无值。",
       "Households with income recorded whose per-capita net income is below the income year's "
       "threshold (the national rural poverty line at current prices up to 2020, the "
       "relapse-monitoring threshold after; see docs/indicators.md); no value for a year "
       "without a threshold."},
  };
  for (const Spec& s : income) {
    Indicator i = Counted(s);
    i.definition_zh += std::string(kIncomeZh);
    i.definition_en += " " + std::string(kIncomeEn);
    FUPIN_TRY(c.Register(std::move(i)));
  }
  FUPIN_TRY(c.Register(
      Derived({kMeanPerCapitaNetIncome, "人均纯收入", "mean per-capita net income",
               "yuan_per_person", D::kHigherBetter,
               "纯收入总额 ÷ 有收入记录人口（先分别汇总，再相除；不是各户人均收入的平均）。",
               "total net income ÷ people with income recorded (each summed over the region first, "
               "then divided; not a mean of household means)."},
              kNetIncomeTotal, kIncomePeople, 1)));

  for (std::string_view item : kCoverageItems) {
    const std::string assessed = AssessedCode(item);
    const std::string secured = SecuredCode(item);
    const std::string rate = SecuredRateCode(item);
    const std::string item_zh(ItemZh(item));
    const std::string item_en(ItemEn(item));
    const std::string assessed_zh = item_zh + "已核实户数";
    const std::string assessed_en = "households assessed: " + item_en;
    const std::string secured_zh = item_zh + "户数";
    const std::string secured_en = "households with " + item_en;
    const std::string rate_zh = item_zh + "率";
    const std::string rate_en = item_en + " rate";
    const std::string assessed_def_zh = fmt::format(
        "在册户中“{}”一项有核实结果且核实日期不晚于统计期末日（未填核实日期的视为已核实）的户数。"
        "只记录最近一次核实，早于核实日期的期间无此户的结果。",
        item_zh);
    const std::string assessed_def_en = fmt::format(
        "Registered households whose item '{}' has a verified result dated on or before D (a "
        "result without a date counts as verified). Only the latest verification is kept, so "
        "periods before it have no result for the household.",
        item);
    const std::string secured_def_zh =
        fmt::format("已核实户中“{}”一项核实结果为达标的户数。", item_zh);
    const std::string secured_def_en =
        fmt::format("Assessed households whose item '{}' was verified as met.", item);
    FUPIN_TRY(c.Register(Counted({assessed, assessed_zh, assessed_en, "household", D::kHigherBetter,
                                  assessed_def_zh, assessed_def_en})));
    FUPIN_TRY(c.Register(Counted({secured, secured_zh, secured_en, "household", D::kHigherBetter,
                                  secured_def_zh, secured_def_en})));
    const std::string rate_def_zh =
        fmt::format("{} ÷ {} × 100（先分别汇总，再相除）。", secured_zh, assessed_zh);
    const std::string rate_def_en = fmt::format(
        "{} ÷ {} × 100 (each summed over the region first, then divided).", secured, assessed);
    FUPIN_TRY(c.Register(
        Derived({rate, rate_zh, rate_en, "percent", D::kHigherBetter, rate_def_zh, rate_def_en},
                secured, assessed, 100)));
  }

  for (const registry::Term& cause : registry::Causes().terms) {
    const std::string code = CauseCode(cause.code);
    const std::string zh = fmt::format("贫困人口（{}）", cause.zh);
    const std::string en = fmt::format("poor people: {}", cause.en);
    const std::string def_zh = fmt::format(
        "贫困人口中户主要致贫原因为“{}”的人数；无主要致贫原因的户不计入任何一项。", cause.zh);
    const std::string def_en = fmt::format(
        "Poor people whose household's main cause of poverty is '{}'; households without a "
        "main cause count under no cause.",
        cause.code);
    FUPIN_TRY(c.Register(Counted({code, zh, en, "person", D::kLowerBetter, def_zh, def_en})));
  }

  Indicator rural;
  rural.code = kRuralPopulation;
  rural.zh = "农村人口";
  rural.en = "rural population";
  rural.unit = "person";
  rural.direction = Direction::kTargetRange;
  rural.source = Source::kEntered;
  rural.aggregation = Aggregation::kSum;
  rural.definition_zh =
      "按地区和年度录入或导入（fupin import statistics）的农村户籍人口。某地区有录入值时取录入"
      "值，否则为其下级地区值之和（只含有值的下级）；没有任何值时无值。年度查询取该年度的值，"
      "截至日期查询取截至日期前最后一个完整年度的值。";
  rural.definition_en =
      "The rural population entered or imported (fupin import statistics) per region and year. "
      "A region's value is its own entered value if it has one, else the sum over its child "
      "regions that have a value; none when no region below has one. A year query takes that "
      "year's value, an as-of date the value of the last complete year before it.";
  rural.module = "statistics";
  FUPIN_TRY(c.Register(std::move(rural)));

  FUPIN_TRY(c.Register(Derived(
      {kPovertyIncidence, "贫困发生率", "poverty incidence", "percent", D::kLowerBetter,
       "贫困人口 ÷ 农村人口 × 100，两者先分别汇总再相除。农村人口为录入的统计数；只有部分下级"
       "地区录入农村人口时，分母偏小，贫困发生率偏高。",
       "poor_people ÷ rural_population × 100, each summed over the region first. The rural "
       "population is the entered statistic; when only some child regions have one, the "
       "denominator is too small and the incidence too high."},
      kPoorPeople, kRuralPopulation, 100)));
  return {};
}

Result<Catalogue> StandardCatalogue() {
  Catalogue catalogue;
  FUPIN_TRY(RegisterRegistryIndicators(catalogue));
  FUPIN_TRY(RegisterWorkshopIndicators(catalogue));
  FUPIN_TRY(RegisterFundIndicators(catalogue));
  FUPIN_TRY(RegisterAssessmentIndicators(catalogue));
  return catalogue;
}

std::optional<double> IncomeThresholds::For(int year) const {
  auto it = by_year.find(year);
  if (it == by_year.end()) return std::nullopt;
  return it->second;
}

IncomeThresholds IncomeThresholds::Defaults() {
  // docs/indicators.md gives the source of each figure (and which ones are not verified).
  return IncomeThresholds{{{2011, 2536},
                           {2012, 2625},
                           {2013, 2736},
                           {2014, 2800},
                           {2015, 2855},
                           {2016, 2952},
                           {2017, 2952},
                           {2018, 2995},
                           {2019, 3218},
                           {2020, 4000},
                           {2021, 6000}}};
}

Result<IncomeThresholds> IncomeThresholds::Parse(std::string_view text, IncomeThresholds base) {
  std::vector<ErrorDetail> problems;
  for (const std::string& raw : Split(text, ',')) {
    const std::string_view item = Trim(raw);
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    int year = 0;
    double yuan = 0;
    bool ok = colon != std::string_view::npos;
    if (ok) {
      const std::string_view y = Trim(item.substr(0, colon));
      const std::string_view v = Trim(item.substr(colon + 1));
      auto [py, ey] = std::from_chars(y.data(), y.data() + y.size(), year);
      auto [pv, ev] = std::from_chars(v.data(), v.data() + v.size(), yuan);
      ok = ey == std::errc() && py == y.data() + y.size() && ev == std::errc() &&
           pv == v.data() + v.size() && year >= 1980 && year <= 2100 && std::isfinite(yuan) &&
           yuan > 0;
    }
    if (!ok) {
      problems.push_back({0, "income_thresholds", std::string(item),
                          "write YEAR:YUAN, e.g. 2022:6300 (a year 1980–2100, a positive "
                          "amount)"});
      continue;
    }
    base.by_year[year] = yuan;
  }
  if (!problems.empty()) {
    return InvalidArgument("income thresholds are malformed", std::move(problems));
  }
  return base;
}

}  // namespace fupin::indicators
