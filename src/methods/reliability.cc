// Cronbach's α, KMO and Bartlett's test. The χ² tail comes from Boost.Math.
#include "methods/reliability.h"

#include <fmt/format.h>

#include <boost/math/distributions/chi_squared.hpp>

namespace fupin::methods {
namespace {

double Variance(const Vector& v) {
  const double mean = v.mean();
  return (v.array() - mean).square().sum() / static_cast<double>(v.size() - 1);
}

double AlphaOf(const Matrix& x) {
  const auto k = static_cast<double>(x.cols());
  double item_var = 0.0;
  for (Eigen::Index j = 0; j < x.cols(); ++j) item_var += Variance(x.col(j));
  const double total_var = Variance(x.rowwise().sum());
  return k / (k - 1.0) * (1.0 - item_var / total_var);
}

Status CheckItems(const Matrix& x, Eigen::Index min_rows) {
  if (x.cols() < 2) return InvalidArgument("at least 2 items (columns) are needed");
  if (x.rows() < min_rows) {
    return InvalidArgument(fmt::format("at least {} respondents (rows) are needed", min_rows));
  }
  FUPIN_TRY(CheckFinite(x));
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (x.col(j).maxCoeff() == x.col(j).minCoeff()) {
      return InvalidArgument(
          "an item has the same answer from everyone; its correlations are "
          "undefined",
          {ColumnDetail(j, "constant item")});
    }
  }
  return {};
}

}  // namespace

Result<AlphaResult> CronbachAlpha(const Matrix& x) {
  if (x.cols() < 2) return InvalidArgument("at least 2 items (columns) are needed");
  if (x.rows() < 2) return InvalidArgument("at least 2 respondents (rows) are needed");
  FUPIN_TRY(CheckFinite(x));
  const Vector total = x.rowwise().sum();
  if (!(Variance(total) > 0.0)) {
    return InvalidArgument("the total score has zero variance; α is undefined");
  }
  AlphaResult result;
  result.alpha = AlphaOf(x);
  const auto k = x.cols();
  const Matrix r = CorrelationMatrix(x);
  const double mean_r = (r.sum() - static_cast<double>(k)) / static_cast<double>(k * (k - 1));
  result.standardized_alpha =
      static_cast<double>(k) * mean_r / (1.0 + static_cast<double>(k - 1) * mean_r);
  result.item_total_correlation.resize(k);
  result.alpha_if_deleted.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    const Vector rest = total - x.col(j);
    Matrix pair(x.rows(), 2);
    pair.col(0) = x.col(j);
    pair.col(1) = rest;
    const bool defined = Variance(x.col(j)) > 0.0 && Variance(rest) > 0.0;
    result.item_total_correlation[j] = defined ? CorrelationMatrix(pair)(0, 1) : kNaN;
    if (k > 2) {
      Matrix others(x.rows(), k - 1);
      for (Eigen::Index c = 0, o = 0; c < k; ++c) {
        if (c != j) others.col(o++) = x.col(c);
      }
      result.alpha_if_deleted[j] = AlphaOf(others);
    } else {
      result.alpha_if_deleted[j] = kNaN;
    }
  }
  return result;
}

Result<KmoResult> KmoBartlett(const Matrix& x) {
  FUPIN_TRY(CheckItems(x, 3));
  const auto p = x.cols();
  const auto n = static_cast<double>(x.rows());
  const Matrix r = CorrelationMatrix(x);
  Eigen::FullPivLU<Matrix> lu(r);
  if (!lu.isInvertible()) {
    return InvalidArgument(
        "the correlation matrix is singular (an item is a linear "
        "combination of others); KMO and Bartlett's test are undefined");
  }
  const Matrix inv = lu.inverse();
  KmoResult result;
  result.msa.resize(p);
  double r2_all = 0.0;
  double p2_all = 0.0;
  for (Eigen::Index i = 0; i < p; ++i) {
    double r2 = 0.0;
    double p2 = 0.0;
    for (Eigen::Index j = 0; j < p; ++j) {
      if (i == j) continue;
      const double partial = -inv(i, j) / std::sqrt(inv(i, i) * inv(j, j));
      r2 += r(i, j) * r(i, j);
      p2 += partial * partial;
    }
    result.msa[i] = r2 / (r2 + p2);
    r2_all += r2;
    p2_all += p2;
  }
  result.kmo = r2_all / (r2_all + p2_all);
  const double log_det = lu.matrixLU().diagonal().array().abs().log().sum();
  result.chi2 = -(n - 1.0 - (2.0 * static_cast<double>(p) + 5.0) / 6.0) * log_det;
  result.df = static_cast<int>(p * (p - 1) / 2);
  boost::math::chi_squared dist(result.df);
  result.p = result.chi2 > 0.0 ? boost::math::cdf(boost::math::complement(dist, result.chi2)) : 1.0;
  return result;
}

}  // namespace fupin::methods
