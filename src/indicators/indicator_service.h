// Indicator use cases: the values of any catalogue indicator for a region (and its children)
// and a period, within the caller's scope; and the import of entered statistics.
//
// Values come from four places: the registry engine (RegistryCube) for the counted registry
// indicators, other modules' sources (MeasureSource: the workshops) for their computed
// indicators, the entered values (own value of a region, else the roll-up of its children),
// and derived indicators, computed at each region from its rolled-up numerator and
// denominator. Sources cache what they computed and check their own change counters. The cube is
// kept in memory and reused while the store's change counters are unchanged: every query first
// reads the counters (one small query) and, when any registry, region or statistics write happened
// since the cube was built — by this process or any other — patches it with what changed (or
// reloads it), so answers are never older than the last committed write. Thread-safety:
// thread-safe; concurrent queries share one cube, and one thread at a time reloads it.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "indicators/indicator.h"
#include "indicators/indicator_repository.h"
#include "indicators/measure_source.h"
#include "indicators/registry_cube.h"
#include "indicators/registry_indicators.h"
#include "regions/region_repository.h"
#include "tabular/reader.h"

namespace fupin::indicators {

struct ValueQuery {
  std::string region;  // 12-digit code
  Period period;
  bool children = false;           // also every child region open on the period's last day
  std::vector<std::string> codes;  // indicators, in the order wanted; empty = the catalogue
};

struct RegionInfo {
  std::string code;
  std::string name;
  regions::RegionLevel level = regions::RegionLevel::kProvince;
  std::optional<Date> closed_on;
};

struct ValueReport {
  Period period;
  int income_year = 0;
  std::optional<double> income_threshold;  // of the income year, when there is one
  std::vector<const Indicator*> indicators;
  std::vector<RegionInfo> regions;  // the region asked for, then its children in code order
  std::vector<Value> values;        // regions × indicators, region-major
};

struct EnteredRow {
  EnteredValue value;
  std::string region_name;
};

struct StatisticsImportReport {
  int64_t rows = 0;
  SaveCounts counts;
  bool dry_run = false;
};

// The values of `indicators` at every node of `cube` for the period of `totals` (one vector
// per indicator, indexed by node): counted ones from the totals, entered ones rolled up,
// derived ones divided per node. What Values() reports a slice of; benchmarks and exports use
// it whole. `external` holds the values of other sources' codes (MeasureSource::Compute for
// the same cube and period); codes found nowhere have no values.
std::vector<std::vector<std::optional<double>>> EvaluateAll(
    const Catalogue& catalogue, const RegistryCube& cube, const RegistryCube::Totals& totals,
    std::span<const Indicator* const> indicators,
    std::span<const std::shared_ptr<const MeasureTable>> external = {});

// Finds where an indicator is used outside the catalogue (indicator systems, goals,
// questionnaires…): one line per use ("indicator system 3 马家县… (draft)"); none = unused.
using UseFinder = std::function<Result<std::vector<std::string>>(std::string_view code)>;

class IndicatorService {
 public:
  // `catalogue` (the built-in indicators) must outlive the service, which merges the declared
  // indicators into it (Refresh). After writes the cube is patched with the
  // households changed since its full load while they number at most `max_patched` (0: the
  // default, a tenth of the households but at least 1000), else loaded again in full.
  IndicatorService(Catalogue& catalogue, IndicatorRepository& repository,
                   regions::RegionRepository& regions, IncomeThresholds thresholds,
                   const Clock& clock, size_t max_patched = 0);

  // Adds a source of computed indicators (workshops, …) that must outlive the service. Call
  // before the first query: sources are not synchronized.
  void AddSource(MeasureSource& source) { sources_.push_back(&source); }
  // Adds a finder of uses that Withdraw consults. Call before serving: not synchronized.
  void AddUseFinder(UseFinder finder) { use_finders_.push_back(std::move(finder)); }

  const Catalogue& catalogue() const { return catalogue_; }

  // Brings the catalogue's declared indicators up to date with the store when they changed
  // there (by any process) since they were last read. Declarations the store holds that no
  // longer fit (a code a newer fupin built in, a formula over an indicator gone) are left
  // out and listed by Skipped().
  Status Refresh();
  std::vector<std::string> Skipped() const;
  // The stored record of a declared indicator (its version, who declared it, when).
  std::optional<Declaration> DeclarationOf(std::string_view code) const;

  // Declares a new indicator (module "declared"; see Catalogue::CheckDeclared for the rules).
  // kInvalidArgument with details naming the fields; kAlreadyExists for a code taken (built
  // in or declared).
  Result<Declaration> Declare(Indicator indicator, const audit::Actor& actor);
  // Changes a declared indicator at `version`: names, unit, direction, definitions, formula or
  // weight; not its code or source (kFailedPrecondition), nor a built-in indicator
  // (kFailedPrecondition). kNotFound, kConflict as the store says; kInvalidArgument as above.
  Result<Declaration> Redeclare(Indicator indicator, int64_t version, const audit::Actor& actor);
  // Removes a declared indicator at `version`. kFailedPrecondition (naming every use) while
  // another indicator's formula or weight names it, a use finder finds it, or entered values
  // of it are stored.
  Status Withdraw(std::string_view code, int64_t version, const audit::Actor& actor);
  const IncomeThresholds& thresholds() const { return thresholds_; }

  // The values of `query` for a caller who may read the subtrees `scope` ({""} = everywhere).
  // kInvalidArgument (naming the field) for a malformed region code or an unknown indicator;
  // kNotFound for a region that does not exist; kPermissionDenied for a region outside the
  // scope.
  Result<ValueReport> Values(const ValueQuery& query, const std::vector<std::string>& scope);

  // The current cube: the cached one when the store's counters are unchanged; else that one
  // patched with the households changed since its full load (and the entered values, when
  // they changed); else a full load (the hierarchy changed, the change log does not reach
  // back far enough, or too much changed).
  Result<std::shared_ptr<const RegistryCube>> Cube();

  // Imports entered statistics from a table with the columns region code, year, indicator
  // code and value (行政区划代码, 年度, 指标代码, 数值). All or nothing: every bad row is
  // reported (row, column, value, reason) in one kInvalidArgument error — an unknown or
  // malformed region, an unknown indicator or one that is not entered, a year outside
  // 1980..this year, a value that is not a number (or, for counts, not a whole number ≥ 0),
  // the same region, year and indicator twice. Re-importing the same file changes nothing.
  // `source` names the file in the audit entry and in each value's note.
  // `scope` lists the subtrees the caller may enter statistics for ({""} = everywhere); a row
  // of a region outside them is a problem of that row.
  Result<StatisticsImportReport> ImportStatistics(const std::vector<std::string>& header,
                                                  const std::vector<tabular::Row>& rows,
                                                  bool dry_run, const audit::Actor& actor,
                                                  std::string_view source,
                                                  const std::vector<std::string>& scope = {""});

  // The entered values of `indicator` ("" = every entered indicator) in the subtree of
  // `region` ("" = all of `scope`) for `year` ("" = every year), with their regions' names,
  // ordered by indicator, region and year. kInvalidArgument for a malformed region, year or
  // an indicator that is not entered; kPermissionDenied for a region outside `scope`.
  Result<std::vector<EnteredRow>> Entered(std::string_view indicator, std::string_view region,
                                          std::string_view year,
                                          const std::vector<std::string>& scope);

 private:
  // Refresh with `declare_mutex_` held, at the store's catalogue counter `generation`.
  Status RefreshLocked(int64_t generation);
  // Checks `indicator` as a member of the declared set `set` (at index `at`); details of the
  // other members' problems are not reported.
  Status CheckIn(std::span<const Indicator> set, size_t at) const;

  Catalogue& catalogue_;
  IndicatorRepository& repository_;
  regions::RegionRepository& regions_;
  const IncomeThresholds thresholds_;
  const Clock& clock_;
  const size_t max_patched_;
  std::vector<MeasureSource*> sources_;  // set up before the first query
  std::vector<UseFinder> use_finders_;   // set up before the first query

  std::mutex declare_mutex_;  // held while the declared indicators are read or changed
  mutable std::mutex declarations_mutex_;
  std::atomic<int64_t> catalogue_generation_ = -1;                // of the declarations merged
  std::map<std::string, Declaration, std::less<>> declarations_;  // guarded by declarations_mutex_
  std::vector<std::string> skipped_;                              // guarded by declarations_mutex_

  std::mutex load_mutex_;  // held while loading a cube
  std::mutex mutex_;
  std::shared_ptr<const RegistryCube> cube_;  // guarded by mutex_
};

}  // namespace fupin::indicators
