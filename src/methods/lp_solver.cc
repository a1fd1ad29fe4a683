// LpSolver on COIN-OR Clp (ClpSimplex, dual simplex with the basis kept between solves). The
// only file of fupin that includes Clp headers.
#include "methods/lp_solver.h"

#include <ClpSimplex.hpp>
#include <CoinHelperFunctions.hpp>
#include <vector>

namespace fupin::methods {
namespace {

class ClpLpSolver final : public LpSolver {
 public:
  ClpLpSolver() { Configure(); }

  void Reset(std::span<const double> row_lower, std::span<const double> row_upper) override {
    model_ = ClpSimplex();
    persistent_ = false;
    Configure();
    rows_ = static_cast<int>(row_lower.size());
    model_.resize(rows_, 0);
    for (int r = 0; r < rows_; ++r)
      model_.setRowBounds(r, Bound(row_lower[r]), Bound(row_upper[r]));
  }

  int AddColumn(double lower, double upper, double cost,
                std::span<const double> coefficients) override {
    indices_.clear();
    values_.clear();
    for (int r = 0; r < rows_; ++r) {
      // Explicit zeros are kept so that SetCoefficient can change them later.
      indices_.push_back(r);
      values_.push_back(coefficients[static_cast<size_t>(r)]);
    }
    const CoinBigIndex starts[2] = {0, static_cast<CoinBigIndex>(indices_.size())};
    const double lo = Bound(lower);
    const double up = Bound(upper);
    model_.addColumns(1, &lo, &up, &cost, starts, indices_.data(), values_.data());
    return model_.numberColumns() - 1;
  }

  void SetCoefficient(int row, int col, double value) override {
    model_.modifyCoefficient(row, col, value, /*keepZero=*/true);
  }
  void SetCost(int col, double cost) override { model_.setObjectiveCoefficient(col, cost); }
  void SetColumnBounds(int col, double lower, double upper) override {
    model_.setColumnBounds(col, Bound(lower), Bound(upper));
  }
  void SetRowBounds(int row, double lower, double upper) override {
    model_.setRowBounds(row, Bound(lower), Bound(upper));
  }

  LpStatus Solve() override {
    // Coefficients may have changed since the last solve: let Clp rebuild its working copies
    // (cheap for DEA-sized problems) while keeping the basis.
    if (!persistent_) {
      // Keep work arrays between solves instead of freeing and reallocating them each time
      // (needs a loaded matrix, hence here rather than at construction).
      model_.setPersistenceFlag(2);
      persistent_ = true;
    }
    model_.setWhatsChanged(0);
    model_.dual(0);
    LpStatus status = Status();
    if (status == LpStatus::kOptimal) return status;
    // Confirm any other outcome with primal simplex, then with a cold start.
    model_.setWhatsChanged(0);
    model_.primal(1);
    status = Status();
    if (status != LpStatus::kFailed) return status;
    model_.setWhatsChanged(0);
    model_.allSlackBasis(true);
    model_.initialSolve();
    return Status();
  }

  int Columns() const override { return model_.numberColumns(); }
  double Objective() const override { return model_.objectiveValue(); }
  std::span<const double> Primal() const override {
    return {model_.primalColumnSolution(), static_cast<size_t>(model_.numberColumns())};
  }
  std::span<const double> RowDuals() const override {
    return {model_.dualRowSolution(), static_cast<size_t>(model_.numberRows())};
  }

 private:
  static double Bound(double v) {
    if (v >= kLpInfinity) return COIN_DBL_MAX;
    if (v <= -kLpInfinity) return -COIN_DBL_MAX;
    return v;
  }

  void Configure() {
    model_.setLogLevel(0);
    model_.messageHandler()->setLogLevel(0);
    model_.setPrimalTolerance(1e-9);
    model_.setDualTolerance(1e-9);
    model_.scaling(0);  // callers pass well-scaled data (DEA rescales by column means)
  }

  LpStatus Status() const {
    if (model_.isProvenOptimal()) return LpStatus::kOptimal;
    if (model_.isProvenPrimalInfeasible()) return LpStatus::kInfeasible;
    if (model_.isProvenDualInfeasible()) return LpStatus::kUnbounded;
    return LpStatus::kFailed;
  }

  ClpSimplex model_;
  int rows_ = 0;
  bool persistent_ = false;
  std::vector<int> indices_;
  std::vector<double> values_;
};

}  // namespace

std::unique_ptr<LpSolver> MakeLpSolver() { return std::make_unique<ClpLpSolver>(); }

}  // namespace fupin::methods
