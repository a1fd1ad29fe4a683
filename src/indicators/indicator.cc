#include "indicators/indicator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <mutex>

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
    Unit{"item", "项", "items", true},
    Unit{"score", "分", "points", false},
    Unit{"ten_thousand_yuan", "万元", "10,000 yuan", false},
    Unit{"mu", "亩", "mu", false},
    Unit{"none", "—", "—", false},
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
    case Aggregation::kMeanOfAnswers:
      return "mean_of_answers";
  }
  return "";
}

std::optional<Direction> DirectionNamed(std::string_view name) {
  for (Direction d : {Direction::kHigherBetter, Direction::kLowerBetter, Direction::kTargetRange}) {
    if (DirectionName(d) == name) return d;
  }
  return std::nullopt;
}

std::optional<Source> SourceNamed(std::string_view name) {
  for (Source s : {Source::kComputed, Source::kEntered, Source::kSurveyed}) {
    if (SourceName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<Aggregation> AggregationNamed(std::string_view name) {
  for (Aggregation a : {Aggregation::kSum, Aggregation::kRatioOfSums, Aggregation::kMeanWeighted,
                        Aggregation::kMeanOfAnswers}) {
    if (AggregationName(a) == name) return a;
  }
  return std::nullopt;
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

std::vector<std::string_view> UnitCodes() {
  std::vector<std::string_view> out;
  for (const Unit& u : kUnits) out.push_back(u.code);
  return out;
}

namespace {

// The problems of one indicator's own definition; `known` finds the indicators a formula or
// weight may name. Details have `row` = `row`.
std::vector<ErrorDetail> DefinitionProblems(const Indicator& indicator, int64_t row,
                                            const std::function<bool(std::string_view)>& known) {
  std::vector<ErrorDetail> problems;
  auto problem = [&](std::string field, std::string value, std::string reason) {
    problems.push_back({row, std::move(field), std::move(value), std::move(reason)});
  };
  const std::string& code = indicator.code;
  if (!IsValidCode(code)) {
    problem("code", code, "must be 1–64 characters of a–z, 0–9 and _, starting with a letter");
  }
  if (indicator.zh.empty()) problem("zh", "", "is required");
  if (indicator.en.empty()) problem("en", "", "is required");
  if (!FindUnit(indicator.unit)) problem("unit", indicator.unit, "is not a known unit");
  if (indicator.definition_zh.empty()) problem("definition_zh", "", "is required");
  if (indicator.definition_en.empty()) problem("definition_en", "", "is required");
  if (indicator.formula) {
    const Formula& f = *indicator.formula;
    for (const auto& [field, operand] :
         {std::pair{"formula.numerator", &f.numerator}, {"formula.denominator", &f.denominator}}) {
      if (operand->empty()) {
        problem(field, "", "is required");
      } else if (*operand == code) {
        problem(field, *operand, "an indicator cannot be defined by itself");
      } else if (!known(*operand)) {
        problem(field, *operand, "is not an indicator of the catalogue");
      }
    }
    if (!std::isfinite(f.factor) || f.factor <= 0) {
      problem("formula.factor", fmt::format("{}", f.factor), "must be a positive number");
    }
    if (indicator.aggregation != Aggregation::kRatioOfSums) {
      problem("aggregation", std::string(AggregationName(indicator.aggregation)),
              "a derived indicator rolls up as ratio_of_sums");
    }
  } else if (indicator.aggregation == Aggregation::kRatioOfSums) {
    problem("formula", "", "ratio_of_sums needs a formula");
  }
  if (indicator.aggregation == Aggregation::kMeanWeighted) {
    if (indicator.weight.empty()) {
      problem("weight", "", "mean_weighted needs the indicator it is weighted by");
    } else if (indicator.weight == code) {
      problem("weight", indicator.weight, "an indicator cannot be weighted by itself");
    } else if (!known(indicator.weight)) {
      problem("weight", indicator.weight, "is not an indicator of the catalogue");
    }
  } else if (!indicator.weight.empty()) {
    problem("weight", indicator.weight, "only mean_weighted indicators have a weight");
  }
  if ((indicator.aggregation == Aggregation::kMeanOfAnswers) !=
      (indicator.source == Source::kSurveyed)) {
    problem("aggregation", std::string(AggregationName(indicator.aggregation)),
            "surveyed indicators, and only they, are rolled up as mean_of_answers");
  }
  return problems;
}

}  // namespace

Catalogue::Catalogue(const Catalogue& other) {
  std::shared_lock lock(other.mutex_);
  builtin_ = other.builtin_;
  declared_ = other.declared_;
  index_ = other.index_;
  builtin_index_ = other.builtin_index_;
}

Status Catalogue::Register(Indicator indicator) {
  std::unique_lock lock(mutex_);
  const std::string code = indicator.code;
  if (!declared_.empty()) {
    return FailedPrecondition(fmt::format(
        "indicator '{}': built-in indicators are registered before any is declared", code));
  }
  auto problems = DefinitionProblems(indicator, 0, [&](std::string_view operand) {
    return builtin_index_.find(operand) != builtin_index_.end();
  });
  if (!problems.empty()) {
    for (ErrorDetail& d : problems) {
      if (d.reason == "is not an indicator of the catalogue") {
        d.reason = "names an indicator that is not registered before this one";
      }
    }
    return InvalidArgument(fmt::format("indicator '{}' is not well defined", code),
                           std::move(problems));
  }
  if (index_.contains(code)) {
    return AlreadyExists(fmt::format("indicator '{}' is already registered", code));
  }
  auto stored = std::make_shared<const Indicator>(std::move(indicator));
  index_.emplace(code, stored.get());
  builtin_index_.emplace(code, stored.get());
  builtin_.push_back(std::move(stored));
  return {};
}

namespace {

// `declared` in an order where every indicator comes after those of the set it names;
// nullopt when they name each other in a cycle (`cycle` then lists the codes left).
std::optional<std::vector<size_t>> DependencyOrder(std::span<const Indicator> declared,
                                                   std::vector<std::string>& cycle) {
  std::map<std::string_view, size_t> position;
  for (size_t i = 0; i < declared.size(); ++i) position.emplace(declared[i].code, i);
  std::vector<size_t> order;
  std::vector<bool> placed(declared.size(), false);
  while (order.size() < declared.size()) {
    bool progress = false;
    for (size_t i = 0; i < declared.size(); ++i) {
      if (placed[i]) continue;
      const Indicator& d = declared[i];
      std::vector<std::string_view> names;
      if (d.formula) names = {d.formula->numerator, d.formula->denominator};
      if (!d.weight.empty()) names.push_back(d.weight);
      const bool ready = std::all_of(names.begin(), names.end(), [&](std::string_view n) {
        auto it = position.find(n);
        return it == position.end() || it->second == i || placed[it->second];
      });
      if (!ready) continue;
      placed[i] = true;
      order.push_back(i);
      progress = true;
    }
    if (!progress) {
      for (size_t i = 0; i < declared.size(); ++i) {
        if (!placed[i]) cycle.push_back(declared[i].code);
      }
      return std::nullopt;
    }
  }
  return order;
}

}  // namespace

Status Catalogue::CheckDeclared(std::span<const Indicator> declared) const {
  std::shared_lock lock(mutex_);
  std::vector<ErrorDetail> problems;
  std::map<std::string_view, size_t> seen;
  for (size_t i = 0; i < declared.size(); ++i) {
    const Indicator& d = declared[i];
    const auto row = static_cast<int64_t>(i + 1);
    auto known = [&](std::string_view code) {
      if (builtin_index_.find(code) != builtin_index_.end()) return true;
      return std::any_of(declared.begin(), declared.end(),
                         [&](const Indicator& o) { return o.code == code; });
    };
    auto found = DefinitionProblems(d, row, known);
    problems.insert(problems.end(), found.begin(), found.end());
    if (d.module != kDeclaredModule) {
      problems.push_back({row, "module", d.module, "declared indicators have module 'declared'"});
    }
    if (builtin_index_.find(d.code) != builtin_index_.end()) {
      problems.push_back({row, "code", d.code, "is the code of a built-in indicator"});
    } else if (auto [it, fresh] = seen.emplace(d.code, i); !fresh) {
      problems.push_back({row, "code", d.code, "is already declared"});
    }
    switch (d.source) {
      case Source::kComputed:
        if (!d.formula) {
          problems.push_back({row, "formula", "",
                              "a declared computed indicator is defined by a formula "
                              "numerator / denominator × factor over other indicators"});
        }
        break;
      case Source::kEntered:
      case Source::kSurveyed:
        if (d.formula) {
          problems.push_back({row, "formula", "",
                              fmt::format("only computed indicators have a formula ({} ones "
                                          "take their values from {})",
                                          SourceName(d.source),
                                          d.source == Source::kEntered ? "the statistics entered"
                                                                       : "survey answers")});
        }
        break;
    }
  }
  if (!problems.empty()) {
    return InvalidArgument(declared.size() == 1
                               ? fmt::format("indicator '{}' is not well defined", declared[0].code)
                               : std::string("the declared indicators are not well defined"),
                           std::move(problems));
  }
  std::vector<std::string> cycle;
  if (!DependencyOrder(declared, cycle)) {
    std::string names;
    for (const std::string& c : cycle) names += (names.empty() ? "" : ", ") + c;
    return InvalidArgument(
        fmt::format("the formulas and weights of {} name each other in a cycle", names),
        {{0, "formula", names, "indicators may not be defined in terms of each other"}});
  }
  return {};
}

Status Catalogue::SetDeclared(std::vector<Indicator> declared) {
  FUPIN_TRY(CheckDeclared(declared));
  std::vector<std::string> cycle;
  const std::vector<size_t> order = *DependencyOrder(declared, cycle);
  std::unique_lock lock(mutex_);
  std::map<std::string_view, std::shared_ptr<const Indicator>> previous;
  for (const auto& d : declared_) previous.emplace(d->code, d);
  std::vector<std::shared_ptr<const Indicator>> next;
  next.reserve(declared.size());
  for (size_t i : order) {
    auto it = previous.find(declared[i].code);
    if (it != previous.end() && *it->second == declared[i]) {
      next.push_back(it->second);
    } else {
      next.push_back(std::make_shared<const Indicator>(std::move(declared[i])));
    }
  }
  for (auto& d : declared_) {
    if (std::none_of(next.begin(), next.end(), [&](const auto& n) { return n == d; })) {
      retired_.push_back(std::move(d));
    }
  }
  declared_ = std::move(next);
  index_ = builtin_index_;
  for (const auto& d : declared_) index_.emplace(d->code, d.get());
  return {};
}

const Indicator* Catalogue::Find(std::string_view code) const {
  std::shared_lock lock(mutex_);
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : it->second;
}

std::vector<const Indicator*> Catalogue::All() const {
  std::shared_lock lock(mutex_);
  std::vector<const Indicator*> out;
  out.reserve(builtin_.size() + declared_.size());
  for (const auto& i : builtin_) out.push_back(i.get());
  for (const auto& i : declared_) out.push_back(i.get());
  return out;
}

std::vector<const Indicator*> Catalogue::Declared() const {
  std::shared_lock lock(mutex_);
  std::vector<const Indicator*> out;
  for (const auto& i : declared_) out.push_back(i.get());
  return out;
}

bool Catalogue::IsBuiltIn(std::string_view code) const {
  std::shared_lock lock(mutex_);
  return builtin_index_.find(code) != builtin_index_.end();
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
