// Grey relational analysis (灰色关联分析, Deng 1982): relational grade of each alternative
// to the reference sequence of ideal values.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "methods/common.h"

namespace fupin::methods {

enum class GreyPreprocessing {
  kMinMax,        // benefit (x − min)/(max − min), cost (max − x)/(max − min) — default
  kInitialValue,  // x_ij / x_1j (the first row)
  kMean,          // x_ij / mean_j
};
std::string_view GreyPreprocessingName(GreyPreprocessing preprocessing);  // "minmax", ...

struct GreyOptions {
  double rho = 0.5;  // distinguishing coefficient, in (0, 1]
  GreyPreprocessing preprocessing = GreyPreprocessing::kMinMax;
  std::vector<double> weights;  // empty = equal; normalized to sum 1
  std::vector<bool> cost;       // empty = all benefit
};

struct GreyResult {
  Matrix coefficients;    // ξ_ij = (Δmin + ρΔmax) / (Δ_ij + ρΔmax), global Δmin, Δmax
  Vector grades;          // γ_i = Σ_j w_j ξ_ij
  std::vector<int> rank;  // 1 = best; ties share the best rank
  Vector reference;       // the reference (ideal) sequence after preprocessing
  Vector weights;
};

// Reference = per column the maximum (benefit) or minimum (cost) of the preprocessed data
// (for min-max that is 1 for every column). Δmax = 0 (all rows equal the reference) gives ξ = 1.
Result<GreyResult> GreyRelational(const Matrix& x, const GreyOptions& options = {});

}  // namespace fupin::methods
