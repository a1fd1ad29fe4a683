// Shared helpers of the methods library: error details, ranking, column statistics.
#include "methods/common.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace fupin::methods {

ErrorDetail CellDetail(Eigen::Index row_index, Eigen::Index col_index, double value,
                       std::string reason) {
  ErrorDetail detail;
  detail.row = row_index < 0 ? 0 : static_cast<int64_t>(row_index) + 1;
  detail.column = col_index < 0 ? std::string() : fmt::format("#{}", col_index + 1);
  detail.value = std::isnan(value) ? std::string() : fmt::format("{}", value);
  detail.reason = std::move(reason);
  return detail;
}

ErrorDetail ColumnDetail(Eigen::Index col_index, std::string reason) {
  return CellDetail(-1, col_index, kNaN, std::move(reason));
}

std::vector<int> RankDescending(const Vector& values, double tolerance) {
  const auto n = values.size();
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return values[a] > values[b]; });
  const double scale = n > 0 ? std::max(1.0, values.cwiseAbs().maxCoeff()) : 1.0;
  std::vector<int> rank(static_cast<size_t>(n), 0);
  for (Eigen::Index pos = 0; pos < n; ++pos) {
    const int i = order[static_cast<size_t>(pos)];
    if (pos > 0) {
      const int prev = order[static_cast<size_t>(pos - 1)];
      if (std::abs(values[prev] - values[i]) <= tolerance * scale) {
        rank[static_cast<size_t>(i)] = rank[static_cast<size_t>(prev)];
        continue;
      }
    }
    rank[static_cast<size_t>(i)] = static_cast<int>(pos) + 1;
  }
  return rank;
}

Status CheckFinite(const Matrix& x) {
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      if (!std::isfinite(x(i, j))) {
        return InvalidArgument("a value is missing or not a finite number",
                               {CellDetail(i, j, kNaN, "missing or not a finite number")});
      }
    }
  }
  return {};
}

Vector ColumnSampleStdDev(const Matrix& x) {
  const auto n = x.rows();
  Vector sd(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double mean = x.col(j).mean();
    sd[j] = n > 1 ? std::sqrt((x.col(j).array() - mean).square().sum() / static_cast<double>(n - 1))
                  : 0.0;
  }
  return sd;
}

Matrix CorrelationMatrix(const Matrix& x) {
  const auto p = x.cols();
  Matrix centered = x.rowwise() - x.colwise().mean();
  Vector norms = centered.colwise().norm();
  Matrix r = Matrix::Identity(p, p);
  for (Eigen::Index a = 0; a < p; ++a) {
    for (Eigen::Index b = a + 1; b < p; ++b) {
      double value = 0.0;
      if (norms[a] > 0.0 && norms[b] > 0.0) {
        value = centered.col(a).dot(centered.col(b)) / (norms[a] * norms[b]);
      }
      r(a, b) = value;
      r(b, a) = value;
    }
  }
  return r;
}

Result<Vector> NormalizeWeights(const std::vector<double>& weights, Eigen::Index n,
                                const std::string& what) {
  if (static_cast<Eigen::Index>(weights.size()) != n) {
    return InvalidArgument(
        fmt::format("{} has {} values but {} are needed", what, weights.size(), n));
  }
  Vector w(n);
  double sum = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double v = weights[static_cast<size_t>(i)];
    if (!std::isfinite(v) || v < 0.0) {
      return InvalidArgument(
          fmt::format("{}: value {} at position {} must be a non-negative number", what, v, i + 1));
    }
    w[i] = v;
    sum += v;
  }
  if (!(sum > 0.0)) {
    return InvalidArgument(fmt::format("{} sum to zero", what));
  }
  return Vector(w / sum);
}

}  // namespace fupin::methods
