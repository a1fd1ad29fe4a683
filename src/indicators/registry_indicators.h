// The indicators of the household registry (建档立卡) and the first entered statistics, as
// catalogue entries, and the per-year income thresholds they use. docs/indicators.md holds
// every definition in full; the definitions registered here are the same text.
//
// Who counts, at a period's last day D (31 December of a year, or an as-of date):
//   - a household is *registered* when its status on D (the last status event on or before D)
//     is set and is not cancelled; households without any status event on or before D, and
//     cancelled ones, are not counted at all;
//   - its *people* are the members on D (joined_on ≤ D < left_on, open ends unbounded);
//   - it is *poor* when its status on D is identified (贫困户) or returned (返贫);
//   - its incomes are those of LastCompleteYear(period), per capita over its members on 31 December
//     of that year (as registry::PerCapitaNetIncome computes).
// Thread-safety: immutable data and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "indicators/indicator.h"

namespace fupin::indicators {

// Codes of the registry indicators counted directly by the registry engine (RegistryCube).
inline constexpr std::string_view kHouseholds = "households";
inline constexpr std::string_view kPeople = "people";
inline constexpr std::string_view kPoorHouseholds = "poor_households";
inline constexpr std::string_view kPoorPeople = "poor_people";
inline constexpr std::string_view kLiftedPeople = "lifted_people";
inline constexpr std::string_view kReturnedPeople = "returned_people";
inline constexpr std::string_view kMonitoredPeople = "monitored_people";
inline constexpr std::string_view kIncomeHouseholds = "income_households";
inline constexpr std::string_view kIncomePeople = "income_people";
inline constexpr std::string_view kNetIncomeTotal = "net_income_total";
inline constexpr std::string_view kIncomeBelowThresholdHouseholds =
    "income_below_threshold_households";
// Derived and entered ones.
inline constexpr std::string_view kMeanPerCapitaNetIncome = "mean_per_capita_net_income";
inline constexpr std::string_view kRuralPopulation = "rural_population";
inline constexpr std::string_view kPovertyIncidence = "poverty_incidence";

// The 三保障 + safe water items with coverage indicators (GuaranteeItems() codes), and the
// codes of their three indicators: `<item>_assessed_households`,
// `<item>_secured_households` and `<item>_secured_rate`.
inline constexpr std::string_view kCoverageItems[] = {"education", "medical", "housing", "water"};
std::string AssessedCode(std::string_view item);
std::string SecuredCode(std::string_view item);
std::string SecuredRateCode(std::string_view item);
// Poor people by the main cause of poverty of their household: `poor_people_cause_<cause>`
// for every Causes() code.
std::string CauseCode(std::string_view cause);

// Registers the registry's indicators (module "registry"), the entered statistics (module
// "statistics") and the indicators derived from both, in that order.
Status RegisterRegistryIndicators(Catalogue& catalogue);

// The catalogue of this build: every module's indicators (the registry's and statistics',
// then the workshops', workshop_indicators.h).
Result<Catalogue> StandardCatalogue();

// Per-year thresholds of per-capita net income (yuan) for income_below_threshold_households:
// the national rural poverty line at current prices up to 2020 (2,300 yuan at 2010 prices),
// then the monitoring threshold for relapse prevention (防返贫监测). Defaults() holds the
// figures documented in docs/indicators.md with their sources; a year without a threshold
// gives that indicator no value.
struct IncomeThresholds {
  std::map<int, double> by_year;

  std::optional<double> For(int year) const;
  static IncomeThresholds Defaults();
  // Parses "YEAR:YUAN[,YEAR:YUAN…]" (e.g. "2022:6300,2023:6900") into thresholds that
  // override or add to `base`. kInvalidArgument naming the bad item.
  static Result<IncomeThresholds> Parse(std::string_view text, IncomeThresholds base);
};

}  // namespace fupin::indicators
