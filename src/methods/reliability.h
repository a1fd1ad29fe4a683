// Reliability and validity of survey scales (信度与效度): Cronbach's α and standardized α,
// corrected item–total correlations and α if item deleted; Kaiser–Meyer–Olkin measure of
// sampling adequacy (overall and per item) and Bartlett's test of sphericity.
// Rows are respondents, columns are items. Thread-safety: pure functions.
#pragma once

#include "methods/common.h"

namespace fupin::methods {

struct AlphaResult {
  double alpha = 0.0;               // k/(k−1) · (1 − Σ σ²_i / σ²_total)
  double standardized_alpha = 0.0;  // k r̄ / (1 + (k−1) r̄), r̄ = mean inter-item correlation
  Vector item_total_correlation;    // corrected: item vs. the sum of the other items
  Vector alpha_if_deleted;          // α of the other items (NaN when only 2 items)
};

// Errors: fewer than 2 items or 2 respondents, missing values, zero total variance.
Result<AlphaResult> CronbachAlpha(const Matrix& x);

struct KmoResult {
  double kmo = 0.0;   // Σ r²_ij / (Σ r²_ij + Σ p²_ij) over i ≠ j
  Vector msa;         // per item, the same sums over row i
  double chi2 = 0.0;  // −(n − 1 − (2p + 5)/6) · ln |R|
  int df = 0;         // p(p − 1)/2
  double p = 0.0;     // upper tail of χ²(df)
};

// p_ij are partial correlations from the inverse correlation matrix. Errors: fewer than 2
// items or 3 respondents, missing values, a constant item, a singular correlation matrix.
Result<KmoResult> KmoBartlett(const Matrix& x);

}  // namespace fupin::methods
