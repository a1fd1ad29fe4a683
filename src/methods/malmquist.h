// Malmquist productivity index (Färe, Grosskopf, Norris & Zhang 1994) from DEA distance
// functions over a balanced panel, in DEAP's convention (> 1 = improvement, both
// orientations):
//   effch  = E^{t+1}_crs(t+1) / E^t_crs(t)
//   techch = sqrt( [E^t_crs(t+1) / E^{t+1}_crs(t+1)] · [E^t_crs(t) / E^{t+1}_crs(t)] )
//   pech   = E^{t+1}_vrs(t+1) / E^t_vrs(t),   sech = effch / pech,   tfpch = effch · techch
// where E^a(b) is the efficiency (θ, or 1/φ for output orientation) of period-b data against
// the period-a frontier. Means per period pair are geometric means over DMUs.
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "methods/dea.h"

namespace fupin::methods {

// One period of the panel: rows are the same DMUs in the same order in every period.
struct PanelPeriod {
  Matrix inputs;
  Matrix outputs;
};

struct MalmquistIndices {
  double effch = 0.0;
  double techch = 0.0;
  double pech = 0.0;
  double sech = 0.0;
  double tfpch = 0.0;
};

struct MalmquistPair {
  int from = 0;  // period index t (0-based); the pair is t → t+1
  std::vector<MalmquistIndices> dmus;
  MalmquistIndices means;  // geometric means over DMUs
  // Efficiencies used, per DMU: CRS own-period t and t+1, VRS own-period t and t+1.
  Vector crs_from, crs_to, vrs_from, vrs_to;
};

struct MalmquistResult {
  std::vector<MalmquistPair> pairs;
};

// Errors: fewer than 2 periods, periods of different shapes, invalid DEA data, a
// cross-period LP without a solution (reported with the DMU and pair).
Result<MalmquistResult> Malmquist(const std::vector<PanelPeriod>& periods,
                                  Orientation orientation = Orientation::kOutput);

}  // namespace fupin::methods
