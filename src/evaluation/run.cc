// Evaluation runs: computing results from a snapshot, and the findings.
#include "evaluation/run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "methods/grey.h"
#include "methods/topsis.h"

namespace fupin::evaluation {

namespace {

// Competition ranks of `values`, highest first; values within `tolerance` share a rank (LP
// optima of efficient units are 1 only to the solver's precision).
std::vector<int> RanksHighFirst(const std::vector<double>& values, double tolerance) {
  std::vector<int> ranks(values.size(), 1);
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t j = 0; j < values.size(); ++j) {
      if (values[j] > values[i] + tolerance) ++ranks[i];
    }
  }
  return ranks;
}

// A DEA value for a sentence: whole numbers from 1,000 up, else four significant digits.
std::string Amount(double v) {
  return std::abs(v) >= 1000 ? fmt::format("{:.0f}", v) : fmt::format("{:.4g}", v);
}

Result<std::vector<DeaOutcome>> ComputeDea(const DeaData& d) {
  const size_t m = d.inputs.size();
  const size_t k = d.outputs.size();
  const auto n = static_cast<Eigen::Index>(d.values.size());
  Matrix x(n, static_cast<Eigen::Index>(m));
  Matrix y(n, static_cast<Eigen::Index>(k));
  for (Eigen::Index o = 0; o < n; ++o) {
    const auto& row = d.values[static_cast<size_t>(o)];
    if (row.size() != m + k) {
      return InvalidArgument(fmt::format("DEA row {} has {} values for {} inputs and {} outputs",
                                         o + 1, row.size(), m, k));
    }
    for (size_t c = 0; c < m; ++c) x(o, static_cast<Eigen::Index>(c)) = row[c] + d.inputs[c].shift;
    for (size_t c = 0; c < k; ++c)
      y(o, static_cast<Eigen::Index>(c)) = row[m + c] + d.outputs[c].shift;
  }
  methods::DeaOptions options;
  options.rts = d.rts;
  options.orientation = d.orientation;
  options.slacks = true;
  options.scale = true;
  auto r = methods::Dea(x, y, options);
  if (!r) {
    Error e = r.error();
    e.Prefix("fund-efficiency DEA");
    return std::unexpected(std::move(e));
  }
  std::vector<DeaOutcome> out;
  std::vector<double> efficiencies;
  const bool input = d.orientation == methods::Orientation::kInput;
  for (Eigen::Index o = 0; o < n; ++o) {
    const auto& dmu = r->dmus[static_cast<size_t>(o)];
    DeaOutcome e;
    e.efficiency = dmu.efficiency;
    e.score = dmu.score;
    e.classification = std::string(methods::DeaClassName(dmu.classification));
    e.peers = dmu.peers;
    e.scale_efficiency = dmu.scale_efficiency;
    if (dmu.scale_type) e.scale_type = std::string(methods::ScaleTypeName(*dmu.scale_type));
    for (size_t c = 0; c < m; ++c) {
      const double slack = dmu.input_slacks.size() > static_cast<Eigen::Index>(c)
                               ? dmu.input_slacks[static_cast<Eigen::Index>(c)]
                               : 0.0;
      const double value = x(o, static_cast<Eigen::Index>(c));
      e.input_slacks.push_back(slack);
      e.input_targets.push_back((input ? dmu.score * value : value) - slack - d.inputs[c].shift);
    }
    for (size_t c = 0; c < k; ++c) {
      const double slack = dmu.output_slacks.size() > static_cast<Eigen::Index>(c)
                               ? dmu.output_slacks[static_cast<Eigen::Index>(c)]
                               : 0.0;
      const double value = y(o, static_cast<Eigen::Index>(c));
      e.output_slacks.push_back(slack);
      e.output_targets.push_back((input ? value : dmu.score * value) + slack - d.outputs[c].shift);
    }
    efficiencies.push_back(e.efficiency);
    out.push_back(std::move(e));
  }
  const auto ranks = RanksHighFirst(efficiencies, 1e-6);
  for (size_t o = 0; o < out.size(); ++o) out[o].rank = ranks[o];
  return out;
}

}  // namespace

std::string_view RankingName(Ranking ranking) {
  switch (ranking) {
    case Ranking::kScore:
      return "score";
    case Ranking::kTopsis:
      return "topsis";
    case Ranking::kGrey:
      return "grey";
  }
  return "?";
}

std::optional<Ranking> RankingNamed(std::string_view name) {
  for (auto r : {Ranking::kScore, Ranking::kTopsis, Ranking::kGrey}) {
    if (RankingName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view RunStatusName(RunStatus status) {
  return status == RunStatus::kPublished ? "published" : "draft";
}

Result<Tree> TreeOf(const RunSnapshot& s) {
  if (s.nodes.empty()) return InvalidArgument("the snapshot has no nodes");
  Tree tree(s.nodes.front().name);
  std::map<std::string, int, std::less<>> index{{s.nodes.front().key, 0}};
  std::vector<double> local{1.0};
  for (size_t i = 1; i < s.nodes.size(); ++i) {
    auto parent = index.find(s.nodes[i].parent);
    if (parent == index.end()) {
      return InvalidArgument(fmt::format("node '{}' names an unknown parent", s.nodes[i].key));
    }
    index.emplace(s.nodes[i].key, tree.Add(parent->second, s.nodes[i].name));
    local.push_back(s.nodes[i].weight);
  }
  tree.SetLocalWeights(local);
  for (int i = 0; i < tree.size(); ++i) {
    if (tree.node(i).children.empty()) tree.MakeLeaf(i);
  }
  return tree;
}

Result<RunResults> Compute(const RunSnapshot& s) {
  auto scale = GradeScale::Make(s.grades);
  if (!scale) return std::unexpected(scale.error());
  auto tree = TreeOf(s);
  if (!tree) return std::unexpected(tree.error());
  EvaluationOptions options;
  options.op = s.op;
  RunResults out;
  std::vector<Matrix> leaves;
  for (const auto& object : s.objects) {
    if (static_cast<int>(object.leaves.size()) != tree->leaf_count()) {
      return InvalidArgument(fmt::format("object {} has {} leaf rows for {} leaves", object.code,
                                         object.leaves.size(), tree->leaf_count()));
    }
    Matrix m(tree->leaf_count(), scale->size());
    for (int l = 0; l < tree->leaf_count(); ++l) {
      const auto& row = object.leaves[static_cast<size_t>(l)].membership;
      if (static_cast<int>(row.size()) != scale->size()) {
        return InvalidArgument(fmt::format("object {}, leaf {}: {} memberships for {} grades",
                                           object.code, l + 1, row.size(), scale->size()));
      }
      for (int g = 0; g < scale->size(); ++g) m(l, g) = row[static_cast<size_t>(g)];
    }
    auto outcome = Evaluate(*tree, *scale, m, options);
    if (!outcome) {
      Error e = outcome.error();
      e.Prefix(fmt::format("object {} ({})", object.name, object.code));
      return std::unexpected(std::move(e));
    }
    out.weakest.push_back(Weakest(*tree, *scale, *outcome, 10));
    out.outcomes.push_back(std::move(*outcome));
    leaves.push_back(std::move(m));
  }
  switch (s.ranking) {
    case Ranking::kScore:
      out.ranks = RankByScore(out.outcomes);
      for (const auto& o : out.outcomes) out.ranking_values.push_back(o.overall().score);
      break;
    case Ranking::kTopsis:
    case Ranking::kGrey: {
      if (out.outcomes.empty()) break;
      // Objects × leaves of leaf scores, weighted by the leaves' global weights.
      const auto global = tree->GlobalWeights();
      Matrix x(static_cast<Eigen::Index>(out.outcomes.size()), tree->leaf_count());
      std::vector<double> weights;
      for (int l = 0; l < tree->leaf_count(); ++l) {
        const int node = tree->leaf_nodes()[static_cast<size_t>(l)];
        weights.push_back(global[static_cast<size_t>(node)]);
        for (size_t o = 0; o < out.outcomes.size(); ++o) {
          x(static_cast<Eigen::Index>(o), l) =
              out.outcomes[o].nodes[static_cast<size_t>(node)].score;
        }
      }
      if (s.ranking == Ranking::kTopsis) {
        methods::TopsisOptions to;
        to.weights = weights;
        auto t = methods::Topsis(x, to);
        if (!t) return std::unexpected(t.error());
        out.ranks = t->rank;
        out.ranking_values.assign(t->closeness.data(), t->closeness.data() + t->closeness.size());
      } else {
        methods::GreyOptions go;
        go.weights = weights;
        auto g = methods::GreyRelational(x, go);
        if (!g) return std::unexpected(g.error());
        out.ranks = g->rank;
        out.ranking_values.assign(g->grades.data(), g->grades.data() + g->grades.size());
      }
      break;
    }
  }
  if (s.sensitivity.draws > 0 && !s.objects.empty()) {
    auto sens = Sensitivity(*tree, *scale, leaves, out.outcomes, options, s.sensitivity);
    if (!sens) return std::unexpected(sens.error());
    out.sensitivity = std::move(*sens);
  }
  if (s.dea) {
    if (s.dea->values.size() != s.objects.size()) {
      return InvalidArgument(fmt::format("the DEA data has {} rows for {} objects",
                                         s.dea->values.size(), s.objects.size()));
    }
    auto dea = ComputeDea(*s.dea);
    if (!dea) return std::unexpected(dea.error());
    out.dea = std::move(*dea);
  }
  return out;
}

namespace {

bool Same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool Same(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    if (!Same(a[i], b[i])) return false;
  }
  return true;
}

bool Same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Same(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

bool SameResults(const RunResults& a, const RunResults& b) {
  if (a.outcomes.size() != b.outcomes.size() || a.ranks != b.ranks ||
      !Same(a.ranking_values, b.ranking_values) || a.sensitivity.size() != b.sensitivity.size() ||
      a.weakest.size() != b.weakest.size() || a.dea.size() != b.dea.size()) {
    return false;
  }
  for (size_t o = 0; o < a.dea.size(); ++o) {
    const auto& p = a.dea[o];
    const auto& q = b.dea[o];
    if (!Same(p.efficiency, q.efficiency) || !Same(p.score, q.score) ||
        p.classification != q.classification || !Same(p.input_slacks, q.input_slacks) ||
        !Same(p.output_slacks, q.output_slacks) || !Same(p.input_targets, q.input_targets) ||
        !Same(p.output_targets, q.output_targets) || p.peers.size() != q.peers.size() ||
        p.scale_efficiency.has_value() != q.scale_efficiency.has_value() ||
        (p.scale_efficiency && !Same(*p.scale_efficiency, *q.scale_efficiency)) ||
        p.scale_type != q.scale_type || p.rank != q.rank) {
      return false;
    }
    for (size_t i = 0; i < p.peers.size(); ++i) {
      if (p.peers[i].dmu != q.peers[i].dmu || !Same(p.peers[i].lambda, q.peers[i].lambda))
        return false;
    }
  }
  for (size_t o = 0; o < a.outcomes.size(); ++o) {
    const auto& x = a.outcomes[o].nodes;
    const auto& y = b.outcomes[o].nodes;
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!Same(x[i].b, y[i].b) || !Same(x[i].b_normalized, y[i].b_normalized) ||
          !Same(x[i].score, y[i].score) || x[i].grade != y[i].grade ||
          x[i].grade_by_max_membership != y[i].grade_by_max_membership ||
          x[i].ambiguous != y[i].ambiguous) {
        return false;
      }
    }
  }
  for (size_t o = 0; o < a.weakest.size(); ++o) {
    if (a.weakest[o].size() != b.weakest[o].size()) return false;
    for (size_t k = 0; k < a.weakest[o].size(); ++k) {
      const auto& p = a.weakest[o][k];
      const auto& q = b.weakest[o][k];
      if (p.node != q.node || !Same(p.shortfall, q.shortfall) || !Same(p.score, q.score) ||
          !Same(p.global_weight, q.global_weight)) {
        return false;
      }
    }
  }
  for (size_t o = 0; o < a.sensitivity.size(); ++o) {
    const auto& p = a.sensitivity[o];
    const auto& q = b.sensitivity[o];
    if (p.nodes.size() != q.nodes.size() || !Same(p.score_p05, q.score_p05) ||
        !Same(p.score_p95, q.score_p95) || !Same(p.rank_probability, q.rank_probability) ||
        !Same(p.rank_mean, q.rank_mean) || p.rank_min != q.rank_min || p.rank_max != q.rank_max) {
      return false;
    }
    for (size_t i = 0; i < p.nodes.size(); ++i) {
      if (!Same(p.nodes[i].grade_probability, q.nodes[i].grade_probability) ||
          !Same(p.nodes[i].score_mean, q.nodes[i].score_mean) ||
          !Same(p.nodes[i].score_min, q.nodes[i].score_min) ||
          !Same(p.nodes[i].score_max, q.nodes[i].score_max)) {
        return false;
      }
    }
  }
  return true;
}

RunComparison CompareRuns(const Run& a, const Run& b) {
  RunComparison c;
  const auto& sa = a.snapshot;
  const auto& sb = b.snapshot;
  auto setting = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) c.settings.push_back({name, x, y});
  };
  setting("system", fmt::format("{} v{}", a.system_id, a.system_version),
          fmt::format("{} v{}", b.system_id, b.system_version));
  setting("period", sa.period, sb.period);
  setting("operator", std::string(methods::FuzzyOperatorName(sa.op)),
          std::string(methods::FuzzyOperatorName(sb.op)));
  setting("ranking", std::string(RankingName(sa.ranking)), std::string(RankingName(sb.ranking)));
  setting("sensitivity",
          fmt::format("{} draws, spread {}, seed {}", sa.sensitivity.draws, sa.sensitivity.spread,
                      sa.sensitivity.seed),
          fmt::format("{} draws, spread {}, seed {}", sb.sensitivity.draws, sb.sensitivity.spread,
                      sb.sensitivity.seed));
  setting("grades", fmt::format("{}", sa.grades.size()), fmt::format("{}", sb.grades.size()));
  auto dea = [](const RunSnapshot& s) {
    if (!s.dea) return std::string("none");
    std::vector<std::string> in, out;
    for (const auto& c : s.dea->inputs)
      in.push_back(c.factor.indicator + (c.factor.growth ? " growth" : ""));
    for (const auto& c : s.dea->outputs)
      out.push_back(c.factor.indicator + (c.factor.growth ? " growth" : ""));
    return fmt::format("{} {}: {} -> {}", methods::ReturnsToScaleName(s.dea->rts),
                       methods::OrientationName(s.dea->orientation), fmt::join(in, ", "),
                       fmt::join(out, ", "));
  };
  setting("dea", dea(sa), dea(sb));
  std::map<std::string, size_t> node_a;
  std::map<std::string, size_t> node_b;
  for (size_t i = 0; i < sa.nodes.size(); ++i) node_a[sa.nodes[i].key] = i;
  for (size_t i = 0; i < sb.nodes.size(); ++i) node_b[sb.nodes[i].key] = i;
  for (const auto& n : sa.nodes) {
    if (!node_b.contains(n.key)) c.nodes_only_a.push_back(n.key);
  }
  // Leaf rows: the position of each leaf key among the leaves of its snapshot.
  auto leaf_rows = [](const RunSnapshot& s) {
    std::map<std::string, size_t> rows;
    std::set<std::string> parents;
    for (const auto& n : s.nodes) parents.insert(n.parent);
    size_t row = 0;
    for (size_t i = 1; i < s.nodes.size(); ++i) {
      if (!parents.contains(s.nodes[i].key)) rows[s.nodes[i].key] = row++;
    }
    return rows;
  };
  const auto rows_a = leaf_rows(sa);
  const auto rows_b = leaf_rows(sb);
  for (const auto& n : sb.nodes) {
    auto it = node_a.find(n.key);
    if (it == node_a.end()) {
      c.nodes_only_b.push_back(n.key);
      continue;
    }
    if (sa.nodes[it->second].weight != n.weight) {
      c.weights.push_back({n.key, sa.nodes[it->second].weight, n.weight});
    }
  }
  std::map<std::string, size_t> object_a;
  for (size_t i = 0; i < sa.objects.size(); ++i) object_a[sa.objects[i].code] = i;
  std::set<std::string> in_b;
  for (size_t ob = 0; ob < sb.objects.size(); ++ob) {
    const auto& obj = sb.objects[ob];
    in_b.insert(obj.code);
    auto it = object_a.find(obj.code);
    if (it == object_a.end()) {
      c.objects_only_b.push_back(obj.code);
      continue;
    }
    const size_t oa = it->second;
    for (const auto& [key, rb] : rows_b) {
      auto ra = rows_a.find(key);
      if (ra == rows_a.end()) continue;
      const auto& la = sa.objects[oa].leaves[ra->second];
      const auto& lb = obj.leaves[rb];
      if (la.membership != lb.membership || la.value != lb.value) {
        c.inputs.push_back({obj.code, key, la.membership, lb.membership, la.value, lb.value});
      }
    }
    RunComparison::ObjectChange change;
    change.object = obj.code;
    change.name = obj.name;
    if (oa < a.results.ranks.size()) change.rank_a = a.results.ranks[oa];
    if (ob < b.results.ranks.size()) change.rank_b = b.results.ranks[ob];
    if (oa < a.results.outcomes.size() && ob < b.results.outcomes.size()) {
      for (size_t k = 0; k < sb.nodes.size(); ++k) {
        auto ka = node_a.find(sb.nodes[k].key);
        if (ka == node_a.end()) continue;
        const auto& na = a.results.outcomes[oa].nodes[ka->second];
        const auto& nb = b.results.outcomes[ob].nodes[k];
        auto grade = [](const RunSnapshot& s, int g) {
          return g >= 0 && g < static_cast<int>(s.grades.size())
                     ? s.grades[static_cast<size_t>(g)].name
                     : std::string();
        };
        change.nodes.push_back(
            {sb.nodes[k].key, na.score, nb.score, grade(sa, na.grade), grade(sb, nb.grade)});
      }
    }
    c.objects.push_back(std::move(change));
  }
  for (const auto& obj : sa.objects) {
    if (!in_b.contains(obj.code)) c.objects_only_a.push_back(obj.code);
  }
  return c;
}

std::vector<Finding> GenerateFindings(const RunSnapshot& s, const RunResults& r) {
  std::vector<Finding> out;
  auto scale = GradeScale::Make(s.grades);
  auto tree = TreeOf(s);
  if (!scale || !tree) return out;
  const auto& root_children = tree->node(0).children;
  // The bottom of the second-last grade's band: below it an indicator is "below threshold".
  const double floor = (*scale)[scale->size() - 2].min;
  for (size_t o = 0; o < s.objects.size() && o < r.outcomes.size(); ++o) {
    const auto& object = s.objects[o];
    const auto& nodes = r.outcomes[o].nodes;
    if (root_children.size() >= 2) {
      int best = root_children.front();
      int worst = root_children.front();
      for (int c : root_children) {
        if (nodes[static_cast<size_t>(c)].score > nodes[static_cast<size_t>(best)].score) best = c;
        if (nodes[static_cast<size_t>(c)].score < nodes[static_cast<size_t>(worst)].score)
          worst = c;
      }
      const auto& b = s.nodes[static_cast<size_t>(best)];
      const auto& w = s.nodes[static_cast<size_t>(worst)];
      out.push_back(Finding{"strength", object.code, b.key,
                            fmt::format("{}：{}得分 {:.2f}，为各维度最高（{}）。", object.name,
                                        b.name, nodes[static_cast<size_t>(best)].score,
                                        (*scale)[nodes[static_cast<size_t>(best)].grade].name),
                            fmt::format("{}: {} scores {:.2f}, the highest dimension ({}).",
                                        object.name, b.name_en.empty() ? b.name : b.name_en,
                                        nodes[static_cast<size_t>(best)].score,
                                        (*scale)[nodes[static_cast<size_t>(best)].grade].name)});
      out.push_back(Finding{
          "weakness", object.code, w.key,
          fmt::format("{}：{}得分 {:.2f}，为各维度最低（{}），需重点改进。", object.name, w.name,
                      nodes[static_cast<size_t>(worst)].score,
                      (*scale)[nodes[static_cast<size_t>(worst)].grade].name),
          fmt::format("{}: {} scores {:.2f}, the lowest dimension ({}): the first to improve.",
                      object.name, w.name_en.empty() ? w.name : w.name_en,
                      nodes[static_cast<size_t>(worst)].score,
                      (*scale)[nodes[static_cast<size_t>(worst)].grade].name)});
    }
    for (int leaf : tree->leaf_nodes()) {
      const auto& n = nodes[static_cast<size_t>(leaf)];
      if (n.score >= floor) continue;
      const auto& sn = s.nodes[static_cast<size_t>(leaf)];
      const auto& input = object.leaves[static_cast<size_t>(tree->node(leaf).leaf)];
      const std::string value =
          input.value ? fmt::format("（数值 {:.4g}）", *input.value) : std::string();
      const std::string value_en =
          input.value ? fmt::format(" (value {:.4g})", *input.value) : std::string();
      out.push_back(Finding{
          "below_threshold", object.code, sn.key,
          fmt::format("{}：指标“{}”得分 {:.2f}{}，低于{}档下限 {:g}。", object.name, sn.name,
                      n.score, value, (*scale)[scale->size() - 2].name, floor),
          fmt::format("{}: indicator {} scores {:.2f}{}, below the {} band's floor of {:g}.",
                      object.name, sn.name_en.empty() ? sn.name : sn.name_en, n.score, value_en,
                      (*scale)[scale->size() - 2].name, floor)});
    }
    if (o < r.sensitivity.size()) {
      const auto& root = r.sensitivity[o].nodes.front();
      if (root.baseline_grade_probability < 0.8) {
        out.push_back(Finding{
            "grade_unstable", object.code, "",
            fmt::format("{}：总体等级“{}”在权重扰动下仅 {:.0f}% 的情形保持不变，结论需谨慎。",
                        object.name, (*scale)[nodes.front().grade].name,
                        root.baseline_grade_probability * 100),
            fmt::format("{}: the overall grade {} holds in only {:.0f}% of the weight "
                        "perturbations; state it with care.",
                        object.name, (*scale)[nodes.front().grade].name,
                        root.baseline_grade_probability * 100)});
      }
    }
  }
  if (s.dea && r.dea.size() == s.objects.size()) {
    const bool input = s.dea->orientation == methods::Orientation::kInput;
    for (size_t o = 0; o < r.dea.size(); ++o) {
      const auto& e = r.dea[o];
      const auto& object = s.objects[o];
      if (e.classification == "efficient") continue;
      std::vector<std::string> peers;
      for (const auto& p : e.peers) {
        if (p.dmu >= 0 && static_cast<size_t>(p.dmu) < s.objects.size() &&
            static_cast<size_t>(p.dmu) != o)
          peers.push_back(s.objects[static_cast<size_t>(p.dmu)].name);
      }
      // The largest proportional reduction (input) or increase (output) suggested.
      std::string zh_move, en_move;
      const auto& cols = input ? s.dea->inputs : s.dea->outputs;
      const auto& targets = input ? e.input_targets : e.output_targets;
      const size_t offset = input ? 0 : s.dea->inputs.size();
      double best = 0;
      for (size_t c = 0; c < cols.size(); ++c) {
        const double value = s.dea->values[o][offset + c];
        if (!(value > 0)) continue;
        const double change = input ? (value - targets[c]) / value : (targets[c] - value) / value;
        if (change > best + 1e-9) {
          best = change;
          zh_move = fmt::format("{}{} {:.1f}%（{} → {}）", input ? "减少" : "提高", cols[c].name,
                                change * 100, Amount(value), Amount(targets[c]));
          en_move = fmt::format("{} {} by {:.1f}% ({} → {})", input ? "reduce" : "raise",
                                cols[c].name_en.empty() ? cols[c].name : cols[c].name_en,
                                change * 100, Amount(value), Amount(targets[c]));
        }
      }
      out.push_back(Finding{
          "inefficient", object.code, "",
          fmt::format(
              "{}：资金使用效率 {:.3f}（{}，第 {} 名），{}{}{}。", object.name, e.efficiency,
              e.classification == "weakly efficient" ? "弱有效" : "非有效", e.rank,
              peers.empty() ? std::string() : fmt::format("参照单元 {}", fmt::join(peers, "、")),
              zh_move.empty() || peers.empty() ? "" : "；",
              zh_move.empty() ? std::string() : "可" + zh_move),
          fmt::format(
              "{}: fund efficiency {:.3f} ({}, rank {}){}{}.", object.name, e.efficiency,
              e.classification, e.rank,
              peers.empty() ? std::string() : fmt::format("; peers {}", fmt::join(peers, ", ")),
              en_move.empty() ? std::string() : "; could " + en_move)});
    }
  }
  return out;
}

}  // namespace fupin::evaluation
