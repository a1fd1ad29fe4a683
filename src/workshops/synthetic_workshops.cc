#include "workshops/synthetic_workshops.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "base/random.h"
#include "workshops/analysis.h"

namespace fupin::workshops {
namespace {

constexpr std::array<std::string_view, 10> kProducts = {
    "民族服饰",   "藏毯编织", "中药材初加工", "牦牛肉分割包装", "电子线束组装",
    "食用菌种植", "手工刺绣", "藏香猪养殖",   "农产品电商",     "箱包加工"};
constexpr std::array<std::string_view, 10> kIndustries = {
    "服装加工", "手工编织", "中药材", "畜产品加工", "电子组装",
    "种植",     "手工艺",   "养殖",   "电子商务",   "轻工加工"};
constexpr std::array<std::string_view, 10> kTypes = {
    "factory", "home_based", "farming", "factory",   "factory",
    "farming", "home_based", "farming", "ecommerce", "factory"};

Date AddDays(const Date& d, int64_t days) {
  return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days);
}

Date Between(Rng& rng, const Date& a, const Date& b) {
  return AddDays(a, rng.Uniform(0, b.DaysSinceEpoch() - a.DaysSinceEpoch()));
}

// The day by which a share `u` of the suspended workshops had resumed (the inverse of the
// piecewise-linear curve).
Date ResumeDay(double u) {
  const auto& points = GansuResumption2020();
  Date previous_day{2020, 2, 3};
  double previous_share = 0;
  for (const CurvePoint& p : points) {
    if (u <= p.share) {
      const double t = (u - previous_share) / (p.share - previous_share);
      const int64_t span = p.day.DaysSinceEpoch() - previous_day.DaysSinceEpoch();
      return AddDays(previous_day, static_cast<int64_t>(std::floor(t * static_cast<double>(span))));
    }
    previous_day = p.day;
    previous_share = p.share;
  }
  return points.back().day;
}

}  // namespace

const std::vector<CurvePoint>& GansuResumption2020() {
  static const std::vector<CurvePoint> kPoints = {{{2020, 2, 10}, 237.0 / 1982},
                                                  {{2020, 2, 23}, 519.0 / 1982},
                                                  {{2020, 3, 5}, 0.5},
                                                  {{2020, 4, 1}, 0.91},
                                                  {{2020, 5, 15}, 1.0}};
  return kPoints;
}

SyntheticWorkshopData GenerateWorkshops(const std::vector<SyntheticVillage>& villages,
                                        const std::vector<SyntheticWorker>& workers,
                                        const std::vector<SyntheticOperator>& operators,
                                        const SyntheticWorkshopOptions& options) {
  SyntheticWorkshopData out;
  if (villages.empty() || operators.empty()) return out;
  Rng rng(options.seed ^ 0x57A1ED5ULL);
  const YearMonth last_month = YearMonth{options.today.year, options.today.month}.Previous();
  const Date shock{2020, 1, 24};  // the day after the lockdown of Wuhan: work stopped
  const int n = options.count;

  // Which workshops are recognized before the shock, closed later, or idle at the end.
  const int before_shock = n * 5 / 6;
  std::vector<int> order(static_cast<size_t>(before_shock));
  for (int i = 0; i < before_shock; ++i) order[static_cast<size_t>(i)] = i;
  for (size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1],
              order[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(i) - 1))]);
  }
  // Resume dates by stratified quantiles of the curve, in shuffled order.
  std::vector<Date> resume(static_cast<size_t>(n));
  for (int k = 0; k < before_shock; ++k) {
    resume[static_cast<size_t>(order[static_cast<size_t>(k)])] =
        ResumeDay((k + 0.5) / before_shock);
  }
  const std::set<int> closed = {3, 17};
  out.idle = {5, 11, 23, 31, 40};  // few days ×3, no poor workers, not reporting
  const std::set<int> few_days = {5, 11, 23};
  const int no_poor = 31;
  const int silent = 40;

  std::vector<const SyntheticOperator*> enterprises, cooperatives;
  for (const SyntheticOperator& o : operators) {
    (o.cooperative ? cooperatives : enterprises).push_back(&o);
  }

  // Pairs people with workshops, one job at a time each.
  std::map<std::string, Date> busy_until;
  std::vector<size_t> pool(workers.size());
  for (size_t i = 0; i < pool.size(); ++i) pool[i] = i;

  for (int i = 0; i < n; ++i) {
    Workshop w;
    const SyntheticVillage& v =
        villages[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(villages.size()) - 1))];
    const size_t kind = static_cast<size_t>(i) % kProducts.size();
    w.region_code = v.code;
    w.name = fmt::format("{}{}扶贫车间", v.name, kProducts[kind]);
    w.type = std::string(kTypes[kind]);
    w.industry = std::string(kIndustries[kind]);
    w.products = std::string(kProducts[kind]);
    // Mostly local enterprises, cooperatives as the auxiliary.
    const bool coop = !cooperatives.empty() && (enterprises.empty() || rng.NextDouble() < 0.3);
    const auto& choice = coop ? cooperatives : enterprises;
    w.operator_id =
        choice[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(choice.size()) - 1))]->id;
    w.site_area_m2 = static_cast<double>(rng.Uniform(150, 1500));
    w.investment_fen = rng.Uniform(20, 300) * 10000 * 100;  // 200,000 to 3,000,000 yuan
    w.capacity_jobs = static_cast<int>(rng.Uniform(15, 60));
    w.longitude = v.longitude + (rng.NextDouble() - 0.5) * 0.01;
    w.latitude = v.latitude + (rng.NextDouble() - 0.5) * 0.01;

    const Date recognized = i < before_shock ? Between(rng, {2017, 3, 1}, {2019, 11, 30})
                                             : Between(rng, {2020, 6, 1}, {2022, 12, 31});
    w.recognitions.push_back({"applied", AddDays(recognized, -rng.Uniform(20, 60)), ""});
    w.recognitions.push_back(
        {"recognized", recognized, fmt::format("县扶贫办〔{}〕{}号", recognized.year, 10 + i)});
    if (i % 9 == 4 && recognized.year < 2020) {
      const Date up = Between(rng, {2021, 3, 1}, {2022, 6, 30});
      w.recognitions.push_back(
          {"upgraded", up, fmt::format("县乡村振兴局〔{}〕{}号", up.year, 30 + i)});
    }
    w.status_changes.push_back({"operating", recognized, ""});
    if (i < before_shock) {
      w.status_changes.push_back({"suspended", shock, "春节假期及疫情防控停工"});
      const Date back = resume[static_cast<size_t>(i)];
      w.status_changes.push_back({"partial", back, "部分复工"});
      w.status_changes.push_back({"operating", AddDays(back, rng.Uniform(10, 30)), "全面复工"});
    }
    if (closed.contains(i)) {
      w.status_changes.push_back(
          {"closed", Between(rng, {2022, 3, 1}, {2023, 6, 30}), "经营困难关停"});
    }
    if (few_days.contains(i)) {
      w.status_changes.push_back({"partial", {2023, 10, 1}, "订单不足"});
    }
    if (recognized.year >= 2020) {
      // Recognized after the shock: support at recognition.
      w.support.push_back({"subsidy", rng.Uniform(5, 20) * 10000 * 100, recognized, "认定奖补"});
    } else {
      w.support.push_back(
          {"rent_relief", rng.Uniform(1, 5) * 10000 * 100, {2020, 3, 1}, "疫情期间租金减免"});
    }
    std::sort(w.status_changes.begin(), w.status_changes.end(),
              [](const StatusChange& a, const StatusChange& b) { return a.on < b.on; });

    // Workers from the same township first.
    const std::string township = w.region_code.substr(0, 9);
    std::vector<size_t> near, far;
    for (size_t p : pool) (workers[p].village.starts_with(township) ? near : far).push_back(p);
    const int wanted = std::max(6, w.capacity_jobs * 2 / 3);
    int hired = 0;
    auto hire = [&](const std::vector<size_t>& from) {
      for (size_t tries = 0; tries < from.size() * 2 && hired < wanted; ++tries) {
        const SyntheticWorker& p = workers[from[static_cast<size_t>(
            rng.Uniform(0, static_cast<int64_t>(from.size()) - 1))]];
        const Date start = AddDays(recognized, rng.Uniform(0, 120));
        auto it = busy_until.find(p.id_number);
        if (it != busy_until.end() && it->second >= start) continue;
        if (i == no_poor && p.category == "registered_poor" && hired >= wanted / 2) continue;
        Employment e;
        e.workshop_id = i + 1;
        e.member_id = p.member_id;
        e.person_key = p.id_number;
        e.category = p.category;
        e.start = start;
        e.wage_form = rng.NextDouble() < 0.6 ? "piece" : "monthly";
        e.contract = rng.NextDouble() < 0.7;
        e.position = "操作工";
        if (rng.NextDouble() < 0.2) e.end = AddDays(start, rng.Uniform(180, 900));
        if (i == no_poor && p.category == "registered_poor") e.end = Date{2023, 6, 30};
        if (e.end && *e.end >= options.today) e.end.reset();
        busy_until[p.id_number] = e.end ? *e.end : Date{9999, 12, 31};
        out.employments.push_back(e);
        ++hired;
      }
    };
    if (!near.empty()) hire(near);
    if (!far.empty()) hire(far);

    // Monthly reports.
    const YearMonth first =
        std::max(YearMonth{2018, 1}, YearMonth{recognized.year, recognized.month});
    const int64_t base_wage = rng.Uniform(1600, 2800) * 100;  // fen per worker-month
    const double productivity = 2.5 + rng.NextDouble() * 1.5;
    for (YearMonth m = first; m <= last_month; m = m.Next()) {
      if (i == silent && m > last_month.Previous().Previous().Previous()) break;
      const int days = DaysInMonth(m.year, m.month);
      int open = 0;
      for (int d = 1; d <= days; ++d)
        open += IsOperating(StatusOn(w, {m.year, m.month, d})) ? 1 : 0;
      const std::string at_end = StatusOn(w, m.Last());
      if (open == 0 && at_end == "closed" && StatusOn(w, m.First()) == "closed") break;
      MonthlyReport r;
      r.workshop_id = i + 1;
      r.year = m.year;
      r.month = m.month;
      r.days_operated = static_cast<int>(std::lround(open * 26.0 / days));
      if (few_days.contains(i) && m >= YearMonth{2023, 10})
        r.days_operated = static_cast<int>(rng.Uniform(2, 8));
      r.status = open == 0 ? (at_end.empty() ? "suspended" : at_end)
                           : (open < days || r.days_operated < 10 ? "partial" : "operating");
      if (r.status == "operating" && at_end == "closed") r.status = "partial";
      for (const Employment& e : out.employments) {
        if (e.workshop_id != i + 1 || !e.EmployedOn(m.Last())) continue;
        ++r.headcount;
        const int64_t pay = base_wage * r.days_operated / 26;
        r.wages_fen += pay;
        if (e.category == "registered_poor") {
          ++r.poor_headcount;
          r.poor_wages_fen += pay;
        }
      }
      r.output_fen =
          static_cast<int64_t>(std::llround(static_cast<double>(r.wages_fen) * productivity));
      r.sales_fen = r.output_fen * rng.Uniform(75, 100) / 100;
      if (m == YearMonth{2020, 2} || m == YearMonth{2020, 3}) {
        r.problems = {"epidemic"};
        if (rng.NextDouble() < 0.4) r.problems.emplace_back("raw_materials");
        if (rng.NextDouble() < 0.3) r.problems.emplace_back("logistics");
      } else if (few_days.contains(i) && m >= YearMonth{2023, 10}) {
        r.problems = {"sales"};
        r.remarks = "订单不足，开工不足";
      } else if (rng.NextDouble() < 0.05) {
        r.problems = {rng.NextDouble() < 0.5 ? "labour" : "funding"};
      }
      // Submitted between the 2nd and the 14th of the next month, 10:00 China time: those
      // after the 10th are late. A few are corrected a few days later (a second revision).
      const YearMonth next = m.Next();
      const int day = static_cast<int>(rng.Uniform(2, 14));
      r.submitted_at = fmt::format("{}-{:02}-{:02}T02:00:00.000Z", next.year, next.month, day);
      const bool corrected = rng.NextDouble() < 0.03 && r.days_operated > 0;
      out.reports.push_back(r);
      if (corrected) {
        MonthlyReport fix = r;
        fix.days_operated -= 1;
        fix.wages_fen = fix.wages_fen * fix.days_operated / (fix.days_operated + 1);
        fix.poor_wages_fen = fix.poor_wages_fen * fix.days_operated / (fix.days_operated + 1);
        fix.remarks = "更正：生产天数按考勤核减";
        fix.submitted_at =
            fmt::format("{}-{:02}-{:02}T02:00:00.000Z", next.year, next.month, day + 5);
        out.reports.push_back(std::move(fix));
      }
    }
    out.workshops.push_back(std::move(w));
  }
  return out;
}

}  // namespace fupin::workshops
