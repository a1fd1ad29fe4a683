// The registry engine: an in-memory columnar copy of the household facts the registry
// indicators need, aggregated per region and rolled up the hierarchy for any period.
//
// Built once from an IndicatorRepository::ScanFacts snapshot (RegistryCube::Builder is the
// FactSink), then immutable. Households are stored sorted by their region, one array per
// fact ("columns"): the region's node, the main cause, members' joined/left days (members
// without dates are only counted), status events (day, status), the net income of each year,
// and the latest verification of each 三保障 + water item. Computing a period is one pass over
// the households (status on the last day, members on the last day, income of the income
// year, guarantees verified by then) adding into per-region totals, then one pass over the
// regions in reverse code order adding each region into its parent — a region's value is the
// sum over its subtree, at every one of the five levels. Results are memoized per period.
//
// After writes, a cube is patched rather than rebuilt (Patch): the households changed since
// the full load (the *base*) are read again and kept as a small second set of columns (the
// *delta*), and their base copies are marked dead. Each patch re-reads every household
// changed since the base, so a patched cube never depends on an earlier patch; callers build
// a fresh base once the delta grows large. Parts that did not change (the hierarchy, the base
// columns, the entered values) are shared between a cube and its patches.
//
// Regions come from the regions table (open and closed), sorted by code, so a parent always
// precedes its descendants. A household counts in the region its code names; a region whose
// parent is missing from the table hangs under its nearest existing ancestor.
// Thread-safety: a built cube is immutable apart from its memo, which is guarded by a mutex;
// Compute may be called from many threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "indicators/indicator_repository.h"
#include "indicators/registry_indicators.h"
#include "regions/region.h"

namespace fupin::indicators {

class RegistryCube {
 public:
  struct Node {
    std::string code;
    std::string name;
    regions::RegionLevel level = regions::RegionLevel::kProvince;
    int32_t parent = -1;  // index of the parent node, -1 for a root
    std::optional<Date> closed_on;
  };

  // The counted measures' totals of one period for every node, rolled up.
  struct Totals {
    Period period;
    int income_year = 0;
    std::optional<double> income_threshold;
    size_t measure_count = 0;
    std::vector<double> values;   // node-major: values[node * measure_count + measure]
    std::vector<bool> available;  // per measure: false when it has no value at all

    double Get(int32_t node, size_t measure) const {
      return values[static_cast<size_t>(node) * measure_count + measure];
    }
  };

  // Receives a full snapshot (regions first, as FactSink promises).
  class Builder final : public FactSink {
   public:
    Builder();
    ~Builder() override;
    void Region(std::string_view code, std::string_view name,
                const std::optional<Date>& closed_on) override;
    void Household(int64_t id, std::string_view region_code, std::string_view main_cause) override;
    void Member(int64_t household_id, const std::optional<Date>& joined_on,
                const std::optional<Date>& left_on) override;
    void StatusEvent(int64_t household_id, int64_t id, std::string_view status,
                     const Date& on) override;
    void Income(int64_t household_id, int year, double net) override;
    void Guarantee(int64_t household_id, std::string_view item, bool met,
                   const std::optional<Date>& verified_on) override;
    void Entered(std::string_view indicator, std::string_view region_code, std::string_view period,
                 double value) override;

    // The cube of everything received, labelled with `stamp`. The builder is spent.
    std::shared_ptr<const RegistryCube> Finish(const ChangeStamp& stamp);

   private:
    struct State;
    std::unique_ptr<State> s_;
  };

  // Receives the facts of the households changed since `base`'s full load (and, when the
  // statistics changed, every entered value), to patch `base` with. Regions are ignored: a
  // change of the hierarchy needs a full load.
  class PatchBuilder final : public FactSink {
   public:
    explicit PatchBuilder(std::shared_ptr<const RegistryCube> base);
    ~PatchBuilder() override;
    void Region(std::string_view, std::string_view, const std::optional<Date>&) override {}
    void Household(int64_t id, std::string_view region_code, std::string_view main_cause) override;
    void Member(int64_t household_id, const std::optional<Date>& joined_on,
                const std::optional<Date>& left_on) override;
    void StatusEvent(int64_t household_id, int64_t id, std::string_view status,
                     const Date& on) override;
    void Income(int64_t household_id, int year, double net) override;
    void Guarantee(int64_t household_id, std::string_view item, bool met,
                   const std::optional<Date>& verified_on) override;
    void Entered(std::string_view indicator, std::string_view region_code, std::string_view period,
                 double value) override;

    // The patched cube: `changed` are the ids of every household changed since the base was
    // loaded (those deleted since included); `entered_received` says whether the entered
    // values were sent (else the base's are kept). The builder is spent.
    std::shared_ptr<const RegistryCube> Finish(const ChangeStamp& stamp,
                                               std::span<const int64_t> changed,
                                               bool entered_received);

   private:
    struct State;
    std::unique_ptr<State> s_;
  };

  // The codes of the counted measures, in measure order (a subset of the catalogue).
  static std::span<const std::string> MeasureCodes();
  // The measure index of a code, or nullopt when the registry engine does not count it.
  static std::optional<size_t> MeasureOf(std::string_view code);

  ~RegistryCube();

  const ChangeStamp& stamp() const { return stamp_; }
  // The registry counter of the full load this cube is (or patches).
  int64_t base_generation() const { return base_generation_; }
  // Households re-read since the full load (0 for a fresh load).
  size_t patched_households() const;
  const std::vector<Node>& nodes() const;
  std::optional<int32_t> Find(std::string_view code) const;
  // Children of a node in code order.
  std::span<const int32_t> Children(int32_t node) const;
  // Households counted (each once, whether from the base or the delta).
  size_t household_count() const;

  // The totals of `period` (memoized; at most kMemoSize periods are kept).
  std::shared_ptr<const Totals> Compute(const Period& period,
                                        const IncomeThresholds& thresholds) const;
  // The same without the memo (benchmarks measure the computation itself).
  std::shared_ptr<const Totals> ComputeUncached(const Period& period,
                                                const IncomeThresholds& thresholds) const;

  // Entered values of `indicator` for `period`, as (node, value) in node order.
  std::span<const std::pair<int32_t, double>> Entered(std::string_view indicator,
                                                      std::string_view period) const;

  static constexpr size_t kMemoSize = 64;

  struct Hierarchy;
  struct Columns;
  using EnteredValues = std::map<std::pair<std::string, std::string>,
                                 std::vector<std::pair<int32_t, double>>, std::less<>>;

 private:
  RegistryCube() = default;

  ChangeStamp stamp_;
  int64_t base_generation_ = 0;
  std::shared_ptr<const Hierarchy> hierarchy_;
  std::shared_ptr<const Columns> base_;
  std::shared_ptr<const Columns> delta_;           // null when nothing was patched
  std::shared_ptr<const std::vector<bool>> dead_;  // per base household: replaced or deleted
  std::shared_ptr<const EnteredValues> entered_;

  mutable std::mutex memo_mutex_;
  mutable std::map<std::string, std::shared_ptr<const Totals>> memo_;  // guarded by memo_mutex_
};

}  // namespace fupin::indicators
