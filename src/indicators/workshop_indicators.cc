#include "indicators/workshop_indicators.h"

#include <algorithm>
#include <set>

namespace fupin::indicators {
namespace {

using workshops::Employment;
using workshops::MonthlyReport;
using workshops::Workshop;
using workshops::YearMonth;

constexpr std::string_view kWhenZh =
    "统计期末日 D 为年度的 12 月 31 日或截至日期；车间计入其所在村及以上各级地区。";
constexpr std::string_view kWhenEn =
    "D is the period's last day (31 December of the year, or the as-of date); a workshop counts "
    "in its village and every region above it.";
constexpr std::string_view kMonthZh =
    "月度数取统计月 M（D 为月末时为 D 所在月，否则为上一个月；年度即 12 月）各车间月报的最新"
    "修订版。";
constexpr std::string_view kMonthEn =
    "Monthly figures come from the stock month M (the month of D when D is a month's last day, "
    "else the month before; for a year, December), from the latest revision of each "
    "workshop's report.";
constexpr std::string_view kYearZh =
    "年度数取收入年度 Y（D 为 12 月 31 日时为 D 所在年度，否则为上一年度）。";
constexpr std::string_view kYearEn =
    "Yearly figures are those of the income year Y (the year of D when D is 31 December, else "
    "the year before).";

struct Spec {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
  std::string_view unit;
  Direction direction;
  std::string_view definition_zh;
  std::string_view definition_en;
};

Indicator Make(const Spec& s) {
  Indicator i;
  i.code = s.code;
  i.zh = s.zh;
  i.en = s.en;
  i.unit = s.unit;
  i.direction = s.direction;
  i.source = Source::kComputed;
  i.aggregation = Aggregation::kSum;
  i.definition_zh = s.definition_zh;
  i.definition_en = s.definition_en;
  i.module = "workshops";
  return i;
}

Indicator Counted(const Spec& s, std::string_view more_zh, std::string_view more_en) {
  Indicator i = Make(s);
  i.definition_zh += std::string(more_zh) + std::string(kWhenZh);
  i.definition_en +=
      " " + std::string(more_en) + (more_en.empty() ? "" : " ") + std::string(kWhenEn);
  return i;
}

Indicator Derived(const Spec& s, std::string_view numerator, std::string_view denominator,
                  double factor) {
  Indicator i = Make(s);
  i.aggregation = Aggregation::kRatioOfSums;
  i.formula = Formula{std::string(numerator), std::string(denominator), factor};
  return i;
}

const MonthlyReport* Latest(const std::vector<const MonthlyReport*>& reports, YearMonth m) {
  const MonthlyReport* found = nullptr;
  for (const MonthlyReport* r : reports) {
    if (r->year == m.year && r->month == m.month && (!found || r->revision > found->revision)) {
      found = r;
    }
  }
  return found;
}

// Calls `add(code, value)` with one workshop's own contribution to each counted measure
// except workshop_poor_households_income (a household counts once per region, so it cannot be
// summed per workshop). `reports` are the workshop's, any revisions.
template <typename Add>
void MeasureWorkshop(const Workshop& w, const std::vector<const MonthlyReport*>& reports,
                     const std::vector<Employment>& jobs, const Period& period, Add&& add) {
  const Date day = period.last;
  const YearMonth month = StockMonth(period);
  const int year = LastCompleteYear(period);
  if (workshops::RecognizedOn(w, day)) {
    add(kWorkshopsRecognized, 1);
    const std::string status = workshops::StatusOn(w, day);
    if (status == "closed") {
      add(kWorkshopsClosed, 1);
    } else {
      add(kWorkshopsResumptionBase, 1);
      if (workshops::IsOperating(status)) add(kWorkshopsOperating, 1);
      if (status == "suspended") add(kWorkshopsSuspended, 1);
    }
  }
  std::vector<MonthlyReport> copies;
  for (const MonthlyReport* r : reports) copies.push_back(*r);
  if (!workshops::DetectIdle(w, copies, jobs, month).empty()) add(kWorkshopsIdle, 1);
  if (const MonthlyReport* r = Latest(reports, month)) {
    add(kWorkshopJobs, r->headcount);
    add(kWorkshopPoorJobs, r->poor_headcount);
    add(kWorkshopPoorMonthWages, static_cast<double>(r->poor_wages_fen) / 100);
  }
  int64_t year_fen = 0;
  for (int m = 1; m <= 12; ++m) {
    if (const MonthlyReport* r = Latest(reports, {year, m})) year_fen += r->poor_wages_fen;
  }
  add(kWorkshopPoorWages, static_cast<double>(year_fen) / 100);
}

// The reports and registry facts the measures of `workshops` need for `period`.
Result<WorkshopFacts> LoadFacts(workshops::WorkshopRepository& repository,
                                std::vector<Workshop> workshops,
                                std::vector<Employment> employments, const Period& period) {
  WorkshopFacts facts;
  facts.workshops = std::move(workshops);
  facts.employments = std::move(employments);
  const YearMonth month = StockMonth(period);
  const int year = LastCompleteYear(period);
  YearMonth from = month;
  for (int i = 1; i < workshops::IdleOptions{}.months; ++i) from = from.Previous();
  from = std::min(from, YearMonth{year, 1});
  const YearMonth to = std::max(month, YearMonth{year, 12});
  std::vector<int64_t> ids;
  for (const Workshop& w : facts.workshops) ids.push_back(w.id);
  auto reports =
      repository.ListReports(ids, from.year * 12 + from.month - 1, to.year * 12 + to.month - 1);
  if (!reports) return std::unexpected(reports.error());
  facts.reports = std::move(*reports);
  std::vector<int64_t> poor;
  for (const Employment& e : facts.employments) {
    if (e.category == "registered_poor") poor.push_back(e.member_id);
  }
  std::sort(poor.begin(), poor.end());
  poor.erase(std::unique(poor.begin(), poor.end()), poor.end());
  auto members = repository.RegistryFactsOfMembers(poor, year);
  if (!members) return std::unexpected(members.error());
  facts.members = std::move(*members);
  return facts;
}

}  // namespace

const std::vector<std::string>& WorkshopMeasureCodes() {
  static const std::vector<std::string> kCodes = {std::string(kWorkshopsRecognized),
                                                  std::string(kWorkshopsOperating),
                                                  std::string(kWorkshopsSuspended),
                                                  std::string(kWorkshopsClosed),
                                                  std::string(kWorkshopsResumptionBase),
                                                  std::string(kWorkshopsIdle),
                                                  std::string(kWorkshopJobs),
                                                  std::string(kWorkshopPoorJobs),
                                                  std::string(kWorkshopPoorMonthWages),
                                                  std::string(kWorkshopPoorWages),
                                                  std::string(kWorkshopPoorHouseholdsIncome)};
  return kCodes;
}

Status RegisterWorkshopIndicators(Catalogue& c) {
  using D = Direction;
  const std::string month_zh(kMonthZh), month_en(kMonthEn), year_zh(kYearZh), year_en(kYearEn);
  FUPIN_TRY(c.Register(
      Counted({kWorkshopsRecognized, "认定扶贫车间数", "recognized workshops", "workshop",
               D::kHigherBetter, "统计期末日已认定（或升级）且未撤销的扶贫车间数，含已关停的。",
               "Workshops recognized (or upgraded) and not revoked on D, closed "
               "ones included."},
              "", "")));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopsOperating, "生产中扶贫车间数", "operating workshops", "workshop", D::kHigherBetter,
       "已认定车间中统计期末日生产状态为“正常生产”或“部分生产”的车间数（部分生产计为已复工）。",
       "Recognized workshops operating or partly operating on D (partly operating counts as "
       "resumed); the status on D is the latest status change on or before it."},
      "", "")));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopsSuspended, "停工扶贫车间数", "suspended workshops", "workshop", D::kLowerBetter,
       "已认定车间中统计期末日生产状态为“停工”的车间数。", "Recognized workshops suspended on D."},
      "", "")));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopsClosed, "关停扶贫车间数", "closed workshops", "workshop", D::kLowerBetter,
       "已认定车间中统计期末日生产状态为“关停”的车间数。", "Recognized workshops closed on D."},
      "", "")));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopsResumptionBase, "应复工扶贫车间数", "workshops expected to operate", "workshop",
       D::kTargetRange,
       "统计期末日已认定且未关停的车间数（复工率的分母；未登记生产状态的车间计入分母、不计为复工）"
       "。",
       "Workshops recognized and not closed on D: the resumption rate's denominator (a workshop "
       "without any status recorded counts here and not as operating)."},
      "", "")));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopsIdle, "空壳（闲置）扶贫车间数", "idle workshops", "workshop", D::kLowerBetter,
       "统计月 M 末已认定且未关停、并符合任一闲置规则的车间数：连续 3 个月每月开工不足 10 天；"
       "M 所在 3 个月窗口内最新月报无建档立卡贫困劳动力或 M 末无在岗建档立卡贫困劳动力；连续 3 "
       "个月未报月报。",
       "Workshops recognized and not closed at the end of M that meet any idle rule: fewer than "
       "10 days operated in each of the 3 months up to M; no registered-poor worker by the "
       "window's latest report or by the employment records on M's last day; no report in any "
       "of those 3 months."},
      month_zh, month_en)));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopJobs, "扶贫车间就业人数", "workshop jobs", "person", D::kHigherBetter,
       "统计月 M 各车间月报的职工人数之和。", "The headcount reported by the workshops for M."},
      month_zh, month_en)));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopPoorJobs, "扶贫车间吸纳建档立卡贫困劳动力人数", "registered-poor workshop jobs",
       "person", D::kHigherBetter, "统计月 M 各车间月报的建档立卡贫困劳动力人数之和。",
       "The registered-poor headcount reported by the workshops for M."},
      month_zh, month_en)));
  FUPIN_TRY(c.Register(
      Counted({kWorkshopPoorMonthWages, "建档立卡贫困劳动力当月工资总额",
               "wages paid to registered-poor workers in the month", "yuan", D::kHigherBetter,
               "统计月 M 各车间月报中支付给建档立卡贫困劳动力的工资之和（元）。",
               "Wages paid to registered-poor workers in M by the workshops' reports (yuan)."},
              month_zh, month_en)));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopPoorWages, "建档立卡贫困劳动力年度工资总额",
       "wages paid to registered-poor workers in the year", "yuan", D::kHigherBetter,
       "收入年度 Y 内 12 个月各车间月报中支付给建档立卡贫困劳动力的工资之和（元；未报月份不计）"
       "。",
       "Wages paid to registered-poor workers over the 12 months of Y by the workshops' "
       "reports (yuan; months without a report add nothing)."},
      year_zh, year_en)));
  FUPIN_TRY(c.Register(Counted(
      {kWorkshopPoorHouseholdsIncome, "车间就业贫困户年度总收入",
       "income of the workshop workers' poor households", "yuan", D::kTargetRange,
       "收入年度 Y 内曾在本地区车间就业（按就业登记）的建档立卡贫困劳动力所在户的 Y 年总收入"
       "（工资性 + 生产经营性 + 财产性 + 转移性收入，元）；每户在每个地区只计一次；没有 Y "
       "年收入记录的户不计。",
       "The gross income of Y (wages + business + property + transfer, yuan) of the households "
       "of registered-poor workers employed in the region's workshops on some day of Y (by the "
       "employment records); each household once per region; households without an income "
       "record for Y are left out."},
      year_zh, year_en)));

  FUPIN_TRY(c.Register(Derived(
      {kWorkshopResumptionRate, "扶贫车间复工率", "workshop resumption rate", "percent",
       D::kHigherBetter,
       "生产中扶贫车间数 ÷ 应复工扶贫车间数 × 100（统计期末日；部分生产计为已复工，已关停的不计入"
       "分母），两者先分别汇总再相除。",
       "workshops_operating ÷ workshops_resumption_base × 100 on D (partly operating counts as "
       "resumed; closed workshops leave the denominator), each summed over the region first."},
      kWorkshopsOperating, kWorkshopsResumptionBase, 100)));
  FUPIN_TRY(c.Register(
      Derived({kWorkshopPoorWorkerShare, "扶贫车间建档立卡贫困劳动力占比", "share of poor workers",
               "percent", D::kHigherBetter,
               "扶贫车间吸纳建档立卡贫困劳动力人数 ÷ 扶贫车间就业人数 × 100（统计月 M 的月报）。",
               "workshop_poor_jobs ÷ workshop_jobs × 100 (the reports of M)."},
              kWorkshopPoorJobs, kWorkshopJobs, 100)));
  FUPIN_TRY(c.Register(Derived(
      {kWorkshopPoorMeanWage, "建档立卡贫困劳动力月均工资", "mean monthly wage of poor workers",
       "yuan_per_person_month", D::kHigherBetter,
       "建档立卡贫困劳动力当月工资总额 ÷ 扶贫车间吸纳建档立卡贫困劳动力人数（统计月 M 的月报）。",
       "workshop_poor_month_wages ÷ workshop_poor_jobs (the reports of M)."},
      kWorkshopPoorMonthWages, kWorkshopPoorJobs, 1)));
  FUPIN_TRY(c.Register(Derived(
      {kWorkshopPoorWageIncomeShare, "车间工资占贫困户收入比重",
       "share of workshop wages in poor households' income", "percent", D::kHigherBetter,
       "建档立卡贫困劳动力年度工资总额 ÷ 车间就业贫困户年度总收入 × 100（收入年度 Y）。分子取"
       "自月报，分母取自就业登记与档案收入，二者不一致或有户缺收入记录时比重可能偏高。",
       "workshop_poor_wages ÷ workshop_poor_households_income × 100 (income year Y). The "
       "numerator comes from the reports, the denominator from the employment records and the "
       "registry's incomes; where they disagree, or a household lacks an income record, the "
       "share is too high."},
      kWorkshopPoorWages, kWorkshopPoorHouseholdsIncome, 100)));
  return {};
}

YearMonth StockMonth(const Period& period) {
  const Date& d = period.last;
  const YearMonth m{d.year, d.month};
  return d.day == workshops::DaysInMonth(d.year, d.month) ? m : m.Previous();
}

MeasureTable ComputeWorkshopMeasures(const RegistryCube& cube, const Period& period,
                                     const WorkshopFacts& facts) {
  const auto& nodes = cube.nodes();
  const size_t n = nodes.size();
  const std::vector<std::string>& codes = WorkshopMeasureCodes();
  std::vector<std::vector<double>> sums(codes.size(), std::vector<double>(n, 0));
  auto index = [&](std::string_view code) {
    return static_cast<size_t>(std::find(codes.begin(), codes.end(), code) - codes.begin());
  };
  // Adds `value` to a node and every node above it.
  auto add = [&](std::string_view code, int32_t node, double value) {
    std::vector<double>& column = sums[index(code)];
    for (int32_t i = node; i >= 0; i = nodes[static_cast<size_t>(i)].parent) {
      column[static_cast<size_t>(i)] += value;
    }
  };

  std::map<int64_t, std::vector<const MonthlyReport*>> reports_of;
  for (const MonthlyReport& r : facts.reports) reports_of[r.workshop_id].push_back(&r);
  std::map<int64_t, std::vector<Employment>> jobs_of;
  for (const Employment& e : facts.employments) jobs_of[e.workshop_id].push_back(e);
  std::map<int64_t, int32_t> node_of;  // workshop id → node

  for (const Workshop& w : facts.workshops) {
    auto node = cube.Find(w.region_code);
    if (!node) continue;
    node_of[w.id] = *node;
    MeasureWorkshop(w, reports_of[w.id], jobs_of[w.id], period,
                    [&](std::string_view code, double value) { add(code, *node, value); });
  }

  const int year = LastCompleteYear(period);
  // Households of registered-poor workers employed in Y, each once per region.
  std::map<int64_t, const workshops::MemberRegistryFacts*> member;
  for (const auto& f : facts.members) member[f.member_id] = &f;
  const Date first{year, 1, 1}, last{year, 12, 31};
  std::map<int64_t, std::set<int32_t>> nodes_of_household;
  std::map<int64_t, double> income_of;
  for (const Employment& e : facts.employments) {
    if (e.category != "registered_poor" || e.start > last || (e.end && *e.end < first)) continue;
    auto ws = node_of.find(e.workshop_id);
    auto m = member.find(e.member_id);
    if (ws == node_of.end() || m == member.end() || !m->second->household_gross_income) continue;
    income_of[m->second->household_id] = *m->second->household_gross_income;
    auto& set = nodes_of_household[m->second->household_id];
    for (int32_t i = ws->second; i >= 0; i = nodes[static_cast<size_t>(i)].parent) set.insert(i);
  }
  std::vector<double>& income = sums[index(kWorkshopPoorHouseholdsIncome)];
  for (const auto& [household, set] : nodes_of_household) {
    for (int32_t i : set) income[static_cast<size_t>(i)] += income_of[household];
  }

  MeasureTable table;
  for (size_t c = 0; c < codes.size(); ++c) {
    std::vector<std::optional<double>>& out = table[codes[c]];
    out.assign(sums[c].begin(), sums[c].end());
  }
  return table;
}

std::vector<WorkshopIndicatorValue> ComputeOneWorkshop(const Catalogue& catalogue,
                                                       const Period& period,
                                                       const WorkshopFacts& facts) {
  std::map<std::string, double, std::less<>> counted;
  for (const std::string& code : WorkshopMeasureCodes()) counted[code] = 0;
  std::vector<const MonthlyReport*> reports;
  for (const MonthlyReport& r : facts.reports) reports.push_back(&r);
  if (facts.workshops.size() == 1) {
    MeasureWorkshop(
        facts.workshops.front(), reports, facts.employments, period,
        [&](std::string_view code, double value) { counted.find(code)->second += value; });
  }
  // The households of its registered-poor workers employed in Y, each once.
  const int year = LastCompleteYear(period);
  const Date first{year, 1, 1}, last{year, 12, 31};
  std::map<int64_t, double> income_of;
  for (const Employment& e : facts.employments) {
    if (e.category != "registered_poor" || e.start > last || (e.end && *e.end < first)) continue;
    for (const auto& f : facts.members) {
      if (f.member_id == e.member_id && f.household_gross_income) {
        income_of[f.household_id] = *f.household_gross_income;
      }
    }
  }
  double& income = counted.find(kWorkshopPoorHouseholdsIncome)->second;
  for (const auto& [household, value] : income_of) income += value;

  std::vector<WorkshopIndicatorValue> out;
  for (const Indicator* listed : catalogue.All()) {
    const Indicator& indicator = *listed;
    if (indicator.module != "workshops") continue;
    WorkshopIndicatorValue v;
    v.indicator = &indicator;
    if (auto it = counted.find(indicator.code); it != counted.end()) {
      v.value = it->second;
    } else if (indicator.formula) {
      auto num = counted.find(indicator.formula->numerator);
      auto den = counted.find(indicator.formula->denominator);
      if (num == counted.end() || den == counted.end()) continue;
      v.numerator = num->second;
      v.denominator = den->second;
      if (den->second != 0) v.value = num->second / den->second * indicator.formula->factor;
    } else {
      continue;
    }
    out.push_back(v);
  }
  return out;
}

Result<std::vector<WorkshopIndicatorValue>> WorkshopIndicatorValues(
    const Catalogue& catalogue, workshops::WorkshopRepository& repository, const Workshop& workshop,
    const Period& period) {
  const int64_t id = workshop.id;
  auto employments = repository.EmploymentsOfWorkshops(std::span<const int64_t>(&id, 1));
  if (!employments) return std::unexpected(employments.error());
  auto facts = LoadFacts(repository, {workshop}, std::move(*employments), period);
  if (!facts) return std::unexpected(facts.error());
  return ComputeOneWorkshop(catalogue, period, *facts);
}

bool WorkshopMeasures::Computes(std::string_view code) const {
  const auto& codes = WorkshopMeasureCodes();
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

Result<std::shared_ptr<const MeasureTable>> WorkshopMeasures::Compute(const RegistryCube& cube,
                                                                      const Period& period) {
  // Read the counter before the data: a write in between makes the next call reload.
  auto generation = repository_.Generation();
  if (!generation) return std::unexpected(generation.error());
  std::lock_guard lock(mutex_);
  if (*generation != generation_ || !(cube.stamp() == stamp_)) {
    workshops::WorkshopQuery q;
    q.scope = {""};
    q.limit = 0;
    auto page = repository_.ListWorkshops(q);
    if (!page) return std::unexpected(page.error());
    std::vector<int64_t> ids;
    for (const Workshop& w : page->items) ids.push_back(w.id);
    auto employments = repository_.EmploymentsOfWorkshops(ids);
    if (!employments) return std::unexpected(employments.error());
    workshops_ = std::move(page->items);
    employments_ = std::move(*employments);
    memo_.clear();
    generation_ = *generation;
    stamp_ = cube.stamp();
  }
  const std::string key = period.ToString();
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;

  auto facts = LoadFacts(repository_, workshops_, employments_, period);
  if (!facts) return std::unexpected(facts.error());
  auto table = std::make_shared<const MeasureTable>(ComputeWorkshopMeasures(cube, period, *facts));
  if (memo_.size() >= kMemoSize) memo_.erase(memo_.begin());
  memo_[key] = table;
  return table;
}

}  // namespace fupin::indicators
