#include "monitoring/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace fupin::monitoring {
namespace {

using registry::Term;
using registry::Vocabulary;

constexpr std::array kRules = {
    Term{"income_below_threshold", "人均纯收入低于监测范围",
         "per-capita net income below the threshold"},
    Term{"income_drop", "人均纯收入大幅下降", "per-capita net income fell sharply"},
    Term{"medical_expense", "医疗支出较大", "large medical expenses"},
    Term{"disaster", "因灾损失较大", "large disaster losses"},
    Term{"sudden_hardship", "突发严重困难", "other sudden hardship"},
    Term{"labour_loss", "主要劳动力丧失劳动能力", "the main earner lost labour capacity"},
    Term{"guarantee_unmet", "脱贫户“三保障”或饮水安全未保障",
         "a lifted-out household lacks a guarantee"},
};

constexpr std::array kStages = {
    Term{"alert", "待村级核实", "awaiting village verification"},
    Term{"village_verified", "待乡镇审核", "awaiting township review"},
    Term{"township_reviewed", "待县级审定", "awaiting county decision"},
    Term{"monitored", "已纳入监测", "monitored"},
    Term{"dismissed", "不予纳入", "dismissed"},
    Term{"risk_eliminated", "风险已消除", "risk eliminated"},
};

constexpr std::array kCategories = {
    Term{"unstable_lifted", "脱贫不稳定户", "unstable lifted-out household"},
    Term{"marginal", "边缘易致贫户", "marginal household at risk of poverty"},
    Term{"sudden_hardship", "突发严重困难户", "household in sudden severe hardship"},
};

constexpr std::array kRiskKinds = {
    Term{"medical_expense", "大额医疗支出", "large medical expense"},
    Term{"disaster", "自然灾害", "disaster"},
    Term{"other", "其他突发困难", "other sudden hardship"},
};

constexpr Vocabulary kRuleVocabulary{"monitoring_rule", kRules};
constexpr Vocabulary kStageVocabulary{"monitoring_stage", kStages};
constexpr Vocabulary kCategoryVocabulary{"monitoring_category", kCategories};
constexpr Vocabulary kRiskKindVocabulary{"risk_kind", kRiskKinds};
constexpr std::array<const Vocabulary*, 4> kAll = {&kRuleVocabulary, &kStageVocabulary,
                                                   &kCategoryVocabulary, &kRiskKindVocabulary};

}  // namespace

const Vocabulary& Rules() { return kRuleVocabulary; }
const Vocabulary& Stages() { return kStageVocabulary; }
const Vocabulary& Categories() { return kCategoryVocabulary; }
const Vocabulary& RiskKinds() { return kRiskKindVocabulary; }
std::span<const Vocabulary* const> AllVocabularies() { return kAll; }

std::string AppliedThreshold::Source() const {
  return fmt::format("{}/{}", province_code.empty() ? "national" : province_code, year);
}

std::optional<AppliedThreshold> ResolveThreshold(const std::vector<Threshold>& thresholds,
                                                 const std::string& province, int year) {
  // Exact year: the province's, else the national guidance.
  for (const std::string& who : {province, std::string()}) {
    for (const Threshold& t : thresholds) {
      if (t.province_code == who && t.year == year) {
        return AppliedThreshold{t.per_capita_fen, t.province_code, t.year};
      }
    }
  }
  // The latest earlier year: the province's, else the national guidance.
  for (const std::string& who : {province, std::string()}) {
    const Threshold* best = nullptr;
    for (const Threshold& t : thresholds) {
      if (t.province_code == who && t.year < year && (!best || t.year > best->year)) best = &t;
    }
    if (best) return AppliedThreshold{best->per_capita_fen, best->province_code, best->year};
  }
  return std::nullopt;
}

std::vector<ErrorDetail> ValidateOptions(const RuleOptions& o) {
  std::vector<ErrorDetail> p;
  auto share = [&](const char* field, double v) {
    if (!(v > 0 && v <= 1)) {
      p.push_back({0, field, fmt::format("{}", v), "must be a share above 0 and at most 1"});
    }
  };
  auto money = [&](const char* field, int64_t v) {
    if (v <= 0) p.push_back({0, field, std::to_string(v), "must be a positive amount in fen"});
  };
  share("income_drop_share", o.income_drop_share);
  money("medical_expense_fen", o.medical_expense_fen);
  share("medical_income_share", o.medical_income_share);
  money("disaster_loss_fen", o.disaster_loss_fen);
  share("disaster_income_share", o.disaster_income_share);
  if (o.verify_days < 1 || o.verify_days > 365) {
    p.push_back({0, "verify_days", std::to_string(o.verify_days), "must be from 1 to 365"});
  }
  if (o.review_days < o.verify_days || o.review_days > 365) {
    p.push_back({0, "review_days", std::to_string(o.review_days),
                 "must be at least verify_days and at most 365"});
  }
  if (o.decide_days < o.review_days || o.decide_days > 365) {
    p.push_back({0, "decide_days", std::to_string(o.decide_days),
                 "must be at least review_days and at most 365"});
  }
  if (o.minimum_months < 0 || o.minimum_months > 60) {
    p.push_back({0, "minimum_months", std::to_string(o.minimum_months), "must be from 0 to 60"});
  }
  return p;
}

RuleOptions ResolveOptions(const std::vector<RuleOptions>& options, const std::string& province) {
  for (const std::string& who : {province, std::string()}) {
    for (const RuleOptions& o : options) {
      if (o.province_code == who) return o;
    }
  }
  return RuleOptions{};
}

std::string ProvinceOf(std::string_view region_code) {
  if (region_code.size() < 2) return "";
  return std::string(region_code.substr(0, 2)) + "0000000000";
}

std::vector<ErrorDetail> ValidateRiskEvent(const RiskEvent& e, const Date& today) {
  std::vector<ErrorDetail> p;
  if (!RiskKinds().Contains(e.kind)) {
    p.push_back({0, "kind", e.kind, "is not one of: " + RiskKinds().Allowed()});
  }
  if (e.amount_fen && *e.amount_fen < 0) {
    p.push_back({0, "amount_fen", std::to_string(*e.amount_fen), "must not be negative"});
  }
  if ((e.kind == "medical_expense" || e.kind == "disaster") && !e.amount_fen) {
    p.push_back({0, "amount_fen", "",
                 e.kind == "medical_expense" ? "a medical expense needs its out-of-pocket amount"
                                             : "a disaster needs the amount of the loss"});
  }
  if (e.on > today) p.push_back({0, "on", e.on.ToString(), "is in the future"});
  if (e.on.year < 2000) p.push_back({0, "on", e.on.ToString(), "is before 2000"});
  if (e.note.size() > 2000) p.push_back({0, "note", "", "is longer than 2000 bytes"});
  return p;
}

bool IsPendingStage(std::string_view stage) {
  return stage == kStageAlert || stage == kStageVerified || stage == kStageReviewed;
}

bool IsClosedStage(std::string_view stage) {
  return stage == kStageDismissed || stage == kStageEliminated;
}

std::optional<Date> Case::CurrentDue() const {
  if (stage == kStageAlert) return verify_due;
  if (stage == kStageVerified) return review_due;
  if (stage == kStageReviewed) return decide_due;
  return std::nullopt;
}

std::vector<Deadline> Deadlines(const Case& c, const Date& today) {
  const std::array<std::tuple<const char*, Date, std::optional<Date>, std::string_view>, 3> steps =
      {{{"verify", c.verify_due, c.verified_on, kStageAlert},
        {"review", c.review_due, c.reviewed_on, kStageVerified},
        {"decide", c.decide_due, c.decided_on, kStageReviewed}}};
  std::vector<Deadline> out;
  for (const auto& [name, due, done, stage] : steps) {
    Deadline d;
    d.step = name;
    d.due = due;
    d.done_on = done;
    d.pending = c.stage == stage;
    if (d.pending && today > due) {
      d.overdue = true;
      d.days_over = today.DaysSinceEpoch() - due.DaysSinceEpoch();
    }
    if (done && *done > due) {
      d.late = true;
      d.days_over = done->DaysSinceEpoch() - due.DaysSinceEpoch();
    }
    out.push_back(d);
  }
  return out;
}

int64_t DaysOverdue(const Case& c, const Date& today) {
  const auto due = c.CurrentDue();
  if (!due || !(today > *due)) return 0;
  return today.DaysSinceEpoch() - due->DaysSinceEpoch();
}

Date AddMonths(const Date& date, int months) {
  const int index = date.year * 12 + (date.month - 1) + months;
  const int year = index / 12;
  const int month = index % 12 + 1;
  return Date{year, month, std::min(date.day, DaysInMonth(year, month))};
}

Date AddDays(const Date& date, int64_t days) {
  return Date::FromDaysSinceEpoch(date.DaysSinceEpoch() + days);
}

}  // namespace fupin::monitoring
