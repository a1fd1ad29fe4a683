// Malmquist index from CRS/VRS own-period and CRS cross-period DEA efficiencies.
#include "methods/malmquist.h"

#include <fmt/format.h>

namespace fupin::methods {
namespace {

Result<Vector> Efficiencies(const PanelPeriod& reference, const PanelPeriod& evaluated,
                            ReturnsToScale rts, Orientation orientation, int from_period,
                            const char* what) {
  auto e = DeaEfficiencyAgainst(reference.inputs, reference.outputs, evaluated.inputs,
                                evaluated.outputs, rts, orientation);
  if (!e) return std::unexpected(e.error());
  Vector out(static_cast<Eigen::Index>(e->size()));
  for (size_t i = 0; i < e->size(); ++i) {
    if (!(*e)[i]) {
      return InvalidArgument(fmt::format("the {} distance function of DMU {} has no solution "
                                         "for periods {} → {}",
                                         what, i + 1, from_period + 1, from_period + 2),
                             {CellDetail(static_cast<Eigen::Index>(i), -1, kNaN,
                                         "infeasible cross-period DEA problem")});
    }
    out[static_cast<Eigen::Index>(i)] = *(*e)[i];
  }
  return out;
}

double GeometricMean(const std::vector<MalmquistIndices>& v, double MalmquistIndices::*field) {
  double sum = 0.0;
  for (const auto& x : v) sum += std::log(x.*field);
  return std::exp(sum / static_cast<double>(v.size()));
}

}  // namespace

Result<MalmquistResult> Malmquist(const std::vector<PanelPeriod>& periods,
                                  Orientation orientation) {
  if (periods.size() < 2) return InvalidArgument("Malmquist needs at least two periods");
  const auto& first = periods.front();
  for (size_t t = 1; t < periods.size(); ++t) {
    if (periods[t].inputs.rows() != first.inputs.rows() ||
        periods[t].inputs.cols() != first.inputs.cols() ||
        periods[t].outputs.cols() != first.outputs.cols()) {
      return InvalidArgument(
          fmt::format("period {} does not have the DMUs and columns of "
                      "period 1 (the panel must be balanced)",
                      t + 1));
    }
  }
  MalmquistResult result;
  // Own-period efficiencies.
  std::vector<Vector> crs(periods.size()), vrs(periods.size());
  for (size_t t = 0; t < periods.size(); ++t) {
    const int ti = static_cast<int>(t);
    auto c = Efficiencies(periods[t], periods[t], ReturnsToScale::kCrs, orientation, ti, "CRS");
    if (!c) return std::unexpected(c.error());
    auto v = Efficiencies(periods[t], periods[t], ReturnsToScale::kVrs, orientation, ti, "VRS");
    if (!v) return std::unexpected(v.error());
    crs[t] = *c;
    vrs[t] = *v;
  }
  for (size_t t = 0; t + 1 < periods.size(); ++t) {
    const int ti = static_cast<int>(t);
    auto next_on_this = Efficiencies(periods[t], periods[t + 1], ReturnsToScale::kCrs, orientation,
                                     ti, "cross-period CRS");
    if (!next_on_this) return std::unexpected(next_on_this.error());
    auto this_on_next = Efficiencies(periods[t + 1], periods[t], ReturnsToScale::kCrs, orientation,
                                     ti, "cross-period CRS");
    if (!this_on_next) return std::unexpected(this_on_next.error());
    MalmquistPair pair;
    pair.from = ti;
    pair.crs_from = crs[t];
    pair.crs_to = crs[t + 1];
    pair.vrs_from = vrs[t];
    pair.vrs_to = vrs[t + 1];
    for (Eigen::Index i = 0; i < crs[t].size(); ++i) {
      MalmquistIndices m;
      m.effch = crs[t + 1][i] / crs[t][i];
      m.techch = std::sqrt(((*next_on_this)[i] / crs[t + 1][i]) * (crs[t][i] / (*this_on_next)[i]));
      m.pech = vrs[t + 1][i] / vrs[t][i];
      m.sech = m.effch / m.pech;
      m.tfpch = m.effch * m.techch;
      pair.dmus.push_back(m);
    }
    pair.means.effch = GeometricMean(pair.dmus, &MalmquistIndices::effch);
    pair.means.techch = GeometricMean(pair.dmus, &MalmquistIndices::techch);
    pair.means.pech = GeometricMean(pair.dmus, &MalmquistIndices::pech);
    pair.means.sech = GeometricMean(pair.dmus, &MalmquistIndices::sech);
    pair.means.tfpch = GeometricMean(pair.dmus, &MalmquistIndices::tfpch);
    result.pairs.push_back(std::move(pair));
  }
  return result;
}

}  // namespace fupin::methods
