// Fuzzy comprehensive evaluation (模糊综合评价): B = A ∘ R for a weight vector A over criteria
// and a membership matrix R (criteria × grades), with a selectable composition operator,
// multi-level evaluation (criteria of sub-criteria), and membership built from raw survey
// responses (share of respondents choosing each grade).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "methods/common.h"

namespace fupin::methods {

enum class FuzzyOperator {
  kWeightedAverage,  // M(·,⊕): b_j = min(1, Σ_i a_i r_ij) — default
  kMinMax,           // M(∧,∨): b_j = max_i min(a_i, r_ij)
  kProductMax,       // M(·,∨): b_j = max_i a_i r_ij
  kMinBoundedSum,    // M(∧,⊕): b_j = min(1, Σ_i min(a_i, r_ij))
};
std::string_view FuzzyOperatorName(FuzzyOperator op);  // "weighted-average", "min-max", ...

struct FuzzyOptions {
  FuzzyOperator op = FuzzyOperator::kWeightedAverage;
  std::vector<double> grade_scores;  // empty = no score; else one per grade
  // The top two normalized memberships closer than this flag the grade as ambiguous.
  double tie_tolerance = 0.01;
};

struct FuzzyResult {
  Vector b;                     // as the operator gives it
  Vector b_normalized;          // b / Σ b
  int grade_index = 0;          // 0-based, maximum membership (first of equal maxima)
  bool ambiguous = false;       // top two normalized memberships within tie_tolerance
  std::optional<double> score;  // Σ b_normalized_j · score_j
};

// Weights are used as given (validated non-negative; not renormalized, since the max-min
// operators depend on their scale; the CLI normalizes them to sum 1). Membership entries must
// be in [0, 1].
Result<FuzzyResult> FuzzyEvaluate(const Vector& weights, const Matrix& membership,
                                  const FuzzyOptions& options = {});

// Node of a multi-level evaluation: a leaf carries a membership row over the grades; an inner
// node's row is the normalized result B of its children.
struct FuzzyNode {
  std::string name;
  double weight = 0.0;  // weight among its siblings
  Vector membership;    // leaves only
  std::vector<FuzzyNode> children;
};

struct FuzzyNodeResult {
  std::string name;
  FuzzyResult result;  // for a leaf: its own row taken as B
  std::vector<FuzzyNodeResult> children;
};

// Evaluates the tree bottom-up with the same operator at every level.
Result<FuzzyNodeResult> FuzzyEvaluateTree(const FuzzyNode& root, const FuzzyOptions& options = {});

// Membership matrix (questions × grades) from responses stored row-major
// (respondents × questions), each a 0-based grade code or −1 for no answer: r_qg = share of
// the answering respondents of question q who chose grade g. Errors: a code ≥ grades or < −1
// (naming respondent row and question), a question nobody answered.
Result<Matrix> MembershipFromResponses(std::span<const int8_t> codes, int64_t respondents,
                                       int questions, int grades);

}  // namespace fupin::methods
