// The workshops' use cases over the repository: a region's figures for a month, and the
// resumption curve between two days — loaded within the caller's scope and computed by
// analysis.h.
// Thread-safety: as thread-safe as the repository it uses (the SQL one is).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "workshops/analysis.h"
#include "workshops/workshop_repository.h"

namespace fupin::workshops {

// What a region's figures were computed over, beside the figures.
struct RegionFigures {
  std::string region;
  WorkshopFigures figures;
  std::vector<Workshop> workshops;  // those of the region, for names
};

class WorkshopService {
 public:
  explicit WorkshopService(WorkshopRepository& repository) : repository_(repository) {}

  // The workshops within `region` (and `scope`) and their figures for `month`.
  Result<RegionFigures> Figures(const std::vector<std::string>& scope, const std::string& region,
                                YearMonth month, const IdleOptions& idle = {});

  // The resumption rate of the region's workshops for each day from `first` to `last`
  // (at most 800 days).
  Result<std::vector<Resumption>> Curve(const std::vector<std::string>& scope,
                                        const std::string& region, const Date& first,
                                        const Date& last);

 private:
  Result<std::vector<Workshop>> Load(const std::vector<std::string>& scope,
                                     const std::string& region);

  WorkshopRepository& repository_;
};

}  // namespace fupin::workshops
