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
//                     weighted by the number of workers;
//   mean_of_answers — surveyed indicators: the mean of the answers given in a region's
//                     subtree (so weighted by the number of answers).
// Modules register their built-in indicators into one Catalogue at start-up (see
// registry_indicators.h). Users may declare more (module "declared"): computed ones by a
// formula over the others, entered statistics and surveyed ones. Their set is replaced as a
// whole (SetDeclared) whenever a declaration changes; the Indicator objects handed out before
// stay alive (and unchanged) as long as the catalogue, so a pointer from Find() or All() is
// never left dangling by a later declaration.
// Thread-safety: Indicator is a value type; Catalogue is thread-safe (a reader–writer lock).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace fupin::indicators {

enum class Direction { kHigherBetter, kLowerBetter, kTargetRange };
enum class Source { kComputed, kEntered, kSurveyed };
enum class Aggregation { kSum, kRatioOfSums, kMeanWeighted, kMeanOfAnswers };

// "higher_better", "lower_better", "target_range".
std::string_view DirectionName(Direction direction);
// "computed", "entered", "surveyed".
std::string_view SourceName(Source source);
// "sum", "ratio_of_sums", "mean_weighted", "mean_of_answers".
std::string_view AggregationName(Aggregation aggregation);
// The inverses; nullopt for an unknown name.
std::optional<Direction> DirectionNamed(std::string_view name);
std::optional<Source> SourceNamed(std::string_view name);
std::optional<Aggregation> AggregationNamed(std::string_view name);

// Units as codes, with their labels: "household" (户), "person" (人), "percent" (%), "yuan"
// (元), "yuan_per_person" (元/人), "workshop" (个), "yuan_per_person_month" (元/人·月).
std::string_view UnitZh(std::string_view unit);
std::string_view UnitEn(std::string_view unit);
// True for units that count things (household, person, workshop): entered values must be
// whole and not negative.
bool IsCountUnit(std::string_view unit);
// Every unit code, in a fixed order.
std::vector<std::string_view> UnitCodes();

// value = numerator / denominator × factor, each operand rolled up first. No value when the
// denominator is missing or zero.
struct Formula {
  std::string numerator;
  std::string denominator;
  double factor = 1;

  friend bool operator==(const Formula&, const Formula&) = default;
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
  std::string module;              // who registered it: "registry", "statistics", …, "declared"

  bool IsDerived() const { return formula.has_value(); }

  friend bool operator==(const Indicator&, const Indicator&) = default;
};

// The module of the indicators users declare.
inline constexpr std::string_view kDeclaredModule = "declared";

// The indicators known to this process: the built-in ones in registration order, then the
// declared ones (each after the indicators its formula or weight names).
class Catalogue {
 public:
  Catalogue() = default;
  Catalogue(const Catalogue& other);
  Catalogue& operator=(const Catalogue& other) = delete;

  // Adds a built-in indicator (before any is declared). kInvalidArgument for a malformed
  // code (1–64 characters of a–z, 0–9 and _, starting with a letter), missing names or
  // definitions, an unknown unit, a formula or weight naming an indicator not registered
  // before it, a factor that is not a positive number, or an aggregation that does not fit
  // (ratio_of_sums needs a formula, mean_weighted a weight, mean_of_answers a surveyed
  // source); kAlreadyExists for a code taken.
  Status Register(Indicator indicator);

  // Checks a whole set of declared indicators: each well defined as for Register, of module
  // "declared", with a code no built-in indicator and no other of the set has; a computed
  // one defined by a formula (fupin cannot count anything else from its data); an entered
  // one summed or weighted; a surveyed one averaged over answers; formulas and weights naming
  // built-in indicators or others of the set, with no cycle. kInvalidArgument whose details
  // name the fields ("formula.numerator", …) and, in `row`, the 1-based position in
  // `declared` (0 for a cycle, named in the message).
  Status CheckDeclared(std::span<const Indicator> declared) const;

  // Replaces the declared indicators with `declared` (checked as by CheckDeclared; nothing
  // changes on an error). Indicators equal to one declared before keep their object.
  Status SetDeclared(std::vector<Indicator> declared);

  // nullptr when unknown.
  const Indicator* Find(std::string_view code) const;
  // Every indicator: the built-in ones, then the declared ones.
  std::vector<const Indicator*> All() const;
  std::vector<const Indicator*> Declared() const;
  bool IsBuiltIn(std::string_view code) const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<std::shared_ptr<const Indicator>> builtin_;   // guarded by mutex_
  std::vector<std::shared_ptr<const Indicator>> declared_;  // guarded by mutex_
  // Declared indicators replaced since, kept so that pointers handed out stay valid.
  std::vector<std::shared_ptr<const Indicator>> retired_;               // guarded by mutex_
  std::map<std::string, const Indicator*, std::less<>> index_;          // guarded by mutex_
  std::map<std::string, const Indicator*, std::less<>> builtin_index_;  // guarded by mutex_
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
