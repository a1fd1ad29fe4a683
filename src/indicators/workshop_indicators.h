// The indicators of poverty-alleviation workshops (扶贫车间), as catalogue entries, and the
// source that computes them over the workshop store (a MeasureSource). docs/indicators.md
// holds every definition in full; the definitions registered here are the same text.
//
// Conventions, for a period whose last day is D:
//   - stocks of workshops (by status, idle) are taken on D; a workshop counts in the region
//     its code names and every region above it;
//   - monthly figures (jobs, registered-poor jobs, their wages and mean wage, idle) come from
//     the *stock month* M: the month of D when D is a month's last day, else the month
//     before (so a year's figures are December's). Reports count in their latest revision;
//   - yearly figures (wages paid to registered-poor workers, their households' income) are
//     those of the income year Y = LastCompleteYear(period), the same year the registry's
//     income indicators use;
//   - idle = DetectIdle as of M with its defaults (fewer than 10 days in each of 3 months, no
//     registered-poor worker, or no report in those months).
// Values are kept per region (the catalogue is keyed by region); a single workshop's values
// are computed on demand by WorkshopIndicatorValues, the workshop standing for a region of its
// own (so its workshop counts are 1 or 0).
// Thread-safety: the registration and ComputeWorkshopMeasures are pure; WorkshopMeasures is
// thread-safe (one mutex around its cache).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "indicators/indicator.h"
#include "indicators/measure_source.h"
#include "workshops/analysis.h"
#include "workshops/workshop_repository.h"

namespace fupin::indicators {

inline constexpr std::string_view kWorkshopsRecognized = "workshops_recognized";
inline constexpr std::string_view kWorkshopsOperating = "workshops_operating";
inline constexpr std::string_view kWorkshopsSuspended = "workshops_suspended";
inline constexpr std::string_view kWorkshopsClosed = "workshops_closed";
inline constexpr std::string_view kWorkshopsResumptionBase = "workshops_resumption_base";
inline constexpr std::string_view kWorkshopsIdle = "workshops_idle";
inline constexpr std::string_view kWorkshopJobs = "workshop_jobs";
inline constexpr std::string_view kWorkshopPoorJobs = "workshop_poor_jobs";
inline constexpr std::string_view kWorkshopPoorMonthWages = "workshop_poor_month_wages";
inline constexpr std::string_view kWorkshopPoorWages = "workshop_poor_wages";
inline constexpr std::string_view kWorkshopPoorHouseholdsIncome = "workshop_poor_households_income";
// Derived.
inline constexpr std::string_view kWorkshopResumptionRate = "workshop_resumption_rate";
inline constexpr std::string_view kWorkshopPoorWorkerShare = "workshop_poor_worker_share";
inline constexpr std::string_view kWorkshopPoorMeanWage = "workshop_poor_mean_wage";
inline constexpr std::string_view kWorkshopPoorWageIncomeShare = "workshop_poor_wage_income_share";

// The codes WorkshopMeasures computes (the counted ones above), in that order.
const std::vector<std::string>& WorkshopMeasureCodes();

// Registers the workshop indicators (module "workshops"): the counted ones, then the derived.
Status RegisterWorkshopIndicators(Catalogue& catalogue);

// The month whose reports a period's monthly figures use (see above).
workshops::YearMonth StockMonth(const Period& period);

// What the workshop indicators are computed over.
struct WorkshopFacts {
  std::vector<workshops::Workshop> workshops;
  std::vector<workshops::Employment> employments;
  // Covering the income year and the idle window up to the stock month (any revisions).
  std::vector<workshops::MonthlyReport> reports;
  // The registry's facts of the registered-poor workers employed during the income year, with
  // their household's gross income of that year.
  std::vector<workshops::MemberRegistryFacts> members;
};

// The values of WorkshopMeasureCodes() at every node of `cube` for `period`, rolled up the
// hierarchy. A household counts once per region in workshop_poor_households_income however many
// of its members worked in that region's workshops. Workshops whose region the cube does not
// know are left out.
MeasureTable ComputeWorkshopMeasures(const RegistryCube& cube, const Period& period,
                                     const WorkshopFacts& facts);

// One workshop indicator's value for a single workshop; for derived ones also the numerator
// and denominator it was divided from. `value` is empty where the denominator is 0.
struct WorkshopIndicatorValue {
  const Indicator* indicator = nullptr;
  std::optional<double> value;
  std::optional<double> numerator;
  std::optional<double> denominator;
};

// The value of every workshop indicator of `catalogue` (module "workshops", catalogue order)
// for the one workshop of `facts` (whose employments, reports and members are that
// workshop's), with the conventions above: the workshop counts are 1 when it is recognized /
// operating / … on D and 0 otherwise; households count once.
std::vector<WorkshopIndicatorValue> ComputeOneWorkshop(const Catalogue& catalogue,
                                                       const Period& period,
                                                       const WorkshopFacts& facts);

// ComputeOneWorkshop over what `repository` holds of `workshop`.
Result<std::vector<WorkshopIndicatorValue>> WorkshopIndicatorValues(
    const Catalogue& catalogue, workshops::WorkshopRepository& repository,
    const workshops::Workshop& workshop, const Period& period);

// The MeasureSource over the workshop store. Loads workshops and employments once per change
// of the store's 'workshops' counter or the cube's counters, and keeps the last periods'
// tables until then.
class WorkshopMeasures final : public MeasureSource {
 public:
  explicit WorkshopMeasures(workshops::WorkshopRepository& repository) : repository_(repository) {}

  bool Computes(std::string_view code) const override;
  Result<std::shared_ptr<const MeasureTable>> Compute(const RegistryCube& cube,
                                                      const Period& period) override;

  static constexpr size_t kMemoSize = 32;

 private:
  workshops::WorkshopRepository& repository_;

  std::mutex mutex_;
  int64_t generation_ = -1;                                          // guarded by mutex_
  ChangeStamp stamp_;                                                // guarded by mutex_
  std::vector<workshops::Workshop> workshops_;                       // guarded by mutex_
  std::vector<workshops::Employment> employments_;                   // guarded by mutex_
  std::map<std::string, std::shared_ptr<const MeasureTable>> memo_;  // guarded by mutex_
};

}  // namespace fupin::indicators
