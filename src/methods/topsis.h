// TOPSIS (Hwang & Yoon 1981): closeness of each alternative to the ideal solution.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "methods/common.h"

namespace fupin::methods {

enum class TopsisNormalization {
  kVector,  // r_ij = x_ij / sqrt(Σ_i x_ij²); cost criteria take the minimum as ideal — default
  kMinMax,  // benefit (x − min)/(max − min), cost (max − x)/(max − min); ideal 1, anti-ideal 0
};
std::string_view TopsisNormalizationName(TopsisNormalization normalization);  // "vector"

struct TopsisOptions {
  TopsisNormalization normalization = TopsisNormalization::kVector;
  std::vector<double> weights;  // empty = equal; normalized to sum 1
  std::vector<bool> cost;       // empty = all benefit
};

struct TopsisResult {
  Vector closeness;  // D− / (D+ + D−); 0.5 when D+ + D− = 0 (the alternative is both ideals)
  Vector d_plus;
  Vector d_minus;
  std::vector<int> rank;  // 1 = best; ties share the best rank (1, 1, 3)
  Vector weights;         // as used (sum 1)
};

// Constant columns are handled without NaN: an all-zero column normalizes to 0 (vector), a
// constant column to 0 (min-max); either way it adds nothing to D+ or D−.
Result<TopsisResult> Topsis(const Matrix& x, const TopsisOptions& options = {});

}  // namespace fupin::methods
