// A small linear-programming interface for the methods library, so that DEA does not depend
// on a particular solver: minimize cᵀx subject to row_lower ≤ Ax ≤ row_upper and
// col_lower ≤ x ≤ col_upper. The one implementation (lp_solver.cc) wraps COIN-OR Clp's dual
// simplex and keeps its basis between solves, so a sequence of closely related problems (one
// DMU after another) is warm-started.
// Thread-safety: one solver per thread.
#pragma once

#include <memory>
#include <span>

namespace fupin::methods {

enum class LpStatus { kOptimal, kInfeasible, kUnbounded, kFailed };

inline constexpr double kLpInfinity = 1e300;

class LpSolver {
 public:
  virtual ~LpSolver() = default;

  // Starts a new problem with `rows` constraints and no columns.
  virtual void Reset(std::span<const double> row_lower, std::span<const double> row_upper) = 0;
  // Appends a column with its bounds, cost and dense coefficients (one per row); returns its
  // index.
  virtual int AddColumn(double lower, double upper, double cost,
                        std::span<const double> coefficients) = 0;
  virtual void SetCoefficient(int row, int col, double value) = 0;
  virtual void SetCost(int col, double cost) = 0;
  virtual void SetColumnBounds(int col, double lower, double upper) = 0;
  virtual void SetRowBounds(int row, double lower, double upper) = 0;

  // Solves from the current basis.
  virtual LpStatus Solve() = 0;

  virtual int Columns() const = 0;
  virtual double Objective() const = 0;
  virtual std::span<const double> Primal() const = 0;
  // Row duals y with reduced costs d = c − Aᵀy (minimization).
  virtual std::span<const double> RowDuals() const = 0;
};

// The Clp-backed solver.
std::unique_ptr<LpSolver> MakeLpSolver();

}  // namespace fupin::methods
