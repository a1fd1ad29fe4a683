// The comprehensive-evaluation engine (综合评价): multi-level fuzzy comprehensive evaluation of
// one or more objects over a weighted indicator tree, with grades by score band and by maximum
// membership, the weakest indicators, ranking of objects, and Monte Carlo sensitivity of grades
// and ranks to the weights.
//
// The tree's leaves are indicators; each object supplies one membership row per leaf (a matrix
// leaves × grades). An inner node's B is the composition (methods::FuzzyEvaluate, with the
// chosen operator) of its children's rows under its children's weights; a leaf's row enters
// its parent as given, an inner node's B normalized to sum 1. Every node's score is
// S = B̂·v (B̂ the normalized B, v the grades' representative scores), its grade the band S
// falls in; the maximum-membership grade is reported beside it and flagged when they differ.
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "evaluation/grade_scale.h"
#include "methods/fuzzy.h"

namespace fupin::evaluation {

// An indicator tree with local weights. Nodes are kept in the order they were added, so a
// parent always comes before its children; nodes[0] is the root.
class Tree {
 public:
  struct Node {
    std::string name;
    int parent = -1;
    std::vector<int> children;
    double weight = 1.0;  // among its siblings; the root's is 1
    int leaf = -1;        // row of the leaf matrix; −1 for inner nodes
  };

  Tree() = default;
  explicit Tree(std::string root_name);

  // Adds a child (weight 1 until SetWeights) and returns its index.
  int Add(int parent, std::string name);
  // Marks a childless node as a leaf and gives it the next leaf row. Returns that row.
  int MakeLeaf(int node);
  // Sets the weights of a node's children (non-negative, positive sum), normalized to sum 1.
  Status SetWeights(int node, const std::vector<double>& weights);

  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(int i) const { return nodes_[static_cast<size_t>(i)]; }
  int size() const { return static_cast<int>(nodes_.size()); }
  int leaf_count() const { return leaf_count_; }
  // Leaf row → node index.
  const std::vector<int>& leaf_nodes() const { return leaf_nodes_; }
  // Product of the local weights from the root down to each node.
  std::vector<double> GlobalWeights() const;
  // The tree with every node's children's weights replaced (used by the sensitivity analysis);
  // `local` holds one weight per node, normalized within each sibling group by the caller.
  void SetLocalWeights(const std::vector<double>& local);

 private:
  std::vector<Node> nodes_;
  std::vector<int> leaf_nodes_;
  int leaf_count_ = 0;
};

struct EvaluationOptions {
  methods::FuzzyOperator op = methods::FuzzyOperator::kWeightedAverage;
  // The top two normalized memberships closer than this mark the maximum-membership grade as
  // ambiguous.
  double tie_tolerance = 0.01;
};

struct NodeOutcome {
  Vector b;             // as the operator gives it; for a leaf its membership row
  Vector b_normalized;  // b / Σb
  double score = 0.0;   // b_normalized · grade scores
  int grade = 0;        // 0-based band of the score
  int grade_by_max_membership = 0;
  bool grades_differ = false;  // grade ≠ grade_by_max_membership
  bool ambiguous = false;      // the top two normalized memberships are within tie_tolerance
};

// One object's outcome, indexed like Tree::nodes().
struct Outcome {
  std::vector<NodeOutcome> nodes;
  const NodeOutcome& overall() const { return nodes.front(); }
};

// Evaluates one object. `leaves` is leaf_count × grades with entries in [0, 1]. Errors name the
// leaf (detail row = 1-based leaf row, column = the node's name).
Result<Outcome> Evaluate(const Tree& tree, const GradeScale& scale, const Matrix& leaves,
                         const EvaluationOptions& options = {});

// A leaf's weighted shortfall: global weight × (top grade's score − the leaf's score), the
// points the indicator costs the overall score.
struct Shortfall {
  int node = 0;
  double global_weight = 0.0;
  double score = 0.0;
  double shortfall = 0.0;
};
// The `limit` leaves with the largest shortfall, largest first (ties in tree order).
std::vector<Shortfall> Weakest(const Tree& tree, const GradeScale& scale, const Outcome& outcome,
                               int limit);

// Competition ranks (1 = best, ties share the best rank) of the objects by overall score.
std::vector<int> RankByScore(const std::vector<Outcome>& outcomes);

struct SensitivityOptions {
  int draws = 1000;     // 1 … kMaxDraws
  double spread = 0.1;  // each local weight × a uniform factor in [1 − spread, 1 + spread]
  uint64_t seed = 1;

  friend bool operator==(const SensitivityOptions&, const SensitivityOptions&) = default;
};
inline constexpr int kMaxDraws = 100000;

struct NodeSensitivity {
  std::vector<double> grade_probability;  // share of draws in each grade's band
  double baseline_grade_probability = 0.0;
  double score_mean = 0.0;
  double score_min = 0.0;
  double score_max = 0.0;
};

struct ObjectSensitivity {
  std::vector<NodeSensitivity> nodes;  // indexed like the tree; empty entries for leaves
  double score_p05 = 0.0;              // overall score, 5th and 95th percentiles (type 7)
  double score_p95 = 0.0;
  // Ranks (only meaningful with several objects): probability of each rank 1..objects,
  // probability of keeping the baseline rank, the range of ranks seen, the mean rank.
  std::vector<double> rank_probability;
  double baseline_rank_probability = 0.0;
  int rank_min = 0;
  int rank_max = 0;
  double rank_mean = 0.0;
};

// Perturbs every local weight by an independent uniform factor in [1 − spread, 1 + spread],
// renormalizes each sibling group, and re-evaluates every object with the same weights per
// draw. Deterministic for a seed (fupin::Rng, SplitMix64; factors drawn in node order per draw).
// `baseline` holds each object's unperturbed outcome.
Result<std::vector<ObjectSensitivity>> Sensitivity(const Tree& tree, const GradeScale& scale,
                                                   const std::vector<Matrix>& leaves,
                                                   const std::vector<Outcome>& baseline,
                                                   const EvaluationOptions& options,
                                                   const SensitivityOptions& sensitivity);

}  // namespace fupin::evaluation
