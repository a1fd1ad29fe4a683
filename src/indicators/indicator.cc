#include "indicators/indicator.h"

#include <fmt/format.h>

#include <array>

namespace fupin::indicators {
namespace {

struct Unit {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
  bool count;
};

constexpr std::array kUnits = {
    Unit{"household", "户", "households", true},
    Unit{"person", "人", "persons", true},
    Unit{"percent", "%", "%", false},
    Unit{"yuan", "元", "yuan", false},
    Unit{"yuan_per_person", "元/人", "yuan per person", false},
    Unit{"workshop", "个", "workshops", true},
    Unit{"yuan_per_person_month", "元/人·月", "yuan per person-month", false},
    Unit{"payment", "笔", "payments", true},
};

const Unit* FindUnit(std::string_view code) {
  for (const Unit& u : kUnits) {
    if (u.code == code) return &u;
  }
  return nullptr;
}

bool IsValidCode(std::string_view code) {
  if (code.empty() || code.size() > 64 || code[0] < 'a' || code[0] > 'z') return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kHigherBetter:
      return "higher_better";
    case Direction::kLowerBetter:
      return "lower_better";
    case Direction::kTargetRange:
      return "target_range";
  }
  return "";
}

std::string_view SourceName(Source source) {
  switch (source) {
    case Source::kComputed:
      return "computed";
    case Source::kEntered:
      return "entered";
    case Source::kSurveyed:
      return "surveyed";
  }
  return "";
}

std::string_view AggregationName(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::kSum:
      return "sum";
    case Aggregation::kRatioOfSums:
      return "ratio_of_sums";
    case Aggregation::kMeanWeighted:
      return "mean_weighted";
  }
  return "";
}

std::string_view UnitZh(std::string_view unit) {
  const Unit* u = FindUnit(unit);
  return u ? u->zh : unit;
}

std::string_view UnitEn(std::string_view unit) {
  const Unit* u = FindUnit(unit);
  return u ? u->en : unit;
}

bool IsCountUnit(std::string_view unit) {
  const Unit* u = FindUnit(unit);
  return u && u->count;
}

Status Catalogue::Register(Indicator indicator) {
  const std::string& code = indicator.code;
  std::vector<ErrorDetail> problems;
  auto problem = [&](std::string field, std::string value, std::string reason) {
    problems.push_back({0, std::move(field), std::move(value), std::move(reason)});
  };
  if (!IsValidCode(code)) {
    problem("code", code, "must be 1–64 characters of a–z, 0–9 and _, starting with a letter");
  }
  if (indicator.zh.empty()) problem("zh", "", "is required");
  if (indicator.en.empty()) problem("en", "", "is required");
  if (!FindUnit(indicator.unit)) problem("unit", indicator.unit, "is not a known unit");
  if (indicator.definition_zh.empty() || indicator.definition_en.empty()) {
    problem("definition", "", "both the Chinese and the English definition are required");
  }
  if (indicator.formula) {
    for (const std::string* operand :
         {&indicator.formula->numerator, &indicator.formula->denominator}) {
      if (!Find(*operand)) {
        problem("formula", *operand, "names an indicator that is not registered before this one");
      }
    }
    if (indicator.aggregation != Aggregation::kRatioOfSums) {
      problem("aggregation", std::string(AggregationName(indicator.aggregation)),
              "a derived indicator rolls up as ratio_of_sums");
    }
  } else if (indicator.aggregation == Aggregation::kRatioOfSums) {
    problem("formula", "", "ratio_of_sums needs a formula");
  }
  if (indicator.aggregation == Aggregation::kMeanWeighted) {
    if (!Find(indicator.weight)) {
      problem("weight", indicator.weight, "mean_weighted needs a registered weight indicator");
    }
  } else if (!indicator.weight.empty()) {
    problem("weight", indicator.weight, "only mean_weighted indicators have a weight");
  }
  if (!problems.empty()) {
    return InvalidArgument(fmt::format("indicator '{}' is not well defined", code),
                           std::move(problems));
  }
  if (index_.contains(code)) {
    return AlreadyExists(fmt::format("indicator '{}' is already registered", code));
  }
  index_.emplace(code, indicators_.size());
  indicators_.push_back(std::move(indicator));
  return {};
}

const Indicator* Catalogue::Find(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &indicators_[it->second];
}

Result<Period> ParseIndicatorPeriod(std::string_view text) {
  auto period = ParsePeriod(text);
  if (!period) return period;
  if (period->first.year < 1980 || period->last.year > 2100) {
    return InvalidArgument(
        fmt::format("'{}' is outside the years indicators cover (1980–2100)", text));
  }
  return period;
}

Period YearPeriod(int year) {
  return Period{PeriodKind::kYear, Date{year, 1, 1}, Date{year, 12, 31}};
}

Period DayPeriod(const Date& day) { return Period{PeriodKind::kDay, day, day}; }

int LastCompleteYear(const Period& period) {
  const Date& last = period.last;
  return last.month == 12 && last.day == 31 ? last.year : last.year - 1;
}

}  // namespace fupin::indicators
