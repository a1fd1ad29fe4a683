// Entropy, CRITIC and coefficient-of-variation weights, and weight combination.
#include "methods/weights.h"

#include <fmt/format.h>

namespace fupin::methods {
namespace {

bool IsCost(const std::vector<bool>& cost, Eigen::Index j) {
  return static_cast<size_t>(j) < cost.size() && cost[static_cast<size_t>(j)];
}

Status CheckData(const Matrix& x, Eigen::Index min_rows, const std::vector<bool>& cost) {
  if (x.rows() < min_rows) {
    return InvalidArgument(
        fmt::format("at least {} rows are needed; the data have {}", min_rows, x.rows()));
  }
  if (x.cols() < 1) return InvalidArgument("the data have no criteria columns");
  if (!cost.empty() && static_cast<Eigen::Index>(cost.size()) != x.cols()) {
    return InvalidArgument("the cost flags do not match the number of columns");
  }
  return CheckFinite(x);
}

}  // namespace

std::string_view EntropyNormalizationName(EntropyNormalization normalization) {
  return normalization == EntropyNormalization::kMinMax ? "minmax" : "none";
}
std::string_view ZeroHandlingName(ZeroHandling zero) {
  return zero == ZeroHandling::kIgnore ? "ignore" : "shift";
}

Matrix MinMaxNormalize(const Matrix& x, const std::vector<bool>& cost) {
  Matrix z(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double lo = x.col(j).minCoeff();
    const double hi = x.col(j).maxCoeff();
    if (hi - lo <= 0.0) {
      z.col(j).setOnes();
    } else if (IsCost(cost, j)) {
      z.col(j) = (hi - x.col(j).array()) / (hi - lo);
    } else {
      z.col(j) = (x.col(j).array() - lo) / (hi - lo);
    }
  }
  return z;
}

Result<EntropyResult> EntropyWeights(const Matrix& x, const EntropyOptions& options) {
  FUPIN_TRY(CheckData(x, 2, options.cost));
  Matrix z =
      options.normalization == EntropyNormalization::kMinMax ? MinMaxNormalize(x, options.cost) : x;
  const auto m = z.rows();
  const auto n = z.cols();
  std::vector<ErrorDetail> details;
  for (Eigen::Index j = 0; j < n; ++j) {
    const double lo = z.col(j).minCoeff();
    if (options.zero == ZeroHandling::kShift) {
      if (lo <= 0.0) z.col(j).array() += std::abs(lo) + 0.01;
    } else if (lo < 0.0) {
      Eigen::Index i = 0;
      z.col(j).minCoeff(&i);
      details.push_back(CellDetail(i, j, x(i, j),
                                   "negative value: entropy needs non-negative data (use "
                                   "min-max normalization or zero handling 'shift')"));
    }
  }
  if (!details.empty())
    return InvalidArgument("negative data for the entropy weight", std::move(details));
  EntropyResult result;
  result.entropy.resize(n);
  const double k = 1.0 / std::log(static_cast<double>(m));
  for (Eigen::Index j = 0; j < n; ++j) {
    const double sum = z.col(j).sum();
    if (!(sum > 0.0)) {
      return InvalidArgument("a column sums to 0; its proportions are undefined",
                             {ColumnDetail(j, "every value is 0")});
    }
    double h = 0.0;
    for (Eigen::Index i = 0; i < m; ++i) {
      const double p = z(i, j) / sum;
      if (p > 0.0) h -= p * std::log(p);
    }
    result.entropy[j] = k * h;
  }
  result.divergence = (1.0 - result.entropy.array()).max(0.0);
  const double total = result.divergence.sum();
  if (!(total > 1e-15)) {
    return InvalidArgument(
        "every column has entropy 1 (all values equal): the data carry no information to "
        "weight by");
  }
  result.weights = result.divergence / total;
  return result;
}

Result<CriticResult> CriticWeights(const Matrix& x, const std::vector<bool>& cost) {
  FUPIN_TRY(CheckData(x, 2, cost));
  const Matrix z = MinMaxNormalize(x, cost);
  CriticResult result;
  result.std_dev = ColumnSampleStdDev(z);
  // A constant column (σ = 0) has been normalized to ones; its correlations are taken as 0.
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (x.col(j).maxCoeff() - x.col(j).minCoeff() <= 0.0) result.std_dev[j] = 0.0;
  }
  const Matrix r = CorrelationMatrix(z);
  result.conflict = (1.0 - r.array()).colwise().sum().transpose();
  result.information = result.std_dev.array() * result.conflict.array();
  const double total = result.information.sum();
  if (!(total > 0.0)) {
    return InvalidArgument("every column is constant: CRITIC has nothing to weight by");
  }
  result.weights = result.information / total;
  return result;
}

Result<CvResult> CvWeights(const Matrix& x) {
  FUPIN_TRY(CheckData(x, 2, {}));
  CvResult result;
  result.mean = x.colwise().mean().transpose();
  result.std_dev = ColumnSampleStdDev(x);
  result.cv.resize(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (result.mean[j] == 0.0) {
      return InvalidArgument("a column has mean 0; its coefficient of variation is undefined",
                             {ColumnDetail(j, "mean is 0")});
    }
    result.cv[j] = result.std_dev[j] / std::abs(result.mean[j]);
  }
  const double total = result.cv.sum();
  if (!(total > 0.0)) {
    return InvalidArgument("every column is constant: the coefficient of variation is 0");
  }
  result.weights = result.cv / total;
  return result;
}

Result<Vector> CombineLinear(const std::vector<double>& subjective,
                             const std::vector<double>& objective, double alpha) {
  if (!(alpha >= 0.0 && alpha <= 1.0)) {
    return InvalidArgument(fmt::format("alpha {} must be in [0, 1]", alpha));
  }
  const auto n = static_cast<Eigen::Index>(subjective.size());
  auto s = NormalizeWeights(subjective, n, "subjective weights");
  if (!s) return s;
  auto o = NormalizeWeights(objective, n, "objective weights");
  if (!o) return o;
  return Vector(alpha * *s + (1.0 - alpha) * *o);
}

Result<Vector> CombineMultiplicative(const std::vector<double>& subjective,
                                     const std::vector<double>& objective) {
  const auto n = static_cast<Eigen::Index>(subjective.size());
  auto s = NormalizeWeights(subjective, n, "subjective weights");
  if (!s) return s;
  auto o = NormalizeWeights(objective, n, "objective weights");
  if (!o) return o;
  Vector w = s->array() * o->array();
  if (!(w.sum() > 0.0)) {
    return InvalidArgument("the products of subjective and objective weights are all 0");
  }
  return Vector(w / w.sum());
}

}  // namespace fupin::methods
