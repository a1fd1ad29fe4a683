// Grey relational analysis with min-max, initial-value or mean preprocessing.
#include "methods/grey.h"

#include <fmt/format.h>

namespace fupin::methods {

std::string_view GreyPreprocessingName(GreyPreprocessing preprocessing) {
  switch (preprocessing) {
    case GreyPreprocessing::kMinMax:
      return "minmax";
    case GreyPreprocessing::kInitialValue:
      return "initial";
    case GreyPreprocessing::kMean:
      return "mean";
  }
  return "?";
}

Result<GreyResult> GreyRelational(const Matrix& x, const GreyOptions& options) {
  const auto m = x.rows();
  const auto n = x.cols();
  if (m < 1 || n < 1) return InvalidArgument("grey relational analysis needs data");
  FUPIN_TRY(CheckFinite(x));
  if (!(options.rho > 0.0 && options.rho <= 1.0)) {
    return InvalidArgument(fmt::format("rho {} must be in (0, 1]", options.rho));
  }
  if (!options.cost.empty() && static_cast<Eigen::Index>(options.cost.size()) != n) {
    return InvalidArgument("the cost flags do not match the number of criteria");
  }
  auto is_cost = [&](Eigen::Index j) {
    return static_cast<size_t>(j) < options.cost.size() && options.cost[static_cast<size_t>(j)];
  };
  GreyResult result;
  std::vector<double> raw = options.weights;
  if (raw.empty()) raw.assign(static_cast<size_t>(n), 1.0);
  auto w = NormalizeWeights(raw, n, "weights");
  if (!w) return std::unexpected(w.error());
  result.weights = *w;
  Matrix z(m, n);
  result.reference.resize(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    switch (options.preprocessing) {
      case GreyPreprocessing::kMinMax: {
        const double lo = x.col(j).minCoeff();
        const double hi = x.col(j).maxCoeff();
        if (hi - lo <= 0.0) {
          z.col(j).setOnes();
        } else if (is_cost(j)) {
          z.col(j) = (hi - x.col(j).array()) / (hi - lo);
        } else {
          z.col(j) = (x.col(j).array() - lo) / (hi - lo);
        }
        result.reference[j] = 1.0;
        continue;
      }
      case GreyPreprocessing::kInitialValue:
        if (x(0, j) == 0.0) {
          return InvalidArgument(
              "initial-value preprocessing divides by the first row, which "
              "holds 0",
              {CellDetail(0, j, 0.0, "first-row value is 0")});
        }
        z.col(j) = x.col(j) / x(0, j);
        break;
      case GreyPreprocessing::kMean: {
        const double mean = x.col(j).mean();
        if (mean == 0.0) {
          return InvalidArgument("mean preprocessing divides by the column mean, which is 0",
                                 {ColumnDetail(j, "mean is 0")});
        }
        z.col(j) = x.col(j) / mean;
        break;
      }
    }
    result.reference[j] = is_cost(j) ? z.col(j).minCoeff() : z.col(j).maxCoeff();
  }
  const Matrix delta = (z.rowwise() - result.reference.transpose()).cwiseAbs();
  const double dmin = delta.minCoeff();
  const double dmax = delta.maxCoeff();
  if (dmax <= 0.0) {
    result.coefficients = Matrix::Ones(m, n);
  } else {
    result.coefficients = (dmin + options.rho * dmax) / (delta.array() + options.rho * dmax);
  }
  result.grades = result.coefficients * result.weights;
  result.rank = RankDescending(result.grades, 1e-12);
  return result;
}

}  // namespace fupin::methods
