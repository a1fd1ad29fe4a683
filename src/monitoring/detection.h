// Detection of households to watch (风险识别): a pure function from registry records, reported
// risk events, thresholds and rule options to alerts. Each alert names its rule, the period it
// concerns and the values it fired on, with a message in Chinese and English. The exact
// definitions are in docs/monitoring.md; in short:
//
//   income_below_threshold  per-capita net income of the year < the threshold of its province
//   income_drop             per-capita net income fell by more than income_drop_share from the
//                           year before
//   medical_expense         out-of-pocket medical expenses reported in a calendar year ≥
//                           medical_expense_fen, or ≥ medical_income_share × the household's
//                           net income of the year before
//   disaster                disaster losses reported in a calendar year, likewise
//   sudden_hardship         any reported "other" sudden hardship
//   labour_loss             the main earner (the head if aged 16–64, else the eldest member of
//                           that age) has lost labour capacity (丧失劳动力), and no other
//                           member of that age can work
//   guarantee_unmet         a household that was lifted out has an item of 两不愁三保障 or safe
//                           water recorded as not met
//
// Only households that monitoring watches are looked at: lifted out (脱贫户), risk eliminated,
// or without a status (ordinary rural households on file); households already monitored,
// still poor, returned to poverty or cancelled are skipped.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "base/time.h"
#include "monitoring/model.h"
#include "registry/model.h"

namespace fupin::monitoring {

struct DetectionParams {
  Date today;  // the business date of the run (China Standard Time)
  // The income year to examine; nullopt = each household's latest recorded year (not after
  // today's). Also the calendar year whose risk events count (nullopt = last year and this).
  std::optional<int> year;
};

// Whether detection looks at a household at all (see above).
bool IsWatched(const registry::HouseholdRecord& record);

// The alerts for `households` (of any provinces). `events` may hold events of other
// households (ignored). Alerts come in household order, rules in the order of Rules().
// Deterministic: the same input gives the same alerts.
std::vector<Alert> Detect(std::span<const registry::HouseholdRecord> households,
                          std::span<const RiskEvent> events,
                          const std::vector<Threshold>& thresholds,
                          const std::vector<RuleOptions>& options, const DetectionParams& params);

// "5234.50" for 523450 fen.
std::string Yuan(int64_t fen);
// Yuan (as the registry holds incomes) to fen, rounded to the nearest fen.
int64_t ToFen(double yuan);

}  // namespace fupin::monitoring
