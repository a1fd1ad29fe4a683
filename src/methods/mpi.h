// Alkire–Foster multidimensional poverty index (多维贫困指数, Alkire & Foster 2011): the
// adjusted headcount ratio M0 = H × A with dual cutoffs, censored and uncensored headcounts,
// indicator contributions, breakdown by group, and optional sampling weights per row.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "methods/common.h"

namespace fupin::methods {

struct MpiOptions {
  std::vector<double> weights;           // per indicator; empty = equal; normalized to sum 1
  double k = 1.0 / 3.0;                  // poverty cutoff in (0, 1]: poor when c_i ≥ k
  std::vector<double> sampling_weights;  // per row; empty = 1 each
  std::vector<int> groups;               // per row, 0-based group index; empty = no breakdown
  int group_count = 0;
};

struct MpiGroupResult {
  double population_share = 0.0;
  double H = 0.0;
  double A = 0.0;
  double M0 = 0.0;
  double contribution = 0.0;  // share_g · M0_g / M0 (0 when M0 = 0)
};

struct MpiResult {
  double H = 0.0;   // headcount ratio q / n
  double A = 0.0;   // intensity: mean deprivation score among the poor (0 when nobody is poor)
  double M0 = 0.0;  // H · A = Σ_j w_j h_j
  Vector censored_headcounts;    // h_j: share of people poor and deprived in j
  Vector uncensored_headcounts;  // share of people deprived in j
  Vector contributions;          // w_j h_j / M0 (0 when M0 = 0)
  Vector scores;                 // deprivation score c_i per row
  std::vector<bool> poor;        // c_i ≥ k (with 1e-9 tolerance)
  Vector weights;                // indicator weights used (sum 1)
  std::vector<MpiGroupResult> groups;
};

// `deprivations` is n people × d indicators of 0 (not deprived) or 1 (deprived). Errors: a
// value other than 0/1, k outside (0, 1], weights or sampling weights of the wrong length or
// negative, a zero total sampling weight.
Result<MpiResult> AlkireFoster(const Matrix& deprivations, const MpiOptions& options);

}  // namespace fupin::methods
