// A whole comprehensive evaluation described as data (the input of `fupin evaluate`, and the
// shape an evaluation run resolves its indicator system into): a grade scale, a composition
// operator and a tree whose inner nodes say how their children are weighted (given values or
// expert AHP judgments) and whose leaves say how their membership row is obtained (given,
// from response counts per grade, or from a value under a scoring rule).
// Prepare() resolves the weights (running AHP through the methods library and keeping every
// expert's result) and the leaf rows, giving the engine's Tree and leaf matrix.
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "evaluation/engine.h"
#include "evaluation/grade_scale.h"
#include "methods/ahp.h"

namespace fupin::evaluation {

struct AhpWeighting {
  std::vector<Matrix> matrices;  // one per expert; NaN = a missing comparison
  methods::GroupAhpOptions options;
};

struct WeightSpec {
  enum class Kind { kValues, kAhp };
  Kind kind = Kind::kValues;
  std::vector<double> values;
  AhpWeighting ahp;
};

struct LeafSpec {
  enum class Kind { kMembership, kResponses, kValue };
  Kind kind = Kind::kMembership;
  std::vector<double> numbers;  // the membership row or the response counts
  double value = 0.0;
  ScoringRule rule;
};

struct NodeSpec {
  std::string name;
  std::string path;  // where the node is in the input ("root.children[1]"), for messages
  std::optional<WeightSpec> weights;  // unset: allowed only with a single child (weight 1)
  std::vector<NodeSpec> children;
  std::optional<LeafSpec> leaf;  // leaves only
};

struct Spec {
  GradeScale scale;
  EvaluationOptions options;
  NodeSpec root;
};

// How a node's children's weights were obtained.
struct WeightRecord {
  int node = 0;
  WeightSpec::Kind kind = WeightSpec::Kind::kValues;
  std::vector<double> weights;                 // normalized, one per child
  std::optional<methods::GroupAhpResult> ahp;  // AHP only
};

struct Prepared {
  Tree tree;
  Matrix leaves;                        // leaf_count × grades
  std::vector<WeightRecord> weighting;  // one per inner node, in tree order
  std::vector<std::string> paths;       // per tree node
};

// Errors are kInvalidArgument with details whose `column` is the input path of the offending
// item ("root.children[0].weights.ahp[1]", "root.children[2].responses") and whose reason
// names the node.
Result<Prepared> Prepare(const Spec& spec);

}  // namespace fupin::evaluation
