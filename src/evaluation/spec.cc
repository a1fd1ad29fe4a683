// Resolution of an evaluation spec into the engine's tree and leaf rows.
#include "evaluation/spec.h"

#include <fmt/format.h>

#include <cmath>

namespace fupin::evaluation {

namespace {

ErrorDetail At(const std::string& path, std::string value, std::string reason) {
  return ErrorDetail{0, path, std::move(value), std::move(reason)};
}

struct Builder {
  const Spec& spec;
  Prepared out;
  std::vector<std::vector<double>> rows;
  std::vector<ErrorDetail> details;

  void Weights(const NodeSpec& n, int index) {
    WeightRecord record;
    record.node = index;
    const size_t k = n.children.size();
    if (!n.weights) {
      if (k != 1) {
        details.push_back(At(n.path + ".weights", "",
                             fmt::format("'{}' has {} children and no weights", n.name, k)));
        return;
      }
      record.weights = {1.0};
    } else if (n.weights->kind == WeightSpec::Kind::kValues) {
      record.kind = WeightSpec::Kind::kValues;
      if (n.weights->values.size() != k) {
        details.push_back(At(n.path + ".weights.values",
                             fmt::format("{}", n.weights->values.size()),
                             fmt::format("'{}' has {} children but {} weights", n.name, k,
                                         n.weights->values.size())));
        return;
      }
      auto w =
          methods::NormalizeWeights(n.weights->values, static_cast<Eigen::Index>(k), "weights");
      if (!w) {
        details.push_back(At(n.path + ".weights.values", "",
                             fmt::format("the weights of '{}': {}", n.name, w.error().message)));
        return;
      }
      record.weights.assign(w->data(), w->data() + w->size());
    } else {
      record.kind = WeightSpec::Kind::kAhp;
      const auto& ahp = n.weights->ahp;
      if (ahp.matrices.empty()) {
        details.push_back(At(n.path + ".weights.ahp", "", "no judgment matrix is given"));
        return;
      }
      for (size_t e = 0; e < ahp.matrices.size(); ++e) {
        const auto& m = ahp.matrices[e];
        if (m.rows() != static_cast<Eigen::Index>(k) || m.cols() != static_cast<Eigen::Index>(k)) {
          details.push_back(
              At(fmt::format("{}.weights.ahp[{}]", n.path, e),
                 fmt::format("{}×{}", m.rows(), m.cols()),
                 fmt::format("'{}' has {} children: the matrix must be {}×{}", n.name, k, k, k)));
        }
      }
      if (!details.empty()) return;
      auto group = methods::GroupAhp(ahp.matrices, ahp.options);
      if (!group) {
        std::string reason = group.error().message;
        for (const auto& d : group.error().details) {
          reason += fmt::format("; {}: {}",
                                d.column.empty() ? fmt::format("row {}", d.row)
                                                 : fmt::format("{} row {}", d.column, d.row),
                                d.reason);
        }
        details.push_back(At(n.path + ".weights.ahp", "",
                             fmt::format("the judgments of '{}': {}", n.name, reason)));
        return;
      }
      record.weights.assign(group->weights.data(), group->weights.data() + group->weights.size());
      record.ahp = std::move(*group);
    }
    if (auto s = out.tree.SetWeights(index, record.weights); !s) {
      details.push_back(At(n.path + ".weights", "", s.error().message));
      return;
    }
    out.weighting.push_back(std::move(record));
  }

  void Leaf(const NodeSpec& n, int index) {
    const int grades = spec.scale.size();
    if (!n.leaf) {
      details.push_back(At(n.path, "",
                           fmt::format("'{}' has neither children nor a membership, responses "
                                       "or value",
                                       n.name)));
      return;
    }
    out.tree.MakeLeaf(index);
    std::vector<double> row(static_cast<size_t>(grades), 0.0);
    const LeafSpec& leaf = *n.leaf;
    switch (leaf.kind) {
      case LeafSpec::Kind::kMembership:
      case LeafSpec::Kind::kResponses: {
        const bool responses = leaf.kind == LeafSpec::Kind::kResponses;
        const std::string field = n.path + (responses ? ".responses" : ".membership");
        if (static_cast<int>(leaf.numbers.size()) != grades) {
          details.push_back(At(field, fmt::format("{}", leaf.numbers.size()),
                               fmt::format("'{}' gives {} numbers for {} grades", n.name,
                                           leaf.numbers.size(), grades)));
          break;
        }
        double total = 0.0;
        bool ok = true;
        for (size_t g = 0; g < leaf.numbers.size(); ++g) {
          const double v = leaf.numbers[g];
          const bool bad = responses ? !(std::isfinite(v) && v >= 0.0)
                                     : !(std::isfinite(v) && v >= 0.0 && v <= 1.0);
          if (bad) {
            details.push_back(At(fmt::format("{}[{}]", field, g), fmt::format("{}", v),
                                 responses ? "a response count must be ≥ 0"
                                           : "a membership degree must be in [0, 1]"));
            ok = false;
          }
          total += v;
        }
        if (!ok) break;
        if (!(total > 0.0)) {
          details.push_back(
              At(field, "0",
                 fmt::format("'{}': {}", n.name,
                             responses ? "nobody answered" : "all memberships are 0")));
          break;
        }
        for (size_t g = 0; g < row.size(); ++g) {
          row[g] = responses ? leaf.numbers[g] / total : leaf.numbers[g];
        }
        break;
      }
      case LeafSpec::Kind::kValue: {
        if (auto s = CheckScoringRule(leaf.rule, spec.scale, n.path + ".scoring"); !s) {
          for (auto d : s.error().details) details.push_back(std::move(d));
          break;
        }
        auto m = ScoreValue(leaf.rule, spec.scale, leaf.value);
        if (!m) {
          details.push_back(At(n.path + ".value", fmt::format("{}", leaf.value),
                               fmt::format("'{}': {}", n.name, m.error().message)));
          break;
        }
        row.assign(m->data(), m->data() + m->size());
        break;
      }
    }
    rows.push_back(std::move(row));
  }

  void Visit(const NodeSpec& n, int index) {
    out.paths.resize(static_cast<size_t>(out.tree.size()));
    out.paths[static_cast<size_t>(index)] = n.path;
    if (n.name.empty()) details.push_back(At(n.path + ".name", "", "a node needs a name"));
    if (n.children.empty()) {
      Leaf(n, index);
      return;
    }
    if (n.leaf) {
      details.push_back(At(n.path, "",
                           fmt::format("'{}' has children, so it takes no membership, responses "
                                       "or value of its own",
                                       n.name)));
    }
    std::vector<int> child_index;
    for (const auto& c : n.children) child_index.push_back(out.tree.Add(index, c.name));
    Weights(n, index);
    for (size_t c = 0; c < n.children.size(); ++c) Visit(n.children[c], child_index[c]);
  }
};

}  // namespace

Result<Prepared> Prepare(const Spec& spec) {
  Builder b{spec, Prepared{Tree(spec.root.name), Matrix(), {}, {}}, {}, {}};
  b.Visit(spec.root, 0);
  if (!b.details.empty()) {
    return InvalidArgument("the evaluation spec is not valid", std::move(b.details));
  }
  b.out.leaves.resize(static_cast<Eigen::Index>(b.rows.size()), spec.scale.size());
  for (size_t r = 0; r < b.rows.size(); ++r) {
    for (size_t g = 0; g < b.rows[r].size(); ++g) {
      b.out.leaves(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(g)) = b.rows[r][g];
    }
  }
  return std::move(b.out);
}

}  // namespace fupin::evaluation
