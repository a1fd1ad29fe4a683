// DEA envelopment models on LpSolver with column generation and warm starts. See dea.h.
//
// LP layout for one evaluated point (x_o, y_o), data already divided by column means:
//   columns: 0 = score (θ or φ), 1 = "self" (the evaluated point itself, so that the
//            restricted problem is always feasible), 2.. = reference DMUs admitted so far;
//   rows:    m input rows, s output rows, and for VRS/NIRS one convexity row.
//   input orientation:  min θ   s.t. Σ λ_j x_ij − θ x_io ≤ 0,  Σ λ_j y_rj ≥ y_ro
//   output orientation: min −φ  s.t. Σ λ_j x_ij ≤ x_io,        Σ λ_j y_rj − φ y_ro ≥ 0
//   VRS: Σ λ_j = 1; NIRS: Σ λ_j ≤ 1.
// The second stage fixes the score and maximizes Σ s⁻ + Σ s⁺, which, with the slacks written
// in terms of λ, is min Σ_j λ_j (Σ_i x_ij − Σ_r y_rj) over the same rows.
// A DMU enters the reference set when its reduced cost c_j − yᵀa_j is negative (pricing all
// n DMUs is a few vector operations), so each LP has only the frontier DMUs that matter.
#include "methods/dea.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <numeric>

#include "methods/lp_solver.h"

namespace fupin::methods {

std::string_view ReturnsToScaleName(ReturnsToScale rts) {
  switch (rts) {
    case ReturnsToScale::kCrs:
      return "crs";
    case ReturnsToScale::kVrs:
      return "vrs";
    case ReturnsToScale::kNirs:
      return "nirs";
  }
  return "?";
}
std::string_view OrientationName(Orientation orientation) {
  return orientation == Orientation::kInput ? "input" : "output";
}
std::string_view DeaClassName(DeaClass c) {
  switch (c) {
    case DeaClass::kEfficient:
      return "efficient";
    case DeaClass::kWeaklyEfficient:
      return "weakly efficient";
    case DeaClass::kInefficient:
      return "inefficient";
  }
  return "?";
}
std::string_view ScaleTypeName(ScaleType t) {
  switch (t) {
    case ScaleType::kIrs:
      return "irs";
    case ScaleType::kCrs:
      return "crs";
    case ScaleType::kDrs:
      return "drs";
  }
  return "?";
}

namespace {

constexpr double kPricingTolerance = 1e-9;
constexpr int kColumnsPerRound = 4;
constexpr int kScoreCol = 0;
constexpr int kSelfCol = 1;

struct PointSolution {
  LpStatus status = LpStatus::kFailed;
  double score = 0.0;
  std::vector<std::pair<int, double>> lambdas;  // DMU (or −1 for the self column), λ
  Vector input_slacks;                          // rescaled units
  Vector output_slacks;
};

// One technology (reference DMUs, rescaled), one RTS and orientation; solves points.
class Envelopment {
 public:
  Envelopment(const Matrix& x, const Matrix& y, ReturnsToScale rts, Orientation orientation,
              bool all_columns)
      : x_(x), y_(y), rts_(rts), orientation_(orientation), all_columns_(all_columns) {
    m_ = static_cast<int>(x.cols());
    s_ = static_cast<int>(y.cols());
    rows_ = m_ + s_ + (rts == ReturnsToScale::kCrs ? 0 : 1);
    n_ = static_cast<int>(x.rows());
    stage2_cost_ = x_.rowwise().sum() - y_.rowwise().sum();
    column_of_.assign(static_cast<size_t>(n_), -1);
    std::vector<double> lo(static_cast<size_t>(rows_)), up(static_cast<size_t>(rows_));
    for (int i = 0; i < m_; ++i) {
      lo[static_cast<size_t>(i)] = -kLpInfinity;
      up[static_cast<size_t>(i)] = 0.0;
    }
    for (int r = 0; r < s_; ++r) {
      lo[static_cast<size_t>(m_ + r)] = 0.0;
      up[static_cast<size_t>(m_ + r)] = kLpInfinity;
    }
    if (rts == ReturnsToScale::kVrs) {
      lo.back() = 1.0;
      up.back() = 1.0;
    } else if (rts == ReturnsToScale::kNirs) {
      lo.back() = -kLpInfinity;
      up.back() = 1.0;
    }
    lp_ = MakeLpSolver();
    lp_->Reset(lo, up);
    coef_.assign(static_cast<size_t>(rows_), 0.0);
    lp_->AddColumn(0.0, kLpInfinity, ScoreCost(), coef_);  // score
    if (rows_ > m_ + s_) coef_.back() = 1.0;
    lp_->AddColumn(0.0, kLpInfinity, 0.0, coef_);  // self
    if (all_columns_) {
      for (int j = 0; j < n_; ++j) AddDmu(j, 0.0);
    }
  }

  int64_t solves() const { return solves_; }

  // Evaluates the point; `exclude` (≥ 0) leaves that reference DMU out; `self` lets the point
  // itself be a reference (true when it is one of the DMUs and not excluded).
  PointSolution Solve(const Vector& xo, const Vector& yo, int exclude, bool self, bool slacks) {
    PointSolution out;
    // Per-point coefficients and right-hand sides.
    for (int i = 0; i < m_; ++i) {
      if (orientation_ == Orientation::kInput) {
        lp_->SetCoefficient(i, kScoreCol, -xo[i]);
      } else {
        lp_->SetRowBounds(i, -kLpInfinity, xo[i]);
      }
      lp_->SetCoefficient(i, kSelfCol, xo[i]);
    }
    for (int r = 0; r < s_; ++r) {
      if (orientation_ == Orientation::kInput) {
        lp_->SetRowBounds(m_ + r, yo[r], kLpInfinity);
      } else {
        lp_->SetCoefficient(m_ + r, kScoreCol, -yo[r]);
      }
      lp_->SetCoefficient(m_ + r, kSelfCol, yo[r]);
    }
    lp_->SetColumnBounds(kSelfCol, 0.0, self ? kLpInfinity : 0.0);
    lp_->SetCost(kSelfCol, self_penalty_);
    const int excluded_col = exclude >= 0 ? column_of_[static_cast<size_t>(exclude)] : -1;
    if (excluded_col >= 0) lp_->SetColumnBounds(excluded_col, 0.0, 0.0);

    out.status = SolveWithPricing(/*stage2=*/false, exclude);
    if (out.status == LpStatus::kOptimal) {
      out.score = lp_->Primal()[kScoreCol];
      // Without (or failing) the second stage the slacks of the first are reported. When every
      // input and output row has a non-zero dual, complementary slackness makes every slack
      // zero in every optimal solution, so the second stage would find nothing: skip it.
      if (slacks && !AllRowDualsNonZero()) SecondStage(out.score, exclude);
      Collect(xo, yo, &out);
    }
    if (excluded_col >= 0) lp_->SetColumnBounds(excluded_col, 0.0, kLpInfinity);
    return out;
  }

 private:
  double ScoreCost() const { return orientation_ == Orientation::kInput ? 1.0 : -1.0; }

  void AddDmu(int j, double cost) {
    for (int i = 0; i < m_; ++i) coef_[static_cast<size_t>(i)] = x_(j, i);
    for (int r = 0; r < s_; ++r) coef_[static_cast<size_t>(m_ + r)] = y_(j, r);
    if (rows_ > m_ + s_) coef_.back() = 1.0;
    const int col = lp_->AddColumn(0.0, kLpInfinity, cost, coef_);
    column_of_[static_cast<size_t>(j)] = col;
    dmu_of_.push_back(j);
  }

  LpStatus SolveWithPricing(bool stage2, int exclude) {
    while (true) {
      const LpStatus status = lp_->Solve();
      ++solves_;
      if (status != LpStatus::kOptimal || all_columns_) return status;
      const auto duals = lp_->RowDuals();
      Eigen::Map<const Vector> y_all(duals.data(), static_cast<Eigen::Index>(duals.size()));
      Vector d = x_ * y_all.head(m_) + y_ * y_all.segment(m_, s_);
      const double conv = rows_ > m_ + s_ ? y_all[rows_ - 1] : 0.0;
      // d_j = c_j − yᵀa_j
      candidates_.clear();
      for (int j = 0; j < n_; ++j) {
        if (column_of_[static_cast<size_t>(j)] >= 0 || j == exclude) continue;
        const double reduced = (stage2 ? stage2_cost_[j] : 0.0) - d[j] - conv;
        if (reduced < -kPricingTolerance) candidates_.emplace_back(reduced, j);
      }
      if (candidates_.empty()) return status;
      const size_t take = std::min<size_t>(candidates_.size(), kColumnsPerRound);
      std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<long>(take),
                        candidates_.end());
      for (size_t k = 0; k < take; ++k) {
        const int j = candidates_[k].second;
        AddDmu(j, stage2 ? stage2_cost_[j] : 0.0);
      }
    }
  }

  bool AllRowDualsNonZero() const {
    const auto duals = lp_->RowDuals();
    for (int r = 0; r < m_ + s_; ++r) {
      if (std::abs(duals[static_cast<size_t>(r)]) <= 1e-9) return false;
    }
    return true;
  }

  // Fixes the score and maximizes the slack sum; restores the first-stage problem after.
  bool SecondStage(double score, int exclude) {
    lp_->SetColumnBounds(kScoreCol, score, score);
    lp_->SetCost(kScoreCol, 0.0);
    for (size_t c = 0; c < dmu_of_.size(); ++c) {
      lp_->SetCost(static_cast<int>(c) + 2, stage2_cost_[dmu_of_[c]]);
    }
    // The self column's coefficients are the point's: its cost is Σ x_o − Σ y_o.
    lp_->SetCost(kSelfCol, current_self_cost_);
    const bool ok = SolveWithPricing(/*stage2=*/true, exclude) == LpStatus::kOptimal;
    if (ok) {
      primal_.assign(lp_->Primal().begin(), lp_->Primal().end());
    }
    // Restore stage-1 costs and bounds (the basis stays as a warm start for the next point).
    lp_->SetColumnBounds(kScoreCol, 0.0, kLpInfinity);
    lp_->SetCost(kScoreCol, ScoreCost());
    lp_->SetCost(kSelfCol, 0.0);
    for (size_t c = 0; c < dmu_of_.size(); ++c) lp_->SetCost(static_cast<int>(c) + 2, 0.0);
    stage2_solution_valid_ = ok;
    return ok;
  }

  void Collect(const Vector& xo, const Vector& yo, PointSolution* out) {
    std::span<const double> primal;
    if (stage2_solution_valid_) {
      primal = primal_;
    } else {
      primal = lp_->Primal();
    }
    stage2_solution_valid_ = false;
    Vector xs = Vector::Zero(m_);
    Vector ys = Vector::Zero(s_);
    const double self_lambda = primal[kSelfCol];
    if (self_lambda > 1e-12) {
      xs += self_lambda * xo;
      ys += self_lambda * yo;
      out->lambdas.emplace_back(-1, self_lambda);
    }
    for (size_t c = 0; c < dmu_of_.size(); ++c) {
      const double lambda = primal[c + 2];
      if (lambda <= 1e-12) continue;
      const int j = dmu_of_[c];
      xs += lambda * x_.row(j).transpose();
      ys += lambda * y_.row(j).transpose();
      out->lambdas.emplace_back(j, lambda);
    }
    if (orientation_ == Orientation::kInput) {
      out->input_slacks = (out->score * xo - xs).cwiseMax(0.0);
      out->output_slacks = (ys - yo).cwiseMax(0.0);
    } else {
      out->input_slacks = (xo - xs).cwiseMax(0.0);
      out->output_slacks = (ys - out->score * yo).cwiseMax(0.0);
    }
  }

 public:
  // The self column's second-stage cost (Σ x̃_o − Σ ỹ_o); set before Solve.
  void SetSelfCost(double cost) { current_self_cost_ = cost; }
  // First-stage cost of the self column. 0 when the point is one of the reference DMUs; a
  // penalty when it is not (cross-period Malmquist), so that the self column only keeps the
  // restricted problem feasible: a solution using it is re-solved on the full reference set.
  void SetSelfPenalty(double penalty) { self_penalty_ = penalty; }

 private:
  const Matrix& x_;
  const Matrix& y_;
  ReturnsToScale rts_;
  Orientation orientation_;
  bool all_columns_;
  int m_ = 0, s_ = 0, rows_ = 0, n_ = 0;
  Vector stage2_cost_;
  std::unique_ptr<LpSolver> lp_;
  std::vector<double> coef_;
  std::vector<int> column_of_;  // DMU → LP column, −1 when not admitted
  std::vector<int> dmu_of_;     // LP column − 2 → DMU
  std::vector<std::pair<double, int>> candidates_;
  std::vector<double> primal_;
  bool stage2_solution_valid_ = false;
  double current_self_cost_ = 0.0;
  double self_penalty_ = 0.0;
  int64_t solves_ = 0;
};

Status ValidateData(const Matrix& inputs, const Matrix& outputs, bool require_positive_rows) {
  if (inputs.rows() != outputs.rows()) {
    return InvalidArgument(
        fmt::format("{} rows of inputs but {} rows of outputs", inputs.rows(), outputs.rows()));
  }
  if (inputs.rows() < 1) return InvalidArgument("DEA needs at least one DMU");
  if (inputs.cols() < 1 || outputs.cols() < 1) {
    return InvalidArgument("DEA needs at least one input and one output");
  }
  const auto m = inputs.cols();
  std::vector<ErrorDetail> details;
  for (Eigen::Index i = 0; i < inputs.rows(); ++i) {
    for (Eigen::Index j = 0; j < m + outputs.cols(); ++j) {
      const double v = j < m ? inputs(i, j) : outputs(i, j - m);
      if (!std::isfinite(v)) {
        details.push_back(CellDetail(i, j, kNaN, "missing or not a finite number"));
      } else if (v < 0.0) {
        details.push_back(CellDetail(i, j, v, "DEA data must be non-negative"));
      }
    }
    if (require_positive_rows && details.empty()) {
      if (!(inputs.row(i).maxCoeff() > 0.0)) {
        details.push_back(CellDetail(i, -1, kNaN, "the DMU has no positive input"));
      }
      if (!(outputs.row(i).maxCoeff() > 0.0)) {
        details.push_back(CellDetail(i, -1, kNaN, "the DMU has no positive output"));
      }
    }
  }
  if (!details.empty()) return InvalidArgument("invalid DEA data", std::move(details));
  return {};
}

Result<Vector> ColumnMeans(const Matrix& data, Eigen::Index first_col_number) {
  Vector means = data.colwise().mean().transpose();
  for (Eigen::Index j = 0; j < means.size(); ++j) {
    if (!(means[j] > 0.0)) {
      return InvalidArgument("a DEA column is all zeros",
                             {ColumnDetail(first_col_number + j, "every value is 0")});
    }
  }
  return means;
}

double EfficiencyOf(double score, Orientation orientation) {
  return orientation == Orientation::kInput ? score : 1.0 / score;
}

// Visiting order: DMUs with similar input and output mixes one after another, since their
// optimal bases (peers) tend to be alike and each warm start is then closer to the next optimum.
// Key: each input's and output's share of its row's total in 8 bins (3 bits each, at most 21
// shares in 64 bits).
std::vector<Eigen::Index> OrderByMix(const Matrix& x, const Matrix& y) {
  const auto n = x.rows();
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::vector<uint64_t> key(static_cast<size_t>(n), 0);
  for (Eigen::Index o = 0; o < n; ++o) {
    uint64_t k = 0;
    int parts = 0;
    auto add = [&](double share) {
      if (parts++ >= 21) return;
      k = k * 8 + static_cast<uint64_t>(std::clamp(8.0 * share, 0.0, 7.0));
    };
    const double xs = x.row(o).sum();
    const double ys = y.row(o).sum();
    for (Eigen::Index i = 0; i + 1 < x.cols(); ++i) add(xs > 0 ? x(o, i) / xs : 0.0);
    for (Eigen::Index r = 0; r + 1 < y.cols(); ++r) add(ys > 0 ? y(o, r) / ys : 0.0);
    key[static_cast<size_t>(o)] = k;
  }
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return key[static_cast<size_t>(a)] < key[static_cast<size_t>(b)];
  });
  return order;
}

// Solves all DMUs for one model; fills efficiency, slacks, peers, classification.
Result<std::vector<DeaDmuResult>> SolveAll(const Matrix& x, const Matrix& y, const Vector& x_scale,
                                           const Vector& y_scale, ReturnsToScale rts,
                                           Orientation orientation, bool slacks, double tol,
                                           int64_t* solves) {
  const auto n = x.rows();
  Envelopment env(x, y, rts, orientation, /*all_columns=*/false);
  std::vector<DeaDmuResult> results(static_cast<size_t>(n));
  const std::vector<Eigen::Index> order = OrderByMix(x, y);
  for (const Eigen::Index o : order) {
    const Vector xo = x.row(o).transpose();
    const Vector yo = y.row(o).transpose();
    env.SetSelfCost(xo.sum() - yo.sum());
    PointSolution sol = env.Solve(xo, yo, -1, /*self=*/true, slacks);
    DeaDmuResult& r = results[static_cast<size_t>(o)];
    if (sol.status != LpStatus::kOptimal) {
      return Internal(fmt::format("the LP solver failed on DMU {} (status {})", o + 1,
                                  static_cast<int>(sol.status)));
    }
    r.feasible = true;
    r.score = sol.score;
    r.efficiency = EfficiencyOf(sol.score, orientation);
    std::vector<std::pair<int, double>> merged;
    for (auto [j, lambda] : sol.lambdas) {
      if (j < 0) j = static_cast<int>(o);
      auto it = std::find_if(merged.begin(), merged.end(), [&](auto& p) { return p.first == j; });
      if (it == merged.end()) {
        merged.emplace_back(j, lambda);
      } else {
        it->second += lambda;
      }
    }
    std::sort(merged.begin(), merged.end());
    for (const auto& [j, lambda] : merged) {
      if (lambda > 1e-9) r.peers.push_back({j, lambda});
    }
    // Slacks below 1e-9 of the column mean are solver noise.
    for (auto& v : sol.input_slacks) v = v < 1e-9 ? 0.0 : v;
    for (auto& v : sol.output_slacks) v = v < 1e-9 ? 0.0 : v;
    const double slack_sum = sol.input_slacks.sum() + sol.output_slacks.sum();
    r.input_slacks = (sol.input_slacks.array() * x_scale.array()).matrix();
    r.output_slacks = (sol.output_slacks.array() * y_scale.array()).matrix();
    if (std::abs(r.efficiency - 1.0) <= tol) {
      r.classification = slack_sum <= tol ? DeaClass::kEfficient : DeaClass::kWeaklyEfficient;
    } else {
      r.classification = DeaClass::kInefficient;
    }
  }
  *solves += env.solves();
  return results;
}

}  // namespace

Result<DeaResult> Dea(const Matrix& inputs, const Matrix& outputs, const DeaOptions& options) {
  FUPIN_TRY(ValidateData(inputs, outputs, /*require_positive_rows=*/true));
  DeaResult result;
  auto xs = ColumnMeans(inputs, 0);
  if (!xs) return std::unexpected(xs.error());
  auto ys = ColumnMeans(outputs, inputs.cols());
  if (!ys) return std::unexpected(ys.error());
  result.input_scale = *xs;
  result.output_scale = *ys;
  const Matrix x = inputs.array().rowwise() / xs->transpose().array();
  const Matrix y = outputs.array().rowwise() / ys->transpose().array();
  const auto n = x.rows();
  auto main = SolveAll(x, y, *xs, *ys, options.rts, options.orientation, options.slacks,
                       options.tolerance, &result.lp_solves);
  if (!main) return std::unexpected(main.error());
  result.dmus = std::move(*main);

  if (options.super_efficiency) {
    // The DMU leaves its own reference set; its column stays only as a penalized self column
    // (see SetSelfPenalty), and a solution that needs it is re-solved on the full set.
    Envelopment env(x, y, options.rts, options.orientation, /*all_columns=*/false);
    env.SetSelfPenalty(1e3);
    std::unique_ptr<Envelopment> full;
    for (Eigen::Index o = 0; o < n; ++o) {
      DeaDmuResult& r = result.dmus[static_cast<size_t>(o)];
      if (r.efficiency < 1.0 - options.tolerance) {
        // Not on the frontier: leaving itself out changes nothing.
        r.super_efficiency = r.efficiency;
        continue;
      }
      const Vector xo = x.row(o).transpose();
      const Vector yo = y.row(o).transpose();
      PointSolution sol = env.Solve(xo, yo, static_cast<int>(o), /*self=*/true, /*slacks=*/false);
      const bool self_used = std::any_of(sol.lambdas.begin(), sol.lambdas.end(), [](const auto& p) {
        return p.first < 0 && p.second > 1e-9;
      });
      if (sol.status != LpStatus::kOptimal || self_used) {
        if (!full) {
          full = std::make_unique<Envelopment>(x, y, options.rts, options.orientation, true);
        }
        sol = full->Solve(xo, yo, static_cast<int>(o), /*self=*/false, /*slacks=*/false);
        result.lp_solves += 1;
      }
      if (sol.status == LpStatus::kOptimal && sol.score > 0.0) {
        r.super_efficiency = EfficiencyOf(sol.score, options.orientation);
      } else if (sol.status == LpStatus::kInfeasible || sol.status == LpStatus::kUnbounded ||
                 sol.score <= 0.0) {
        r.super_feasible = false;
      } else {
        return Internal(fmt::format("the LP solver failed on DMU {} (super-efficiency)", o + 1));
      }
    }
    result.lp_solves += env.solves();
  }

  if (options.scale) {
    std::vector<DeaDmuResult> by_rts[3];
    const ReturnsToScale models[3] = {ReturnsToScale::kCrs, ReturnsToScale::kVrs,
                                      ReturnsToScale::kNirs};
    for (int k = 0; k < 3; ++k) {
      if (models[k] == options.rts) {
        by_rts[k] = result.dmus;
        continue;
      }
      auto other = SolveAll(x, y, *xs, *ys, models[k], options.orientation, /*slacks=*/false,
                            options.tolerance, &result.lp_solves);
      if (!other) return std::unexpected(other.error());
      by_rts[k] = std::move(*other);
    }
    for (Eigen::Index o = 0; o < n; ++o) {
      const auto k = static_cast<size_t>(o);
      const double crs = by_rts[0][k].efficiency;
      const double vrs = by_rts[1][k].efficiency;
      const double nirs = by_rts[2][k].efficiency;
      DeaDmuResult& r = result.dmus[k];
      r.scale_efficiency = crs / vrs;
      if (std::abs(*r.scale_efficiency - 1.0) <= options.tolerance) {
        r.scale_type = ScaleType::kCrs;
      } else if (std::abs(nirs - vrs) <= options.tolerance) {
        r.scale_type = ScaleType::kDrs;
      } else {
        r.scale_type = ScaleType::kIrs;
      }
    }
  }
  return result;
}

Result<std::vector<std::optional<double>>> DeaEfficiencyAgainst(
    const Matrix& ref_inputs, const Matrix& ref_outputs, const Matrix& eval_inputs,
    const Matrix& eval_outputs, ReturnsToScale rts, Orientation orientation) {
  FUPIN_TRY(ValidateData(ref_inputs, ref_outputs, /*require_positive_rows=*/false));
  FUPIN_TRY(ValidateData(eval_inputs, eval_outputs, /*require_positive_rows=*/true));
  if (eval_inputs.cols() != ref_inputs.cols() || eval_outputs.cols() != ref_outputs.cols()) {
    return InvalidArgument("evaluated points and reference DMUs have different columns");
  }
  auto xs = ColumnMeans(ref_inputs, 0);
  if (!xs) return std::unexpected(xs.error());
  auto ys = ColumnMeans(ref_outputs, ref_inputs.cols());
  if (!ys) return std::unexpected(ys.error());
  const Matrix x = ref_inputs.array().rowwise() / xs->transpose().array();
  const Matrix y = ref_outputs.array().rowwise() / ys->transpose().array();
  const Matrix ex = eval_inputs.array().rowwise() / xs->transpose().array();
  const Matrix ey = eval_outputs.array().rowwise() / ys->transpose().array();
  // Column generation with the evaluated point as a penalized self column (see
  // SetSelfPenalty); the full reference set only for the points that need it.
  Envelopment env(x, y, rts, orientation, /*all_columns=*/false);
  env.SetSelfPenalty(1e3);
  std::unique_ptr<Envelopment> full;
  std::vector<std::optional<double>> out(static_cast<size_t>(ex.rows()));
  for (const Eigen::Index o : OrderByMix(ex, ey)) {
    const Vector xo = ex.row(o).transpose();
    const Vector yo = ey.row(o).transpose();
    PointSolution sol = env.Solve(xo, yo, -1, /*self=*/true, /*slacks=*/false);
    const bool self_used = std::any_of(sol.lambdas.begin(), sol.lambdas.end(), [](const auto& p) {
      return p.first < 0 && p.second > 1e-9;
    });
    if (sol.status != LpStatus::kOptimal || self_used) {
      if (!full) full = std::make_unique<Envelopment>(x, y, rts, orientation, true);
      sol = full->Solve(xo, yo, -1, /*self=*/false, /*slacks=*/false);
    }
    if (sol.status == LpStatus::kOptimal && sol.score > 0.0) {
      out[static_cast<size_t>(o)] = EfficiencyOf(sol.score, orientation);
    } else if (sol.status == LpStatus::kFailed) {
      return Internal(fmt::format("the LP solver failed on point {}", o + 1));
    }
  }
  return out;
}

}  // namespace fupin::methods
