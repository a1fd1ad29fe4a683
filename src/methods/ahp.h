// Analytic Hierarchy Process (层次分析法): priority weights from a pairwise comparison matrix,
// consistency (λmax, CI, CR against a selectable random-index table), optimal completion of
// incomplete matrices (Bozóki, Fülöp & Rónyai 2010), consistency help, and group AHP.
//
// A judgment matrix is n×n with a_ij = how many times criterion i is more important than j.
// Missing judgments are NaN. Where only one of a_ij, a_ji is given the other is its reciprocal;
// where both are given they must be reciprocal within `reciprocity_tolerance` and the upper
// triangle (i < j) is kept. Values outside Saaty's 1/9..9 scale are accepted with a warning.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "methods/common.h"

namespace fupin::methods {

enum class AhpWeightMethod {
  kEigenvector,     // principal (Perron) eigenvector, normalized to sum 1 — default
  kGeometricMean,   // row geometric mean, normalized (方根法)
  kArithmeticMean,  // columns normalized to sum 1, then row means (和积法)
};

enum class RandomIndexTable {
  kSaaty1980,    // Saaty (1980), n = 1..15 — default
  kSaaty2005,    // Saaty (2005) as quoted by most Chinese texts, n = 1..15
  kDoneganDodd,  // Donegan & Dodd (1991), n = 1..15
};

std::string_view AhpWeightMethodName(AhpWeightMethod method);   // "eigen", "geometric", ...
std::string_view RandomIndexTableName(RandomIndexTable table);  // "saaty1980", ...

// RI(n) of the table. n = 1, 2 → 0. kInvalidArgument when the table does not cover n.
Result<double> RandomIndex(RandomIndexTable table, int n);
inline constexpr int kMaxAhpSize = 15;

struct AhpOptions {
  AhpWeightMethod weight_method = AhpWeightMethod::kEigenvector;
  RandomIndexTable ri_table = RandomIndexTable::kSaaty1980;
  // |a_ij · a_ji − 1| allowed when both are given (0.33 for 1/3 passes, 0.3 does not).
  double reciprocity_tolerance = 0.02;
  // CR below this is consistent (with 1e-9 tolerance: CR within 1e-9 of it is not).
  double cr_threshold = 0.1;
  // How many judgments the consistency help names when CR ≥ cr_threshold.
  int max_suggestions = 3;
};

struct AhpWarning {
  int row = 0;  // 0-based
  int col = 0;
  double value = 0.0;
  std::string reason;
};

// A missing judgment filled by the λmax-minimizing completion.
struct CompletedJudgment {
  int row = 0;  // 0-based, row < col
  int col = 0;
  double value = 0.0;
};

// Consistency help: changing a_{row,col} to `suggested` (the value that makes it most
// consistent with the other judgments: the λmax-minimizing value when it is left out) lowers
// CR to `cr_after`.
struct JudgmentSuggestion {
  int row = 0;  // 0-based, row < col
  int col = 0;
  double current = 0.0;
  double suggested = 0.0;
  double cr_after = 0.0;
};

struct AhpResult {
  Vector weights;           // sum 1
  double lambda_max = 0.0;  // eigenvector: Perron root; others: mean of (Aw)_i / w_i
  double ci = 0.0;          // (λmax − n) / (n − 1); 0 for n ≤ 2
  double ri = 0.0;
  double cr = 0.0;          // CI / RI; 0 for n ≤ 2
  bool consistent = true;   // CR < cr_threshold
  Matrix completed_matrix;  // the reciprocal matrix actually used
  std::vector<CompletedJudgment> completed;
  std::vector<JudgmentSuggestion> suggestions;  // best first; empty when consistent
  std::vector<AhpWarning> warnings;
};

// Perron root of a positive square matrix by power iteration; `vector` (if given) receives the
// principal eigenvector normalized to sum 1.
double PerronEigenvalue(const Matrix& a, Vector* vector = nullptr);

// Validates and makes the matrix reciprocal (see header comment); NaN stays for missing pairs.
// Errors: not square, n < 1 or n > kMaxAhpSize, non-positive entries, diagonal ≠ 1,
// non-reciprocal pairs (each named). Warnings: entries outside 1/9..9.
Result<Matrix> ReciprocalMatrix(const Matrix& judgments, const AhpOptions& options,
                                std::vector<AhpWarning>* warnings);

// Completes the missing entries of a reciprocal matrix (NaN) by minimizing λmax with the
// cyclic coordinate method of Bozóki, Fülöp & Rónyai (2010). A comparison graph that is not
// connected is kInvalidArgument naming the criteria (0-based in the detail `value`s) that are
// not linked to criterion 1.
Result<Matrix> CompleteByMinLambda(const Matrix& reciprocal,
                                   std::vector<CompletedJudgment>* completed);

// Full AHP on one judgment matrix.
Result<AhpResult> Ahp(const Matrix& judgments, const AhpOptions& options = {});

// Weights of a complete reciprocal matrix by the chosen method, and λmax per the method.
Vector AhpWeights(const Matrix& complete, AhpWeightMethod method, double* lambda_max);

enum class GroupAggregation {
  kAij,            // aggregation of individual judgments: weighted geometric mean of matrices
  kAipGeometric,   // aggregation of individual priorities: weighted geometric mean, renormalized
  kAipArithmetic,  // aggregation of individual priorities: weighted arithmetic mean
};
std::string_view GroupAggregationName(GroupAggregation aggregation);  // "aij", ...

struct GroupAhpOptions {
  AhpOptions ahp;
  GroupAggregation aggregation = GroupAggregation::kAij;
  std::vector<double> expert_weights;  // empty = equal; normalized over the kept experts
  std::optional<double> max_cr;        // experts with CR > max_cr are excluded
};

struct GroupAhpResult {
  Vector weights;
  std::vector<AhpResult> experts;  // each expert's own result (completed if incomplete)
  std::vector<int> excluded;       // 0-based experts excluded by max_cr
  Vector used_expert_weights;      // per expert, 0 for excluded, sum 1
  // For AIJ: the result on the aggregated matrix (weights, λmax, CI, CR...). For AIP: unset.
  std::optional<AhpResult> aggregated;
};

Result<GroupAhpResult> GroupAhp(const std::vector<Matrix>& judgments,
                                const GroupAhpOptions& options = {});

}  // namespace fupin::methods
