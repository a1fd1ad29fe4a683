#include "monitoring/detection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "registry/vocabulary.h"

namespace fupin::monitoring {
namespace {

using registry::HouseholdRecord;
using registry::Income;
using registry::Member;

// Shares are compared with a tolerance, so that a drop of exactly 30% does not fire a rule
// for "more than 30%" through rounding.
constexpr double kShareTolerance = 1e-9;

std::string Share(double share) { return fmt::format("{:.4f}", share); }
std::string Percent(double share) { return fmt::format("{:.1f}%", share * 100); }

const Income* IncomeOf(const HouseholdRecord& r, int year) {
  for (const Income& i : r.incomes) {
    if (i.year == year) return &i;
  }
  return nullptr;
}

std::optional<int64_t> PerCapitaFen(const HouseholdRecord& r, const Income& income) {
  auto pc = registry::PerCapitaNetIncome(income, r.members);
  if (!pc) return std::nullopt;
  return ToFen(*pc);
}

int AgeOn(const Date& birth, const Date& day) {
  int age = day.year - birth.year;
  if (day.month < birth.month || (day.month == birth.month && day.day < birth.day)) --age;
  return age;
}

bool WorkingAge(const Member& m, const Date& today) {
  if (!m.birth_date) return false;
  const int age = AgeOn(*m.birth_date, today);
  return age >= 16 && age <= 64;
}

class Detector {
 public:
  Detector(const HouseholdRecord& record, const RuleOptions& options,
           const std::vector<Threshold>& thresholds, const DetectionParams& params,
           std::vector<Alert>& out)
      : r_(record), o_(options), thresholds_(thresholds), p_(params), out_(out) {}

  void IncomeRules() {
    const Income* income = nullptr;
    if (p_.year) {
      income = IncomeOf(r_, *p_.year);
    } else {
      for (const Income& i : r_.incomes) {
        if (i.year <= p_.today.year && (!income || i.year > income->year)) income = &i;
      }
    }
    if (!income) return;
    const int year = income->year;
    const auto pc = PerCapitaFen(r_, *income);
    if (!pc) return;
    const std::string province = ProvinceOf(r_.household.region_code);
    if (auto t = ResolveThreshold(thresholds_, province, year); t && *pc < t->per_capita_fen) {
      Add("income_below_threshold", std::to_string(year),
          {{"year", std::to_string(year)},
           {"per_capita_fen", std::to_string(*pc)},
           {"threshold_fen", std::to_string(t->per_capita_fen)},
           {"threshold_source", t->Source()}},
          fmt::format("{}年人均纯收入{}元，低于监测范围{}元（{}）", year, Yuan(*pc),
                      Yuan(t->per_capita_fen), t->Source()),
          fmt::format("Per-capita net income {} yuan in {} is below the threshold of {} yuan ({})",
                      Yuan(*pc), year, Yuan(t->per_capita_fen), t->Source()));
    }
    const Income* before = IncomeOf(r_, year - 1);
    if (!before) return;
    const auto pc_before = PerCapitaFen(r_, *before);
    if (!pc_before || *pc_before <= 0) return;
    const double drop = 1.0 - static_cast<double>(*pc) / static_cast<double>(*pc_before);
    if (drop > o_.income_drop_share + kShareTolerance) {
      Add("income_drop", std::to_string(year),
          {{"year", std::to_string(year)},
           {"per_capita_fen", std::to_string(*pc)},
           {"previous_year", std::to_string(year - 1)},
           {"previous_per_capita_fen", std::to_string(*pc_before)},
           {"drop_share", Share(drop)},
           {"limit_share", Share(o_.income_drop_share)}},
          fmt::format("人均纯收入由{}年的{}元降至{}年的{}元，下降{}，超过{}", year - 1,
                      Yuan(*pc_before), year, Yuan(*pc), Percent(drop),
                      Percent(o_.income_drop_share)),
          fmt::format("Per-capita net income fell from {} yuan in {} to {} yuan in {}, by {} "
                      "(more than {})",
                      Yuan(*pc_before), year - 1, Yuan(*pc), year, Percent(drop),
                      Percent(o_.income_drop_share)));
    }
  }

  // medical_expense and disaster: the events of `kind` summed per calendar year.
  void ExpenseRule(const std::vector<const RiskEvent*>& events, std::string_view kind,
                   std::string_view rule, int64_t limit_fen, double limit_share) {
    std::map<int, std::pair<int64_t, int>> by_year;  // year → (sum, count)
    for (const RiskEvent* e : events) {
      if (e->kind != kind || !InEventWindow(e->on.year)) continue;
      auto& [sum, count] = by_year[e->on.year];
      sum += e->amount_fen.value_or(0);
      ++count;
    }
    const bool medical = kind == "medical_expense";
    for (const auto& [year, total] : by_year) {
      const auto [sum, count] = total;
      std::optional<int64_t> net_before;
      if (const Income* i = IncomeOf(r_, year - 1)) net_before = ToFen(i->Net());
      const bool by_amount = sum >= limit_fen;
      const bool by_share = net_before && *net_before > 0 &&
                            static_cast<double>(sum) >=
                                limit_share * static_cast<double>(*net_before) - kShareTolerance;
      if (!by_amount && !by_share) continue;
      std::vector<AlertValue> values = {
          {"year", std::to_string(year)},
          {medical ? "expenses_fen" : "losses_fen", std::to_string(sum)},
          {"events", std::to_string(count)},
          {"limit_fen", std::to_string(limit_fen)},
          {"limit_share", Share(limit_share)},
          {"fired_by", by_amount && by_share ? "amount,income_share"
                                             : (by_amount ? "amount" : "income_share")}};
      if (net_before) values.push_back({"previous_net_fen", std::to_string(*net_before)});
      const std::string share_zh =
          net_before && *net_before > 0
              ? fmt::format("，占上年家庭纯收入的{}",
                            Percent(static_cast<double>(sum) / static_cast<double>(*net_before)))
              : "";
      const std::string share_en =
          net_before && *net_before > 0
              ? fmt::format(", {} of the household's net income of the year before",
                            Percent(static_cast<double>(sum) / static_cast<double>(*net_before)))
              : "";
      Add(std::string(rule), std::to_string(year), std::move(values),
          fmt::format("{}年报告{}{}笔，合计{}元{}（标准：{}元或上年纯收入的{}）", year,
                      medical ? "大额医疗自付支出" : "灾害损失", count, Yuan(sum), share_zh,
                      Yuan(limit_fen), Percent(limit_share)),
          fmt::format("{} {} reported in {}, {} yuan in all{} (limit: {} yuan or {} of the net "
                      "income of the year before)",
                      count, medical ? "out-of-pocket medical expenses" : "disaster losses", year,
                      Yuan(sum), share_en, Yuan(limit_fen), Percent(limit_share)));
    }
  }

  void SuddenHardship(const std::vector<const RiskEvent*>& events) {
    std::map<std::string, std::vector<const RiskEvent*>> by_day;
    for (const RiskEvent* e : events) {
      if (e->kind == "other" && InEventWindow(e->on.year)) by_day[e->on.ToString()].push_back(e);
    }
    for (const auto& [day, list] : by_day) {
      std::string ids;
      int64_t amount = 0;
      for (const RiskEvent* e : list) {
        ids += (ids.empty() ? "" : ",") + std::to_string(e->id);
        amount += e->amount_fen.value_or(0);
      }
      Add("sudden_hardship", day,
          {{"on", day}, {"event_ids", ids}, {"amount_fen", std::to_string(amount)}},
          fmt::format("{}报告突发严重困难{}", day,
                      amount > 0 ? fmt::format("，涉及金额{}元", Yuan(amount)) : ""),
          fmt::format("Sudden hardship reported on {}{}", day,
                      amount > 0 ? fmt::format(", involving {} yuan", Yuan(amount)) : ""));
    }
  }

  void LabourLoss() {
    const Member* earner = nullptr;
    for (const Member& m : r_.members) {
      if (!m.MemberOn(p_.today) || !WorkingAge(m, p_.today)) continue;
      if (m.relation == "head") {
        earner = &m;
        break;
      }
      if (!earner || *m.birth_date < *earner->birth_date) earner = &m;
    }
    if (!earner || earner->labour != "lost") return;
    // Another member who can work carries the household: the risk is a household left without
    // an earner.
    for (const Member& m : r_.members) {
      if (&m != earner && m.MemberOn(p_.today) && WorkingAge(m, p_.today) &&
          (m.labour == "ordinary" || m.labour == "skilled")) {
        return;
      }
    }
    const int age = AgeOn(*earner->birth_date, p_.today);
    Add("labour_loss", std::to_string(p_.today.year),
        {{"member_id", std::to_string(earner->id)},
         {"member_name", earner->name},
         {"relation", earner->relation},
         {"age", std::to_string(age)},
         {"labour", earner->labour},
         {"other_able_members", "0"}},
        fmt::format("主要劳动力{}（{}，{}岁）丧失劳动能力，家中没有其他有劳动能力的成员",
                    earner->name, registry::Relations().Zh(earner->relation), age),
        fmt::format("The main earner {} ({}, aged {}) has lost labour capacity, and no other "
                    "working-age member can work",
                    earner->name, earner->relation, age));
  }

  void GuaranteeUnmet() {
    const bool lifted =
        std::any_of(r_.events.begin(), r_.events.end(),
                    [](const registry::StatusEvent& e) { return e.status == "lifted"; });
    if (!lifted) return;
    std::string items, zh;
    for (const registry::Guarantee& g : r_.guarantees) {
      if (g.met) continue;
      items += (items.empty() ? "" : ",") + g.item;
      zh += (zh.empty() ? "" : "、") + std::string(registry::GuaranteeItems().Zh(g.item));
    }
    if (items.empty()) return;
    Add("guarantee_unmet", std::to_string(p_.today.year),
        {{"items", items}, {"status", r_.household.status}}, fmt::format("脱贫户未保障：{}", zh),
        fmt::format("Lifted-out household without: {}", items));
  }

 private:
  bool InEventWindow(int year) const {
    return p_.year ? year == *p_.year : (year == p_.today.year || year == p_.today.year - 1);
  }

  void Add(std::string rule, std::string period, std::vector<AlertValue> values, std::string zh,
           std::string en) {
    Alert a;
    a.household_id = r_.household.id;
    a.household_number = r_.household.number;
    a.region_code = r_.household.region_code;
    a.rule = std::move(rule);
    a.period = std::move(period);
    a.values = std::move(values);
    a.message_zh = std::move(zh);
    a.message_en = std::move(en);
    a.detected_on = p_.today;
    out_.push_back(std::move(a));
  }

  const HouseholdRecord& r_;
  const RuleOptions& o_;
  const std::vector<Threshold>& thresholds_;
  const DetectionParams& p_;
  std::vector<Alert>& out_;
};

}  // namespace

std::string Yuan(int64_t fen) {
  const char* sign = fen < 0 ? "-" : "";
  const int64_t a = fen < 0 ? -fen : fen;
  return fmt::format("{}{}.{:02}", sign, a / 100, a % 100);
}

int64_t ToFen(double yuan) { return std::llround(yuan * 100.0); }

bool IsWatched(const registry::HouseholdRecord& record) {
  const std::string& s = record.household.status;
  return s.empty() || s == "lifted" || s == "risk_eliminated";
}

std::vector<Alert> Detect(std::span<const registry::HouseholdRecord> households,
                          std::span<const RiskEvent> events,
                          const std::vector<Threshold>& thresholds,
                          const std::vector<RuleOptions>& options, const DetectionParams& params) {
  std::map<int64_t, std::vector<const RiskEvent*>> events_of;
  for (const RiskEvent& e : events) events_of[e.household_id].push_back(&e);
  std::vector<Alert> out;
  static const std::vector<const RiskEvent*> kNone;
  for (const registry::HouseholdRecord& r : households) {
    if (!IsWatched(r)) continue;
    const RuleOptions o = ResolveOptions(options, ProvinceOf(r.household.region_code));
    auto it = events_of.find(r.household.id);
    const auto& own = it == events_of.end() ? kNone : it->second;
    Detector d(r, o, thresholds, params, out);
    // In the order of Rules().
    d.IncomeRules();
    d.ExpenseRule(own, "medical_expense", "medical_expense", o.medical_expense_fen,
                  o.medical_income_share);
    d.ExpenseRule(own, "disaster", "disaster", o.disaster_loss_fen, o.disaster_income_share);
    d.SuddenHardship(own);
    d.LabourLoss();
    d.GuaranteeUnmet();
  }
  return out;
}

}  // namespace fupin::monitoring
