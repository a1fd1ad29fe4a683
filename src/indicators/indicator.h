// Indicators: the catalogue of every figure fupin reports per region and period, and the
// values it reports.
//
// An indicator has a stable code (lower snake_case, used in the API, files and the database),
// Chinese and English names, a unit, a direction (is more better?), a source and a definition.
// Its source says where values come from:
//   computed  — from the data fupin holds (the household registry, later workshops, projects,
//               funds…); either counted directly, or derived by a declared formula
//               numerator / denominator × factor over other indicators;
//   entered   — statistics typed in or imported per region and period (e.g. the rural
//               population), with who entered them;
//   surveyed  — from surveys (the evaluation module).
// Its aggregation says how values roll up the region hierarchy (like DHIS2):
//   sum             — a region's value is the sum over its subtree;
//   ratio_of_sums   — derived indicators: numerator and denominator are rolled up first and
//                     divided at each level (never an average of averages);
//   mean_weighted   — a mean weighted by another indicator (`weight`), e.g. a mean wage
//                     weighted by the number of workers.
// Modules register their indicators into one Catalogue at start-up (see
// registry_indicators.h); afterwards the catalogue is only read.
// Thread-safety: value types; a Catalogue is not synchronized — build it, then share it const.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace fupin::indicators {

enum class Direction { kHigherBetter, kLowerBetter, kTargetRange };
enum class Source { kComputed, kEntered, kSurveyed };
enum class Aggregation { kSum, kRatioOfSums, kMeanWeighted };

// "higher_better", "lower_better", "target_range".
std::string_view DirectionName(Direction direction);
// "computed", "entered", "surveyed".
std::string_view SourceName(Source source);
// "sum", "ratio_of_sums", "mean_weighted".
std::string_view AggregationName(Aggregation aggregation);

// Units as codes, with their labels: "household" (户), "person" (人), "percent" (%), "yuan"
// (元), "yuan_per_person" (元/人), "workshop" (个), "yuan_per_person_month" (元/人·月).
std::string_view UnitZh(std::string_view unit);
std::string_view UnitEn(std::string_view unit);
// True for units that count things (household, person, workshop): entered values must be
// whole and not negative.
bool IsCountUnit(std::string_view unit);

// value = numerator / denominator × factor, each operand rolled up first. No value when the
// denominator is missing or zero.
struct Formula {
  std::string numerator;
  std::string denominator;
  double factor = 1;
};

struct Indicator {
  std::string code;
  std::string zh;
  std::string en;
  std::string unit;
  Direction direction = Direction::kHigherBetter;
  Source source = Source::kComputed;
  Aggregation aggregation = Aggregation::kSum;
  std::string definition_zh;
  std::string definition_en;
  std::optional<Formula> formula;  // derived indicators (aggregation ratio_of_sums)
  std::string weight;              // mean_weighted: the indicator the mean is weighted by
  std::string module;              // who registered it: "registry", "statistics", …

  bool IsDerived() const { return formula.has_value(); }
};

// The indicators known to this process, in registration order.
class Catalogue {
 public:
  // Adds an indicator. kInvalidArgument for a malformed code (1–64 characters of a–z, 0–9
  // and _, starting with a letter), missing names, an unknown unit, a formula or weight
  // naming an indicator not registered before it, or an aggregation that does not fit
  // (ratio_of_sums needs a formula, mean_weighted a weight); kAlreadyExists for a code taken.
  Status Register(Indicator indicator);

  // nullptr when unknown.
  const Indicator* Find(std::string_view code) const;
  std::span<const Indicator> All() const { return indicators_; }

 private:
  std::vector<Indicator> indicators_;
  std::map<std::string, size_t, std::less<>> index_;
};

// One value of one indicator for one region and period. `value` is nullopt when it cannot be
// computed (no data, a zero denominator, no income threshold for the year). Derived
// indicators carry their rolled-up numerator and denominator.
struct Value {
  std::string indicator;
  std::string region_code;
  Period period;
  std::optional<double> value;
  std::optional<double> numerator;
  std::optional<double> denominator;
};

// The period of an indicator query: a calendar year (`YYYY`) or an as-of date (`YYYY-MM-DD`,
// a period of one day). Stocks (households, poor people, …) are taken at the period's last
// day; annual figures (incomes, entered statistics) are those of the last complete calendar
// year at that day (LastCompleteYear). Months (`YYYY-MM`) are accepted the same way.
Result<Period> ParseIndicatorPeriod(std::string_view text);
Period YearPeriod(int year);
Period DayPeriod(const Date& day);

// The calendar year whose annual figures (incomes, entered statistics) an indicator period
// uses: the year of its last day when that day is 31 December, else the year before.
int LastCompleteYear(const Period& period);

}  // namespace fupin::indicators
