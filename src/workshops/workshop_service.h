// The workshops' use cases over the repository: a region's figures for a month, and the
// resumption curve between two days — loaded within the caller's scope and computed by
// analysis.h.
// Thread-safety: as thread-safe as the repository it uses (the SQL one is).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "registry/registry_repository.h"
#include "workshops/alerts.h"
#include "workshops/analysis.h"
#include "workshops/subsidy.h"
#include "workshops/workshop_repository.h"

namespace fupin::workshops {

// What a region's figures were computed over, beside the figures.
struct RegionFigures {
  std::string region;
  WorkshopFigures figures;
  std::vector<Workshop> workshops;  // those of the region, for names
};

// A region's alerts for a month, with the options they were computed under.
struct RegionAlerts {
  std::string region;
  YearMonth month;
  AlertOptions options;
  std::vector<WorkshopAlert> alerts;
  std::vector<Workshop> workshops;  // those of the region, for names
};

class WorkshopService {
 public:
  WorkshopService(WorkshopRepository& repository, registry::RegistryRepository& registry)
      : repository_(repository), registry_(registry) {}

  // The workshops within `region` (and `scope`) and their figures for `month`.
  Result<RegionFigures> Figures(const std::vector<std::string>& scope, const std::string& region,
                                YearMonth month, const IdleOptions& idle = {});

  // The resumption rate of the region's workshops for each day from `first` to `last`
  // (at most 800 days).
  Result<std::vector<Resumption>> Curve(const std::vector<std::string>& scope,
                                        const std::string& region, const Date& first,
                                        const Date& last);

  // The alerts (alerts.h) of the workshops within `region` (and `scope`) for `month`: their
  // employments, the reports of the idle window and what the registry says about each
  // worker. kInvalidArgument for a bad month or options (naming each).
  Result<RegionAlerts> Alerts(const std::vector<std::string>& scope, const std::string& region,
                              YearMonth month, const AlertOptions& options = {});

  // Evaluates a subsidy rule over [first, last] for the workshops within `region` (and
  // `scope`): their workers' employments in every workshop (for days across workshops), their
  // reports, and what the registry says about each worker (age, labour capacity).
  Result<SubsidyEvaluation> EvaluateSubsidy(const std::vector<std::string>& scope,
                                            const std::string& region, const SubsidyRule& rule,
                                            const Date& first, const Date& last);

 private:
  Result<std::vector<Workshop>> Load(const std::vector<std::string>& scope,
                                     const std::string& region);

  WorkshopRepository& repository_;
  registry::RegistryRepository& registry_;
};

}  // namespace fupin::workshops
