// Shared vocabulary of the evaluation-methods library (namespace fupin::methods).
//
// The library is pure numerics: functions take Eigen matrices and plain option structs and
// return Result<...> values; nothing here logs, reads files or touches a database. Rows of a
// data matrix are alternatives (DMUs, respondents, regions), columns are criteria (indicators,
// items). Errors are kInvalidArgument with ErrorDetail entries whose `row` is the 1-based row of
// the matrix (0 when not tied to a row) and whose `column` is "#c" with c the 1-based column;
// callers that know the file (the CLI) translate both into file lines and header names.
// Thread-safety: every function is reentrant; no shared state.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "base/error.h"

namespace fupin::methods {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Detail for one cell (0-based indices in, 1-based out) or one column (row_index < 0).
ErrorDetail CellDetail(Eigen::Index row_index, Eigen::Index col_index, double value,
                       std::string reason);
ErrorDetail ColumnDetail(Eigen::Index col_index, std::string reason);

// Competition ranking of `values`, largest first ("1224"): equal values (within `tolerance`
// relative to the largest magnitude) share the best rank. Returns 1-based ranks.
std::vector<int> RankDescending(const Vector& values, double tolerance = 1e-12);

// Checks that every entry is finite; returns the first offending cell.
Status CheckFinite(const Matrix& x);

// Sample standard deviation (n − 1 denominator) of each column.
Vector ColumnSampleStdDev(const Matrix& x);

// Pearson correlation matrix of the columns; a constant column correlates 0 with the others
// and 1 with itself.
Matrix CorrelationMatrix(const Matrix& x);

// Validates a weight vector: `n` entries, finite, non-negative, positive sum; returns it
// normalized to sum 1. `what` names the weights in messages ("weights", "expert weights").
Result<Vector> NormalizeWeights(const std::vector<double>& weights, Eigen::Index n,
                                const std::string& what);

}  // namespace fupin::methods
