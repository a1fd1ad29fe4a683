// Alkire–Foster M0 with the poverty cutoff compared at a 1e-9 tolerance (k = 1/3 with three
// equal weights must count a person deprived in one indicator as poor).
#include "methods/mpi.h"

#include <fmt/format.h>

namespace fupin::methods {
namespace {

constexpr double kCutoffTolerance = 1e-9;

struct Totals {
  double population = 0.0;
  double poor = 0.0;
  double score_of_poor = 0.0;
};

}  // namespace

Result<MpiResult> AlkireFoster(const Matrix& g, const MpiOptions& options) {
  const auto n = g.rows();
  const auto d = g.cols();
  if (n < 1 || d < 1) return InvalidArgument("the MPI needs at least one person and indicator");
  if (!(options.k > 0.0 && options.k <= 1.0 + kCutoffTolerance)) {
    return InvalidArgument(fmt::format("the poverty cutoff k = {} must be in (0, 1]", options.k),
                           {ErrorDetail{0, "k", fmt::format("{}", options.k), "outside (0, 1]"}});
  }
  std::vector<ErrorDetail> details;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < d; ++j) {
      if (g(i, j) != 0.0 && g(i, j) != 1.0) {
        details.push_back(CellDetail(i, j, g(i, j), "a deprivation must be 0 or 1"));
      }
    }
  }
  Vector sw = Vector::Ones(n);
  if (!options.sampling_weights.empty()) {
    if (static_cast<Eigen::Index>(options.sampling_weights.size()) != n) {
      return InvalidArgument("one sampling weight per row is needed");
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      sw[i] = options.sampling_weights[static_cast<size_t>(i)];
      if (!std::isfinite(sw[i]) || sw[i] < 0.0) {
        details.push_back(CellDetail(i, -1, sw[i], "a sampling weight must be ≥ 0"));
      }
    }
  }
  if (!options.groups.empty() && static_cast<Eigen::Index>(options.groups.size()) != n) {
    return InvalidArgument("one group per row is needed");
  }
  if (!details.empty()) return InvalidArgument("invalid MPI data", std::move(details));
  if (!(sw.sum() > 0.0)) return InvalidArgument("the sampling weights sum to 0");

  std::vector<double> raw = options.weights;
  if (raw.empty()) raw.assign(static_cast<size_t>(d), 1.0);
  auto w = NormalizeWeights(raw, d, "indicator weights");
  if (!w) return std::unexpected(w.error());

  MpiResult result;
  result.weights = *w;
  result.scores = g * result.weights;
  result.poor.resize(static_cast<size_t>(n));
  result.censored_headcounts = Vector::Zero(d);
  result.uncensored_headcounts = Vector::Zero(d);
  std::vector<Totals> group_totals(static_cast<size_t>(std::max(0, options.group_count)));
  Totals all;
  for (Eigen::Index i = 0; i < n; ++i) {
    const bool poor = result.scores[i] >= options.k - kCutoffTolerance;
    result.poor[static_cast<size_t>(i)] = poor;
    result.uncensored_headcounts += sw[i] * g.row(i).transpose();
    all.population += sw[i];
    if (poor) {
      result.censored_headcounts += sw[i] * g.row(i).transpose();
      all.poor += sw[i];
      all.score_of_poor += sw[i] * result.scores[i];
    }
    if (!options.groups.empty()) {
      const int gi = options.groups[static_cast<size_t>(i)];
      if (gi < 0 || gi >= options.group_count) return InvalidArgument("group index out of range");
      Totals& t = group_totals[static_cast<size_t>(gi)];
      t.population += sw[i];
      if (poor) {
        t.poor += sw[i];
        t.score_of_poor += sw[i] * result.scores[i];
      }
    }
  }
  result.censored_headcounts /= all.population;
  result.uncensored_headcounts /= all.population;
  result.H = all.poor / all.population;
  result.A = all.poor > 0.0 ? all.score_of_poor / all.poor : 0.0;
  result.M0 = result.H * result.A;
  result.contributions = Vector::Zero(d);
  if (result.M0 > 0.0) {
    result.contributions =
        (result.weights.array() * result.censored_headcounts.array()) / result.M0;
  }
  for (const Totals& t : group_totals) {
    MpiGroupResult gr;
    gr.population_share = t.population / all.population;
    gr.H = t.population > 0.0 ? t.poor / t.population : 0.0;
    gr.A = t.poor > 0.0 ? t.score_of_poor / t.poor : 0.0;
    gr.M0 = gr.H * gr.A;
    gr.contribution = result.M0 > 0.0 ? gr.population_share * gr.M0 / result.M0 : 0.0;
    result.groups.push_back(gr);
  }
  return result;
}

}  // namespace fupin::methods
