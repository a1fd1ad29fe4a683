// Objective weighting from data (客观赋权): entropy weight, CRITIC, coefficient of variation,
// and the combination of subjective and objective weights (组合赋权).
//
// Data matrices are m alternatives (rows) × n criteria (columns). `cost[j]` marks a criterion
// where smaller is better; it matters wherever the data are min-max normalized.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "methods/common.h"

namespace fupin::methods {

enum class EntropyNormalization {
  kMinMax,  // benefit (x − min)/(max − min), cost (max − x)/(max − min) — default
  kNone,    // raw data (must then be non-negative, or use ZeroHandling::kShift)
};
enum class ZeroHandling {
  kIgnore,  // 0·ln 0 = 0 — default
  kShift,   // a column holding a value ≤ 0 is shifted by |min| + 0.01 before the proportions
};
std::string_view EntropyNormalizationName(EntropyNormalization normalization);  // "minmax"
std::string_view ZeroHandlingName(ZeroHandling zero);                           // "ignore"

struct EntropyOptions {
  EntropyNormalization normalization = EntropyNormalization::kMinMax;
  ZeroHandling zero = ZeroHandling::kIgnore;
  std::vector<bool> cost;  // empty = all benefit
};

struct EntropyResult {
  Vector weights;     // d_j / Σ d
  Vector entropy;     // e_j = −(1/ln m) Σ_i p_ij ln p_ij
  Vector divergence;  // d_j = 1 − e_j
};

// Entropy weights. Errors: fewer than 2 rows, non-finite cells, negative values without
// shift, a column summing to 0, every column of entropy 1 (no information).
Result<EntropyResult> EntropyWeights(const Matrix& x, const EntropyOptions& options = {});

// Min-max normalization to [0, 1] with cost columns reversed; a constant column becomes 1.
Matrix MinMaxNormalize(const Matrix& x, const std::vector<bool>& cost);

struct CriticResult {
  Vector weights;      // C_j / Σ C
  Vector std_dev;      // σ_j of the normalized column (sample, n − 1)
  Vector conflict;     // Σ_k (1 − r_jk)
  Vector information;  // C_j = σ_j · Σ_k (1 − r_jk)
};

// CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995): min-max normalization with cost columns
// reversed, sample standard deviation, Pearson correlation of the normalized columns.
Result<CriticResult> CriticWeights(const Matrix& x, const std::vector<bool>& cost = {});

struct CvResult {
  Vector weights;  // v_j / Σ v
  Vector mean;
  Vector std_dev;  // sample (n − 1)
  Vector cv;       // σ_j / |mean_j|
};

// Coefficient-of-variation weights on the raw data. Errors: a column with mean 0.
Result<CvResult> CvWeights(const Matrix& x);

// Linear combination α·subjective + (1 − α)·objective (both normalized to sum 1 first),
// α in [0, 1].
Result<Vector> CombineLinear(const std::vector<double>& subjective,
                             const std::vector<double>& objective, double alpha);
// Multiplicative combination w_j = s_j·o_j / Σ_k s_k·o_k.
Result<Vector> CombineMultiplicative(const std::vector<double>& subjective,
                                     const std::vector<double>& objective);

}  // namespace fupin::methods
