// TOPSIS with vector or min-max normalization.
#include "methods/topsis.h"

#include <fmt/format.h>

namespace fupin::methods {

std::string_view TopsisNormalizationName(TopsisNormalization normalization) {
  return normalization == TopsisNormalization::kVector ? "vector" : "minmax";
}

Result<TopsisResult> Topsis(const Matrix& x, const TopsisOptions& options) {
  const auto m = x.rows();
  const auto n = x.cols();
  if (m < 1 || n < 1) return InvalidArgument("TOPSIS needs at least one row and one criterion");
  FUPIN_TRY(CheckFinite(x));
  if (!options.cost.empty() && static_cast<Eigen::Index>(options.cost.size()) != n) {
    return InvalidArgument("the cost flags do not match the number of criteria");
  }
  TopsisResult result;
  std::vector<double> raw = options.weights;
  if (raw.empty()) raw.assign(static_cast<size_t>(n), 1.0);
  auto w = NormalizeWeights(raw, n, "weights");
  if (!w) return std::unexpected(w.error());
  result.weights = *w;
  auto is_cost = [&](Eigen::Index j) {
    return static_cast<size_t>(j) < options.cost.size() && options.cost[static_cast<size_t>(j)];
  };
  Matrix v(m, n);
  Vector ideal(n), anti(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    if (options.normalization == TopsisNormalization::kVector) {
      const double norm = x.col(j).norm();
      v.col(j) = norm > 0.0 ? Vector(x.col(j) / norm) : Vector::Zero(m);
    } else {
      const double lo = x.col(j).minCoeff();
      const double hi = x.col(j).maxCoeff();
      if (hi - lo <= 0.0) {
        v.col(j).setZero();
      } else if (is_cost(j)) {
        v.col(j) = (hi - x.col(j).array()) / (hi - lo);
      } else {
        v.col(j) = (x.col(j).array() - lo) / (hi - lo);
      }
    }
    v.col(j) *= result.weights[j];
    const bool cost_ideal = options.normalization == TopsisNormalization::kVector && is_cost(j);
    ideal[j] = cost_ideal ? v.col(j).minCoeff() : v.col(j).maxCoeff();
    anti[j] = cost_ideal ? v.col(j).maxCoeff() : v.col(j).minCoeff();
  }
  result.d_plus = (v.rowwise() - ideal.transpose()).rowwise().norm();
  result.d_minus = (v.rowwise() - anti.transpose()).rowwise().norm();
  result.closeness.resize(m);
  for (Eigen::Index i = 0; i < m; ++i) {
    const double total = result.d_plus[i] + result.d_minus[i];
    result.closeness[i] = total > 0.0 ? result.d_minus[i] / total : 0.5;
  }
  result.rank = RankDescending(result.closeness, 1e-12);
  return result;
}

}  // namespace fupin::methods
