// AHP: reciprocal-matrix checks, weights, consistency, λmax-minimizing completion, consistency
// help and group aggregation. See ahp.h and docs/methods.md for the conventions.
#include "methods/ahp.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <queue>

namespace fupin::methods {
namespace {

// Random indices RI(n), n = 1..15.
constexpr std::array<double, 15> kSaaty1980 = {0.0,  0.0,  0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
                                               1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59};
constexpr std::array<double, 15> kSaaty2005 = {0.0,  0.0,  0.52, 0.89, 1.12, 1.26, 1.36, 1.41,
                                               1.46, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59};
constexpr std::array<double, 15> kDoneganDodd = {0.0,    0.0,    0.4914, 0.8286, 1.0591,
                                                 1.1797, 1.2519, 1.3171, 1.3733, 1.4055,
                                                 1.4213, 1.4497, 1.4643, 1.4822, 1.4969};

// CR within this distance of the threshold counts as reaching it.
constexpr double kCrTolerance = 1e-9;
// Range of ln(a_ij) searched by the completion: e^±20 is far beyond any sensible judgment.
constexpr double kLogBound = 20.0;

std::string CriterionLabel(int i) { return fmt::format("#{}", i + 1); }

// Perron vector of `a` by power iteration, started from `v` (normalized to sum 1 on return).
double PowerIterate(const Matrix& a, Vector& v) {
  double lambda = 0.0;
  for (int iter = 0; iter < 5000; ++iter) {
    Vector w = a * v;
    lambda = w.sum();  // v sums to 1
    w /= lambda;
    const double change = (w - v).cwiseAbs().maxCoeff();
    v = std::move(w);
    if (change < 1e-14) break;
  }
  return (a * v).sum();
}

// d λmax / dt for a_ij = e^t, a_ji = e^−t: vᵀ(dA/dt)w / vᵀw with w, v the right and left
// Perron vectors (dA/dt has e^t at (i, j) and −e^−t at (j, i)).
double LambdaSlope(Matrix& a, int i, int j, double t, Vector& right, Vector& left) {
  a(i, j) = std::exp(t);
  a(j, i) = std::exp(-t);
  PowerIterate(a, right);
  const Matrix at = a.transpose();
  PowerIterate(at, left);
  return (left[i] * right[j] * a(i, j) - left[j] * right[i] * a(j, i)) / left.dot(right);
}

// Minimizes the convex function t ↦ λmax (Bozóki, Fülöp & Rónyai 2010, Theorem 2) by finding
// the zero of its increasing derivative with bracketed false position (Illinois variant).
// `right` and `left` carry the Perron vectors from one call to the next (warm power iteration).
double MinimizeLambda(Matrix& a, int i, int j, double start, Vector& right, Vector& left) {
  // Bracket the zero of the slope by stepping out from the current value; far-out values make
  // the power iteration slow (λ2 approaches λ1), so they are reached only when needed.
  double lo = start;
  double f_lo = LambdaSlope(a, i, j, lo, right, left);
  if (f_lo == 0.0) return lo;
  double hi = lo;
  double f_hi = f_lo;
  for (double step = 0.5; (f_lo > 0.0) == (f_hi > 0.0); step *= 2.0) {
    if (step > 2 * kLogBound) return f_lo > 0.0 ? start - kLogBound : start + kLogBound;
    if (f_lo > 0.0) {
      hi = lo;
      f_hi = f_lo;
      lo = start - step;
      f_lo = LambdaSlope(a, i, j, lo, right, left);
    } else {
      lo = hi;
      f_lo = f_hi;
      hi = start + step;
      f_hi = LambdaSlope(a, i, j, hi, right, left);
    }
  }
  int side = 0;
  double t = 0.5 * (lo + hi);
  for (int iter = 0; iter < 200 && hi - lo > 1e-13; ++iter) {
    t = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
    if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
    const double f = LambdaSlope(a, i, j, t, right, left);
    if (f == 0.0) return t;
    if (f < 0.0) {
      lo = t;
      f_lo = f;
      if (side == -1) f_hi *= 0.5;
      side = -1;
    } else {
      hi = t;
      f_hi = f;
      if (side == 1) f_lo *= 0.5;
      side = 1;
    }
  }
  return t;
}

// Criteria reachable from criterion 0 through given (non-NaN) comparisons.
std::vector<bool> Reachable(const Matrix& a) {
  const auto n = static_cast<int>(a.rows());
  std::vector<bool> seen(static_cast<size_t>(n), false);
  std::queue<int> queue;
  seen[0] = true;
  queue.push(0);
  while (!queue.empty()) {
    const int i = queue.front();
    queue.pop();
    for (int j = 0; j < n; ++j) {
      if (!seen[static_cast<size_t>(j)] && j != i && !std::isnan(a(i, j))) {
        seen[static_cast<size_t>(j)] = true;
        queue.push(j);
      }
    }
  }
  return seen;
}

double ConsistencyRatio(double lambda_max, int n, double ri) {
  if (n <= 2 || ri <= 0.0) return 0.0;
  return (lambda_max - n) / (n - 1) / ri;
}

}  // namespace

std::string_view AhpWeightMethodName(AhpWeightMethod method) {
  switch (method) {
    case AhpWeightMethod::kEigenvector:
      return "eigen";
    case AhpWeightMethod::kGeometricMean:
      return "geometric";
    case AhpWeightMethod::kArithmeticMean:
      return "arithmetic";
  }
  return "?";
}

std::string_view RandomIndexTableName(RandomIndexTable table) {
  switch (table) {
    case RandomIndexTable::kSaaty1980:
      return "saaty1980";
    case RandomIndexTable::kSaaty2005:
      return "saaty2005";
    case RandomIndexTable::kDoneganDodd:
      return "donegan-dodd";
  }
  return "?";
}

std::string_view GroupAggregationName(GroupAggregation aggregation) {
  switch (aggregation) {
    case GroupAggregation::kAij:
      return "aij";
    case GroupAggregation::kAipGeometric:
      return "aip-geometric";
    case GroupAggregation::kAipArithmetic:
      return "aip-arithmetic";
  }
  return "?";
}

Result<double> RandomIndex(RandomIndexTable table, int n) {
  if (n < 1 || n > kMaxAhpSize) {
    return InvalidArgument(
        fmt::format("the random-index table {} covers n = 1..{}; a {}×{} matrix is outside it",
                    RandomIndexTableName(table), kMaxAhpSize, n, n));
  }
  const auto k = static_cast<size_t>(n - 1);
  switch (table) {
    case RandomIndexTable::kSaaty1980:
      return kSaaty1980[k];
    case RandomIndexTable::kSaaty2005:
      return kSaaty2005[k];
    case RandomIndexTable::kDoneganDodd:
      return kDoneganDodd[k];
  }
  return Internal("unknown random-index table");
}

double PerronEigenvalue(const Matrix& a, Vector* vector) {
  Vector v = Vector::Constant(a.rows(), 1.0 / static_cast<double>(a.rows()));
  const double lambda = PowerIterate(a, v);
  if (vector != nullptr) *vector = v;
  return lambda;
}

Result<Matrix> ReciprocalMatrix(const Matrix& judgments, const AhpOptions& options,
                                std::vector<AhpWarning>* warnings) {
  const auto n = judgments.rows();
  if (judgments.cols() != n) {
    return InvalidArgument(
        fmt::format("the judgment matrix must be square; it has {} rows and "
                    "{} columns",
                    judgments.rows(), judgments.cols()));
  }
  if (n < 1) return InvalidArgument("the judgment matrix is empty");
  if (n > kMaxAhpSize) {
    return InvalidArgument(fmt::format(
        "the judgment matrix is {}×{}; random-index tables cover n ≤ {}", n, n, kMaxAhpSize));
  }
  std::vector<ErrorDetail> details;
  Matrix a = judgments;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const double v = a(i, j);
      if (std::isnan(v)) continue;
      if (!std::isfinite(v) || v <= 0.0) {
        details.push_back(CellDetail(i, j, v, "a judgment must be a positive number"));
      } else if (i == j && std::abs(v - 1.0) > options.reciprocity_tolerance) {
        details.push_back(CellDetail(i, j, v, "a diagonal judgment must be 1"));
      } else if (i != j && (v < 1.0 / 9.0 - 1e-9 || v > 9.0 + 1e-9) && warnings != nullptr) {
        warnings->push_back(
            {static_cast<int>(i), static_cast<int>(j), v, "outside Saaty's scale 1/9..9"});
      }
    }
  }
  if (!details.empty()) return InvalidArgument("invalid judgment matrix", std::move(details));
  for (Eigen::Index i = 0; i < n; ++i) {
    a(i, i) = 1.0;
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double upper = a(i, j);
      const double lower = a(j, i);
      if (std::isnan(upper) && std::isnan(lower)) continue;
      if (std::isnan(upper)) {
        a(i, j) = 1.0 / lower;
      } else if (std::isnan(lower)) {
        a(j, i) = 1.0 / upper;
      } else if (std::abs(upper * lower - 1.0) > options.reciprocity_tolerance) {
        details.push_back(
            CellDetail(j, i, lower,
                       fmt::format("not the reciprocal of the judgment {} at row {}, column {} "
                                   "(a_ji · a_ij = {:.4g}, must be 1)",
                                   upper, i + 1, j + 1, upper * lower)));
      } else {
        a(j, i) = 1.0 / upper;
      }
    }
  }
  if (!details.empty())
    return InvalidArgument("the judgment matrix is not reciprocal", std::move(details));
  return a;
}

namespace {

// λmax at ln-values `t` of the missing entries and its gradient g_k = (v_i w_j a_ij −
// v_j w_i a_ji) / vᵀw.
double LambdaAndGradient(Matrix& a, const std::vector<std::pair<int, int>>& missing,
                         const Vector& t, Vector& right, Vector& left, Vector* gradient) {
  for (size_t k = 0; k < missing.size(); ++k) {
    const auto [i, j] = missing[k];
    a(i, j) = std::exp(t[static_cast<Eigen::Index>(k)]);
    a(j, i) = std::exp(-t[static_cast<Eigen::Index>(k)]);
  }
  const double lambda = PowerIterate(a, right);
  if (gradient != nullptr) {
    const Matrix at = a.transpose();
    PowerIterate(at, left);
    const double norm = left.dot(right);
    gradient->resize(static_cast<Eigen::Index>(missing.size()));
    for (size_t k = 0; k < missing.size(); ++k) {
      const auto [i, j] = missing[k];
      (*gradient)[static_cast<Eigen::Index>(k)] =
          (left[i] * right[j] * a(i, j) - left[j] * right[i] * a(j, i)) / norm;
    }
  }
  return lambda;
}

// BFGS on the convex, smooth t ↦ λmax with an exact line search (the zero of the increasing
// directional derivative, by bracketed false position). Derivatives, unlike values of λmax,
// stay accurate to the last digits near the optimum, where λmax is flat. Stops when no step
// moves a value by more than `tolerance` or the gradient vanishes; leaves `a` completed.
void Bfgs(Matrix& a, const std::vector<std::pair<int, int>>& missing, std::vector<double>& t_std,
          double tolerance, Vector& right, Vector& left) {
  const auto m = static_cast<Eigen::Index>(missing.size());
  Vector t = Eigen::Map<const Vector>(t_std.data(), m);
  Vector g;
  LambdaAndGradient(a, missing, t, right, left, &g);
  Matrix h = Matrix::Identity(m, m);  // inverse Hessian approximation
  for (int iter = 0; iter < 500; ++iter) {
    if (g.cwiseAbs().maxCoeff() < 1e-15) break;
    Vector step = -h * g;
    double d0 = step.dot(g);
    if (d0 >= 0) {  // not a descent direction: restart from the gradient
      h.setIdentity();
      step = -g;
      d0 = step.dot(g);
    }
    // Directional derivative φ'(α) = g(t + α step) · step, increasing in α.
    Vector g_new;
    auto slope = [&](double alpha) {
      LambdaAndGradient(a, missing, t + alpha * step, right, left, &g_new);
      return g_new.dot(step);
    };
    double lo = 0.0, f_lo = d0;
    double hi = 1.0, f_hi = slope(hi);
    for (int k = 0; k < 60 && f_hi < 0; ++k) {
      lo = hi;
      f_lo = f_hi;
      hi *= 2.0;
      f_hi = slope(hi);
    }
    double alpha = hi;
    double f_alpha = f_hi;
    int side = 0;
    for (int k = 0; k < 50 && std::abs(f_alpha) > 1e-3 * std::abs(d0) && hi - lo > 1e-16; ++k) {
      alpha = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
      if (!(alpha > lo && alpha < hi)) alpha = 0.5 * (lo + hi);
      f_alpha = slope(alpha);
      if (f_alpha < 0) {
        lo = alpha;
        f_lo = f_alpha;
        if (side == -1) f_hi *= 0.5;
        side = -1;
      } else {
        hi = alpha;
        f_hi = f_alpha;
        if (side == 1) f_lo *= 0.5;
        side = 1;
      }
    }
    // The last slope() call was at `alpha`, so g_new is the gradient there.
    const Vector s = alpha * step;
    const Vector y = g_new - g;
    t += s;
    g = g_new;
    if (s.cwiseAbs().maxCoeff() < tolerance) break;
    const double sy = s.dot(y);
    if (sy > 1e-300) {
      const Vector hy = h * y;
      const double yhy = y.dot(hy);
      h += ((sy + yhy) / (sy * sy)) * (s * s.transpose()) -
           (hy * s.transpose() + s * hy.transpose()) / sy;
    }
  }
  LambdaAndGradient(a, missing, t, right, left, nullptr);
  for (Eigen::Index k = 0; k < m; ++k) t_std[static_cast<size_t>(k)] = t[k];
}

// The completion, optionally started from the values of `start` (a complete matrix) rather than
// from 1, and stopped when no ln a_ij moves by more than `tolerance` in a cycle.
Result<Matrix> Complete(const Matrix& reciprocal, const Matrix* start, double tolerance,
                        std::vector<CompletedJudgment>* completed) {
  const auto n = static_cast<int>(reciprocal.rows());
  std::vector<std::pair<int, int>> missing;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (std::isnan(reciprocal(i, j))) missing.emplace_back(i, j);
    }
  }
  if (completed != nullptr) completed->clear();
  if (missing.empty()) return reciprocal;
  const std::vector<bool> seen = Reachable(reciprocal);
  std::vector<ErrorDetail> details;
  std::string names;
  for (int i = 0; i < n; ++i) {
    if (!seen[static_cast<size_t>(i)]) {
      details.push_back(CellDetail(i, i, kNaN,
                                   "criterion not linked to criterion 1 by any chain of "
                                   "comparisons"));
      names += (names.empty() ? "" : ", ") + CriterionLabel(i);
    }
  }
  if (!details.empty()) {
    return InvalidArgument(
        fmt::format("the comparison graph is not connected: criteria {} are not compared, "
                    "directly or through others, with criterion #1",
                    names),
        std::move(details));
  }
  Matrix a = reciprocal;
  std::vector<double> t(missing.size(), 0.0);
  for (size_t k = 0; k < missing.size(); ++k) {
    const auto [i, j] = missing[k];
    if (start != nullptr) t[k] = std::log((*start)(i, j));
    a(i, j) = std::exp(t[k]);
    a(j, i) = std::exp(-t[k]);
  }
  Vector right = Vector::Constant(n, 1.0 / static_cast<double>(n));
  Vector left = right;
  // Cyclic coordinates (BFR 2010) bring the values near the optimum; their convergence is only
  // linear, so when a cycle still moves a value by more than `tolerance` after a few cycles the
  // joint problem is finished with BFGS on the same convex function, whose gradient comes from
  // the Perron vectors.
  bool converged = false;
  for (int cycle = 0; cycle < 30 && !converged; ++cycle) {
    double change = 0.0;
    for (size_t k = 0; k < missing.size(); ++k) {
      const auto [i, j] = missing[k];
      const double best = MinimizeLambda(a, i, j, t[k], right, left);
      a(i, j) = std::exp(best);
      a(j, i) = std::exp(-best);
      change = std::max(change, std::abs(best - t[k]));
      t[k] = best;
    }
    converged = change < tolerance;
  }
  if (!converged) Bfgs(a, missing, t, tolerance, right, left);
  if (completed != nullptr) {
    for (const auto& [i, j] : missing) completed->push_back({i, j, a(i, j)});
  }
  return a;
}

}  // namespace

Result<Matrix> CompleteByMinLambda(const Matrix& reciprocal,
                                   std::vector<CompletedJudgment>* completed) {
  return Complete(reciprocal, nullptr, 1e-13, completed);
}

Vector AhpWeights(const Matrix& complete, AhpWeightMethod method, double* lambda_max) {
  const auto n = complete.rows();
  Vector w(n);
  switch (method) {
    case AhpWeightMethod::kEigenvector: {
      const double lambda = PerronEigenvalue(complete, &w);
      if (lambda_max != nullptr) *lambda_max = lambda;
      return w;
    }
    case AhpWeightMethod::kGeometricMean:
      for (Eigen::Index i = 0; i < n; ++i) {
        w[i] = std::exp(complete.row(i).array().log().mean());
      }
      break;
    case AhpWeightMethod::kArithmeticMean: {
      const Eigen::RowVectorXd sums = complete.colwise().sum();
      Matrix normalized = complete.array().rowwise() / sums.array();
      w = normalized.rowwise().mean();
      break;
    }
  }
  w /= w.sum();
  if (lambda_max != nullptr) {
    *lambda_max = ((complete * w).array() / w.array()).mean();
  }
  return w;
}

namespace {

Result<AhpResult> AhpOnReciprocal(const Matrix& reciprocal, const AhpOptions& options,
                                  bool with_suggestions) {
  AhpResult result;
  const auto n = static_cast<int>(reciprocal.rows());
  auto complete = CompleteByMinLambda(reciprocal, &result.completed);
  if (!complete) return std::unexpected(complete.error());
  result.completed_matrix = *complete;
  result.weights = AhpWeights(result.completed_matrix, options.weight_method, &result.lambda_max);
  auto ri = RandomIndex(options.ri_table, n);
  if (!ri) return std::unexpected(ri.error());
  result.ri = *ri;
  result.ci = n <= 2 ? 0.0 : (result.lambda_max - n) / (n - 1);
  result.cr = ConsistencyRatio(result.lambda_max, n, result.ri);
  result.consistent = result.cr < options.cr_threshold - kCrTolerance;
  if (result.consistent || !with_suggestions || n < 3) return result;

  // Consistency help: leave out one given judgment at a time, complete it optimally from the
  // others and see how far CR falls.
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (std::isnan(reciprocal(i, j))) continue;  // was missing: already optimal
      Matrix trial = reciprocal;
      trial(i, j) = kNaN;
      trial(j, i) = kNaN;
      // Started from the current completion (only one judgment differs), to 1e-9 in ln a_ij:
      // suggestions need a few digits, not the last ones.
      std::vector<CompletedJudgment> filled;
      auto completed = Complete(trial, &result.completed_matrix, 1e-9, &filled);
      if (!completed) continue;  // the judgment is a bridge of the comparison graph
      double lambda = 0.0;
      AhpWeights(*completed, options.weight_method, &lambda);
      JudgmentSuggestion s;
      s.row = i;
      s.col = j;
      s.current = reciprocal(i, j);
      s.suggested = (*completed)(i, j);
      s.cr_after = ConsistencyRatio(lambda, n, result.ri);
      result.suggestions.push_back(s);
    }
  }
  std::stable_sort(result.suggestions.begin(), result.suggestions.end(),
                   [](const JudgmentSuggestion& a, const JudgmentSuggestion& b) {
                     return a.cr_after < b.cr_after;
                   });
  if (static_cast<int>(result.suggestions.size()) > options.max_suggestions) {
    result.suggestions.resize(static_cast<size_t>(std::max(0, options.max_suggestions)));
  }
  return result;
}

}  // namespace

Result<AhpResult> Ahp(const Matrix& judgments, const AhpOptions& options) {
  std::vector<AhpWarning> warnings;
  auto reciprocal = ReciprocalMatrix(judgments, options, &warnings);
  if (!reciprocal) return std::unexpected(reciprocal.error());
  auto result = AhpOnReciprocal(*reciprocal, options, /*with_suggestions=*/true);
  if (!result) return result;
  result->warnings = std::move(warnings);
  return result;
}

Result<GroupAhpResult> GroupAhp(const std::vector<Matrix>& judgments,
                                const GroupAhpOptions& options) {
  if (judgments.empty()) return InvalidArgument("group AHP needs at least one expert matrix");
  const auto k = static_cast<Eigen::Index>(judgments.size());
  const auto n = judgments.front().rows();
  GroupAhpResult group;
  for (Eigen::Index e = 0; e < k; ++e) {
    const Matrix& m = judgments[static_cast<size_t>(e)];
    if (m.rows() != n || m.cols() != n) {
      return InvalidArgument(fmt::format("expert {} has a {}×{} matrix but expert 1 has {}×{}",
                                         e + 1, m.rows(), m.cols(), n, n));
    }
    auto one = Ahp(m, options.ahp);
    if (!one) {
      Error error = one.error();
      error.Prefix(fmt::format("expert {}", e + 1));
      return std::unexpected(std::move(error));
    }
    group.experts.push_back(std::move(*one));
  }
  std::vector<double> raw = options.expert_weights;
  if (raw.empty()) raw.assign(static_cast<size_t>(k), 1.0);
  auto checked = NormalizeWeights(raw, k, "expert weights");
  if (!checked) return std::unexpected(checked.error());
  Vector ew = *checked;
  for (Eigen::Index e = 0; e < k; ++e) {
    if (options.max_cr &&
        group.experts[static_cast<size_t>(e)].cr > *options.max_cr + kCrTolerance) {
      group.excluded.push_back(static_cast<int>(e));
      ew[e] = 0.0;
    }
  }
  if (!(ew.sum() > 0.0)) {
    return InvalidArgument(fmt::format(
        "every expert with a positive weight has CR above {}; nothing is left to aggregate",
        *options.max_cr));
  }
  ew /= ew.sum();
  group.used_expert_weights = ew;
  switch (options.aggregation) {
    case GroupAggregation::kAij: {
      Matrix log_sum = Matrix::Zero(n, n);
      for (Eigen::Index e = 0; e < k; ++e) {
        if (ew[e] == 0.0) continue;
        log_sum +=
            ew[e] * group.experts[static_cast<size_t>(e)].completed_matrix.array().log().matrix();
      }
      Matrix aggregated = log_sum.array().exp();
      auto result = AhpOnReciprocal(aggregated, options.ahp, /*with_suggestions=*/true);
      if (!result) return std::unexpected(result.error());
      group.weights = result->weights;
      group.aggregated = std::move(*result);
      break;
    }
    case GroupAggregation::kAipGeometric: {
      Vector log_sum = Vector::Zero(n);
      for (Eigen::Index e = 0; e < k; ++e) {
        if (ew[e] == 0.0) continue;
        log_sum += ew[e] * group.experts[static_cast<size_t>(e)].weights.array().log().matrix();
      }
      group.weights = log_sum.array().exp();
      group.weights /= group.weights.sum();
      break;
    }
    case GroupAggregation::kAipArithmetic: {
      group.weights = Vector::Zero(n);
      for (Eigen::Index e = 0; e < k; ++e) {
        group.weights += ew[e] * group.experts[static_cast<size_t>(e)].weights;
      }
      group.weights /= group.weights.sum();
      break;
    }
  }
  return group;
}

}  // namespace fupin::methods
