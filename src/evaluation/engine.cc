// The comprehensive-evaluation engine.
#include "evaluation/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/random.h"

namespace fupin::evaluation {

Tree::Tree(std::string root_name) { nodes_.push_back(Node{std::move(root_name), -1, {}, 1.0, -1}); }

int Tree::Add(int parent, std::string name) {
  const int index = size();
  nodes_.push_back(Node{std::move(name), parent, {}, 1.0, -1});
  nodes_[static_cast<size_t>(parent)].children.push_back(index);
  return index;
}

int Tree::MakeLeaf(int node) {
  nodes_[static_cast<size_t>(node)].leaf = leaf_count_;
  leaf_nodes_.push_back(node);
  return leaf_count_++;
}

Status Tree::SetWeights(int node, const std::vector<double>& weights) {
  const auto& children = nodes_[static_cast<size_t>(node)].children;
  auto normalized =
      methods::NormalizeWeights(weights, static_cast<Eigen::Index>(children.size()), "weights");
  if (!normalized) return std::unexpected(normalized.error());
  for (size_t c = 0; c < children.size(); ++c) {
    nodes_[static_cast<size_t>(children[c])].weight = (*normalized)[static_cast<Eigen::Index>(c)];
  }
  return {};
}

std::vector<double> Tree::GlobalWeights() const {
  std::vector<double> global(nodes_.size(), 1.0);
  for (size_t i = 1; i < nodes_.size(); ++i) {
    global[i] = global[static_cast<size_t>(nodes_[i].parent)] * nodes_[i].weight;
  }
  return global;
}

void Tree::SetLocalWeights(const std::vector<double>& local) {
  for (size_t i = 0; i < nodes_.size(); ++i) nodes_[i].weight = local[i];
}

namespace {

void Grade(const GradeScale& scale, NodeOutcome& n) {
  n.score = 0.0;
  for (int g = 0; g < scale.size(); ++g) n.score += n.b_normalized[g] * scale[g].score;
  n.grade = scale.BandOf(n.score);
  n.grades_differ = n.grade != n.grade_by_max_membership;
}

NodeOutcome FromFuzzy(methods::FuzzyResult r, const GradeScale& scale) {
  NodeOutcome n;
  n.b = std::move(r.b);
  n.b_normalized = std::move(r.b_normalized);
  n.grade_by_max_membership = r.grade_index;
  n.ambiguous = r.ambiguous;
  Grade(scale, n);
  return n;
}

}  // namespace

Result<Outcome> Evaluate(const Tree& tree, const GradeScale& scale, const Matrix& leaves,
                         const EvaluationOptions& options) {
  if (leaves.rows() != tree.leaf_count() || leaves.cols() != scale.size()) {
    return InvalidArgument(
        fmt::format("the membership matrix is {}×{}; the tree has {} leaves "
                    "and the scale {} grades",
                    leaves.rows(), leaves.cols(), tree.leaf_count(), scale.size()));
  }
  methods::FuzzyOptions fo;
  fo.op = options.op;
  fo.tie_tolerance = options.tie_tolerance;
  Outcome out;
  out.nodes.resize(static_cast<size_t>(tree.size()));
  std::vector<ErrorDetail> details;
  for (int i = tree.size() - 1; i >= 0; --i) {
    const auto& node = tree.node(i);
    if (node.leaf >= 0) {
      const Vector row = leaves.row(node.leaf).transpose();
      for (int g = 0; g < scale.size(); ++g) {
        if (!std::isfinite(row[g]) || row[g] < 0.0 || row[g] > 1.0 + 1e-12) {
          details.push_back(ErrorDetail{node.leaf + 1, node.name, fmt::format("{}", row[g]),
                                        fmt::format("the membership in grade '{}' must be in "
                                                    "[0, 1]",
                                                    scale[g].name)});
        }
      }
      if (!(row.sum() > 0.0)) {
        details.push_back(
            ErrorDetail{node.leaf + 1, node.name, "0", "the membership row is all zero"});
      }
      if (!details.empty()) continue;
      // A one-criterion composition with weight 1 returns the row itself under every operator.
      auto r = methods::FuzzyEvaluate(Vector::Ones(1), Matrix(row.transpose()), fo);
      if (!r) return std::unexpected(r.error());
      out.nodes[static_cast<size_t>(i)] = FromFuzzy(std::move(*r), scale);
      continue;
    }
    if (node.children.empty()) {
      details.push_back(ErrorDetail{0, node.name, "", "a node with no children is not a leaf"});
      continue;
    }
    if (!details.empty()) continue;
    Matrix r(static_cast<Eigen::Index>(node.children.size()), scale.size());
    Vector w(static_cast<Eigen::Index>(node.children.size()));
    for (size_t c = 0; c < node.children.size(); ++c) {
      const int child = node.children[c];
      const auto& co = out.nodes[static_cast<size_t>(child)];
      r.row(static_cast<Eigen::Index>(c)) =
          (tree.node(child).leaf >= 0 ? co.b : co.b_normalized).transpose();
      w[static_cast<Eigen::Index>(c)] = tree.node(child).weight;
    }
    auto result = methods::FuzzyEvaluate(w, r, fo);
    if (!result) {
      Error e = result.error();
      e.Prefix(fmt::format("node '{}'", node.name));
      return std::unexpected(std::move(e));
    }
    out.nodes[static_cast<size_t>(i)] = FromFuzzy(std::move(*result), scale);
  }
  if (!details.empty()) {
    std::reverse(details.begin(), details.end());
    return InvalidArgument("some leaves have no valid membership row", std::move(details));
  }
  return out;
}

std::vector<Shortfall> Weakest(const Tree& tree, const GradeScale& scale, const Outcome& outcome,
                               int limit) {
  const auto global = tree.GlobalWeights();
  std::vector<Shortfall> all;
  for (int node : tree.leaf_nodes()) {
    const double score = outcome.nodes[static_cast<size_t>(node)].score;
    all.push_back(Shortfall{node, global[static_cast<size_t>(node)], score,
                            global[static_cast<size_t>(node)] * (scale.TopScore() - score)});
  }
  std::stable_sort(all.begin(), all.end(), [](const Shortfall& a, const Shortfall& b) {
    return a.shortfall > b.shortfall;
  });
  if (limit >= 0 && static_cast<int>(all.size()) > limit) all.resize(static_cast<size_t>(limit));
  return all;
}

std::vector<int> RankByScore(const std::vector<Outcome>& outcomes) {
  Vector scores(static_cast<Eigen::Index>(outcomes.size()));
  for (size_t o = 0; o < outcomes.size(); ++o) {
    scores[static_cast<Eigen::Index>(o)] = outcomes[o].overall().score;
  }
  return methods::RankDescending(scores, 1e-12);
}

namespace {

// Type-7 percentile (linear interpolation between order statistics) of sorted values.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

Result<std::vector<ObjectSensitivity>> Sensitivity(const Tree& tree, const GradeScale& scale,
                                                   const std::vector<Matrix>& leaves,
                                                   const std::vector<Outcome>& baseline,
                                                   const EvaluationOptions& options,
                                                   const SensitivityOptions& sensitivity) {
  if (sensitivity.draws < 1 || sensitivity.draws > kMaxDraws) {
    return InvalidArgument(
        fmt::format("the number of draws must be 1 … {}", kMaxDraws),
        {ErrorDetail{0, "draws", fmt::format("{}", sensitivity.draws), "out of range"}});
  }
  if (!(sensitivity.spread >= 0.0 && sensitivity.spread < 1.0)) {
    return InvalidArgument(
        "the spread must be in [0, 1)",
        {ErrorDetail{0, "spread", fmt::format("{}", sensitivity.spread), "out of range"}});
  }
  if (leaves.size() != baseline.size() || leaves.empty()) {
    return InvalidArgument("one baseline outcome per object is needed");
  }
  const size_t objects = leaves.size();
  const size_t n = static_cast<size_t>(tree.size());
  const auto grades = static_cast<size_t>(scale.size());
  const auto base_ranks = RankByScore(baseline);

  std::vector<ObjectSensitivity> out(objects);
  std::vector<std::vector<double>> overall_scores(objects);
  for (size_t o = 0; o < objects; ++o) {
    out[o].nodes.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (tree.node(static_cast<int>(i)).leaf >= 0) continue;
      auto& ns = out[o].nodes[i];
      ns.grade_probability.assign(grades, 0.0);
      ns.score_min = std::numeric_limits<double>::infinity();
      ns.score_max = -std::numeric_limits<double>::infinity();
    }
    out[o].rank_probability.assign(objects, 0.0);
    out[o].rank_min = static_cast<int>(objects);
    out[o].rank_max = 1;
    overall_scores[o].reserve(static_cast<size_t>(sensitivity.draws));
  }

  Rng rng(sensitivity.seed);
  Tree perturbed = tree;
  std::vector<double> local(n, 1.0);
  std::vector<Outcome> draw(objects);
  for (int d = 0; d < sensitivity.draws; ++d) {
    for (size_t i = 1; i < n; ++i) {
      const double u = rng.NextDouble();
      local[i] = tree.node(static_cast<int>(i)).weight *
                 (1.0 - sensitivity.spread + 2.0 * sensitivity.spread * u);
    }
    for (size_t i = 0; i < n; ++i) {
      const auto& children = tree.node(static_cast<int>(i)).children;
      double sum = 0.0;
      for (int c : children) sum += local[static_cast<size_t>(c)];
      if (sum > 0.0) {
        for (int c : children) local[static_cast<size_t>(c)] /= sum;
      }
    }
    perturbed.SetLocalWeights(local);
    for (size_t o = 0; o < objects; ++o) {
      auto r = Evaluate(perturbed, scale, leaves[o], options);
      if (!r) return std::unexpected(r.error());
      draw[o] = std::move(*r);
      for (size_t i = 0; i < n; ++i) {
        auto& ns = out[o].nodes[i];
        if (ns.grade_probability.empty()) continue;
        const auto& no = draw[o].nodes[i];
        ns.grade_probability[static_cast<size_t>(no.grade)] += 1.0;
        ns.score_mean += no.score;
        ns.score_min = std::min(ns.score_min, no.score);
        ns.score_max = std::max(ns.score_max, no.score);
      }
      overall_scores[o].push_back(draw[o].overall().score);
    }
    const auto ranks = RankByScore(draw);
    for (size_t o = 0; o < objects; ++o) {
      auto& os = out[o];
      os.rank_probability[static_cast<size_t>(ranks[o] - 1)] += 1.0;
      os.rank_min = std::min(os.rank_min, ranks[o]);
      os.rank_max = std::max(os.rank_max, ranks[o]);
      os.rank_mean += ranks[o];
    }
  }
  const double draws = sensitivity.draws;
  for (size_t o = 0; o < objects; ++o) {
    auto& os = out[o];
    for (size_t i = 0; i < n; ++i) {
      auto& ns = os.nodes[i];
      if (ns.grade_probability.empty()) continue;
      for (auto& p : ns.grade_probability) p /= draws;
      ns.score_mean /= draws;
      ns.baseline_grade_probability =
          ns.grade_probability[static_cast<size_t>(baseline[o].nodes[i].grade)];
    }
    for (auto& p : os.rank_probability) p /= draws;
    os.rank_mean /= draws;
    os.baseline_rank_probability = os.rank_probability[static_cast<size_t>(base_ranks[o] - 1)];
    std::sort(overall_scores[o].begin(), overall_scores[o].end());
    os.score_p05 = Percentile(overall_scores[o], 0.05);
    os.score_p95 = Percentile(overall_scores[o], 0.95);
  }
  return out;
}

}  // namespace fupin::evaluation
